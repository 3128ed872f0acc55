"""Entry point of the moderation worker: `celery -A services.moderation_worker worker -Q moderation`."""

import gc
import logging

from celery.signals import worker_init

from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import get_spam_scorer
from services.batch_timers import ResetBatchTimers
from services.worker_observability import observability_step
from shared import task_names
from shared.celery_app import batch_prefetch_multiplier, create_celery
from shared.logging import configure_logging
from shared.settings import get_settings

log = logging.getLogger(__name__)


def _model_in_use() -> tuple[str, str]:
    scorer = get_scorer(settings.toxicity)  # loaded once at start (see prepare); cached since
    return scorer.name, scorer.version


settings = get_settings()
configure_logging(settings)
celery_app = create_celery(settings, include=["moderation.pipeline.tasks", "moderation.spam.tasks"])
celery_app.steps["worker"].add(observability_step(settings, task_names.MODERATION_QUEUE, model=_model_in_use))
celery_app.steps["consumer"].add(ResetBatchTimers)
# A batch can only fill from messages already taken, so the prefetch must hold a batch; unlimited
# (0) moved the whole backlog into the worker's unacknowledged set, where the queue length no
# longer shows it. Two batches per pool process: one being scored, the next filling.
# (The command-line --prefetch-multiplier does not override the app's configured value.)
celery_app.conf.worker_prefetch_multiplier = batch_prefetch_multiplier(settings)


@worker_init.connect
def prepare(**_kwargs: object) -> None:
    """Size the batches from settings and load the model before the first comment arrives.

    Loading here, in the main process, makes a backend that cannot load stop the worker at
    start with its reason, instead of failing every comment later; forked children inherit it.
    """
    task = celery_app.tasks[task_names.SCORE_COMMENT]
    task.flush_every, task.flush_interval = settings.toxicity.batch_size, settings.toxicity.batch_interval_s
    try:
        get_scorer(settings.toxicity)
        get_spam_scorer(settings)  # warns now, at start, when its counters would be this process's own
    except Exception as exc:
        log.critical("cannot load the %s toxicity backend: %s", settings.toxicity.backend, exc)
        raise SystemExit(f"cannot load the {settings.toxicity.backend} toxicity backend: {exc}") from exc
    # What is loaded now lives as long as the worker: keep it out of garbage collection (a full
    # collection walked it for ~100 ms), and, frozen before the fork, shared with the children.
    gc.freeze()
