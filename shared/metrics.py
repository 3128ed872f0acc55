"""Prometheus plumbing shared by the processes: the registry to expose and queue depth."""

import logging
import os
from collections.abc import Iterator
from typing import Any

from celery import Celery
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Select, func, select

from shared import task_names
from shared.db import get_sessionmaker
from shared.models import DeliveryAttempt, Notification, NotificationChannel
from shared.state_metrics import state_collectors

log = logging.getLogger(__name__)
QUEUES = (task_names.MODERATION_QUEUE, task_names.NOTIFY_QUEUE)


class QueueDepthCollector(Collector):
    """Messages waiting in each queue, read from the broker at scrape time."""

    def __init__(self, celery: Celery) -> None:
        self.celery = celery

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("modsys_queue_depth", "Messages waiting in a queue", labels=["queue"])
        try:
            with self.celery.connection_for_read() as conn, conn.channel() as channel:
                for queue in QUEUES:
                    gauge.add_metric([queue], _depth(channel, queue))
        except Exception as exc:  # noqa: BLE001 (a scrape must still answer while the broker is down)
            log.warning("queue depth unavailable: %s", exc)
            return
        yield gauge


def _depth(channel: Any, queue: str) -> int:  # kombu's channels are untyped
    # Not passive: on Redis an empty queue has no key, and a passive declare would fail on it.
    count: int = channel.queue_declare(queue=queue, durable=True, auto_delete=False).message_count
    return count


class ChannelHealthCollector(Collector):
    """Moderators' channels, read from the database at scrape time: messages by status, and which are failing.

    A channel whose last attempt failed shows failing=1, so an alert rule can page someone before
    moderators notice that nobody tells them about held comments.
    """

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def collect(self) -> Iterator[Metric]:
        messages = GaugeMetricFamily(
            "modsys_alert_messages",
            "Moderator alert messages by channel and status",
            labels=["channel", "kind", "status"],
        )
        failing = GaugeMetricFamily(
            "modsys_alert_channel_failing",
            "1 when the channel's last delivery attempt failed",
            labels=["channel", "kind"],
        )
        try:
            with get_sessionmaker(self.database_url)() as session:
                for channel_id, kind, status, count in session.execute(
                    select(NotificationChannel.id, NotificationChannel.kind, Notification.status, func.count())
                    .join(Notification, Notification.channel_id == NotificationChannel.id)
                    .group_by(NotificationChannel.id, NotificationChannel.kind, Notification.status)
                ):
                    messages.add_metric([str(channel_id), kind, status], count)
                for channel_id, kind, error in session.execute(_last_attempts()):
                    failing.add_metric([str(channel_id), kind], 0 if error is None else 1)
        except Exception as exc:  # noqa: BLE001 (a scrape must still answer while the database is down)
            log.warning("channel health unavailable: %s", exc)
            return
        yield messages
        yield failing


def _last_attempts() -> Select[int, str, str | None]:
    """(channel id, kind, error of its latest attempt) for every channel that has tried."""
    latest = (
        select(Notification.channel_id, func.max(DeliveryAttempt.id).label("attempt_id"))
        .join(DeliveryAttempt, DeliveryAttempt.notification_id == Notification.id)
        .where(Notification.channel_id.is_not(None))
        .group_by(Notification.channel_id)
        .subquery()
    )
    return (
        select(NotificationChannel.id, NotificationChannel.kind, DeliveryAttempt.error)
        .join(latest, latest.c.channel_id == NotificationChannel.id)
        .join(DeliveryAttempt, DeliveryAttempt.id == latest.c.attempt_id)
    )


def render_metrics(celery: Celery) -> bytes:
    """The text exposition of this process's metrics (all gunicorn workers' in multiprocess mode)."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # its __init__ is unannotated
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(QueueDepthCollector(celery))
    registry.register(ChannelHealthCollector(celery.settings.database_url))
    for collector in state_collectors(celery.settings):  # backlog, undelivered, workers and models
        registry.register(collector)
    return generate_latest(registry)


class _ProcessRegistry(Collector):
    """The default registry's metrics, re-exposed beside the per-scrape collectors."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
