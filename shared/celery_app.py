"""The one place Celery is configured; every process builds its app with create_celery()."""

from collections.abc import Sequence

from celery import Celery

from shared import task_names
from shared.settings import Settings


def _transport_options(settings: Settings) -> dict[str, object]:
    # kombu's SQLAlchemy transport hands its options to create_engine, which rejects unknown
    # keys, so the Redis-only visibility timeout is set for Redis alone.
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": settings.broker_visibility_timeout_s}
    return {}


def batch_prefetch_multiplier(settings: Settings) -> int:
    """The moderation worker's prefetch per pool process: two scoring batches, never unlimited.

    Messages are acknowledged when their batch is done (acks_late), so this bounds what a worker
    holds unacknowledged; the rest of a backlog stays in the broker's queue (and the database
    gauges count it wherever it is).
    """
    return 2 * settings.toxicity.batch_size


def create_celery(settings: Settings, include: Sequence[str] = ()) -> Celery:
    """A Celery app for these settings, with the task modules in `include` registered."""
    app = Celery("modsys", broker=settings.broker_url, include=list(include), set_as_current=True)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        task_default_queue="default",
        task_routes={
            "moderation.*": {"queue": task_names.MODERATION_QUEUE},
            "notify.*": {"queue": task_names.NOTIFY_QUEUE},
        },
        broker_transport_options=_transport_options(settings),
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # A late-acked task whose worker dies is handed to another worker, not dropped.
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=4,
        beat_schedule={
            "sweep-pending-comments": {
                "task": task_names.SWEEP_PENDING_COMMENTS,
                "schedule": settings.sweep_interval_s,
            },
            "sweep-pending-notifications": {
                "task": task_names.SWEEP_PENDING_NOTIFICATIONS,
                "schedule": settings.sweep_interval_s,
            },
            # Digests fall due when a channel's interval ends; this sends them even if the
            # countdown task scheduled for that moment was lost.
            "sweep-alerts": {
                "task": task_names.SWEEP_ALERTS,
                "schedule": settings.sweep_interval_s,
            },
        },
    )
    app.settings = settings  # tasks read their settings from here
    return app
