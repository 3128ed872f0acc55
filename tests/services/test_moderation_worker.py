"""The moderation worker's start-up."""

import gc


def test_start_up_loads_the_model_and_leaves_it_out_of_garbage_collection():
    from services.moderation_worker import celery_app, prepare
    from shared import task_names
    from shared.settings import get_settings

    celery_app.loader.import_default_modules()  # what `celery worker` does before worker_init
    try:
        prepare()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    task = celery_app.tasks[task_names.SCORE_COMMENT]
    assert task.flush_every == get_settings().toxicity.batch_size


def test_prefetch_holds_two_batches_not_the_whole_backlog():
    from services.moderation_worker import celery_app
    from shared.settings import get_settings

    # 0 is unlimited: a backlog moved into the worker's unacknowledged set, and the queue length read 0-6.
    prefetch = celery_app.conf.worker_prefetch_multiplier
    assert prefetch == 2 * get_settings().toxicity.batch_size


def test_the_consumer_restarts_batch_timers():
    from services.batch_timers import ResetBatchTimers
    from services.moderation_worker import celery_app

    assert ResetBatchTimers in celery_app.steps["consumer"]
