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
