"""Prometheus plumbing shared by the processes: the registry to expose and queue depth."""

import logging
import os

from celery import Celery
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from shared import task_names

log = logging.getLogger(__name__)
QUEUES = (task_names.MODERATION_QUEUE, task_names.NOTIFY_QUEUE)


class QueueDepthCollector(Collector):
    """Messages waiting in each queue, read from the broker at scrape time."""

    def __init__(self, celery: Celery) -> None:
        self.celery = celery

    def collect(self):  # type: ignore[no-untyped-def]
        gauge = GaugeMetricFamily("modsys_queue_depth", "Messages waiting in a queue", labels=["queue"])
        try:
            with self.celery.connection_for_read() as conn, conn.channel() as channel:
                for queue in QUEUES:
                    gauge.add_metric([queue], _depth(channel, queue))
        except Exception as exc:  # a scrape must still answer while the broker is down
            log.warning("queue depth unavailable: %s", exc)
            return
        yield gauge


def _depth(channel, queue: str) -> int:  # type: ignore[no-untyped-def]
    # Not passive: on Redis an empty queue has no key, and a passive declare would fail on it.
    return channel.queue_declare(queue=queue, durable=True, auto_delete=False).message_count


def render_metrics(celery: Celery) -> bytes:
    """The text exposition of this process's metrics (all gunicorn workers' in multiprocess mode)."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(QueueDepthCollector(celery))
    return generate_latest(registry)


class _ProcessRegistry(Collector):
    """The default registry's metrics, re-exposed beside the per-scrape collectors."""

    def collect(self):  # type: ignore[no-untyped-def]
        yield from REGISTRY.collect()
