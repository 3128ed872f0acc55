"""The one place Celery is configured; every process builds its app with create_celery()."""

from collections.abc import Iterable, Sequence

from celery import Celery
from kombu.transport import sqlalchemy as sql_transport

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


def _poll_embedded_broker(settings: Settings) -> None:
    # An idle worker on kombu's SQLAlchemy transport sleeps `polling_interval` (1 s by default)
    # between empty polls: a verdict waited up to a second for it. The transport reads the
    # interval from its class only: the transport options go to create_engine, which refuses
    # unknown keys. One interval per process, and every app of the process has the same settings.
    if settings.broker_url.startswith("sqla+"):
        sql_transport.Transport.polling_interval = settings.broker_polling_interval_s


def create_celery(settings: Settings, include: Sequence[str] = ()) -> Celery:
    """A Celery app for these settings, with the task modules in `include` registered."""
    _poll_embedded_broker(settings)
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
        # Without an event loop (the embedded broker) timers run on a thread that sleeps up to
        # this long, not waking for a timer added meanwhile: a partial batch waited up to 1 s
        # (the default) for its flush instead of batch_interval_s.
        worker_timer_precision=settings.toxicity.batch_interval_s,
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


def send_tasks(app: Celery, tasks: Iterable[tuple[str, Sequence[object]]]) -> None:
    """Queue several tasks, (name, args) each, in one broker round trip where the transport can
    (Redis: one pipeline; kombu's Producer.batch) instead of one each; one by one elsewhere. A
    broker failure raises here, after the caller's commit: the rows wait for the sweepers."""
    with app.producer_or_acquire() as producer, producer.batch():
        for name, args in tasks:
            app.send_task(name, args=args, producer=producer)
