"""celery-batches' flush timer, started again whenever the worker's consumer (re)starts.

`Batches` starts its flush timer on the first message and keeps the reference in `_tref` until the
buffer is empty. When the broker connection drops (a Redis restart or failover), Celery restarts the
consumer: the consumer's timer loses its entries, but `_tref` still holds the old, dead reference,
so no new timer starts and the task flushes only when `flush_every` messages arrive. A quiet site
then waited hours. This consumer bootstep runs after the task strategies are built and before the
event loop takes messages, at the first start and at every restart: it cancels the stale timer and
drops what the buffers held from the old connection. Those messages were not acknowledged: the
broker hands them out again (visibility timeout), and the sweeper re-sends what stays pending; a
score is idempotent, so a copy decided twice changes nothing.
"""

import logging
from itertools import count
from queue import Empty
from typing import Any

from celery import Celery, bootsteps
from celery_batches import Batches

log = logging.getLogger(__name__)


def reset_batches(app: Celery) -> int:
    """Forget every Batches task's timer and buffered requests; how many requests were dropped."""
    dropped = 0
    for task in app.tasks.values():
        if not isinstance(task, Batches):
            continue
        if task._tref is not None:
            task._tref.cancel()
            task._tref = None
        for buffer in (task._buffer, task._pending):
            while True:
                try:
                    buffer.get_nowait()
                except Empty:
                    break
                dropped += 1
        task._count = count(1)
    return dropped


class ResetBatchTimers(bootsteps.StartStopStep):
    """Consumer step: a fresh flush timer for every Batches task on each consumer start."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, consumer: Any) -> None:
        if dropped := reset_batches(consumer.app):
            log.warning("consumer restarted: %d buffered requests of the old connection dropped", dropped)
