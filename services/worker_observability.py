"""What a worker process tells the ops team: heartbeats in the database, and its own /metrics.

A Celery worker bootstep, run in the worker's main process on its timer: each tick proves the
process is alive and can reach the database. Its counters (verdicts, scoring batches, delivery
tries) are written by the pool's processes into PROMETHEUS_MULTIPROC_DIR, which `modctl worker`
creates before Celery starts, and served added up on MOD_WORKER_METRICS_PORT.
"""

import logging
import os
import shutil
from collections.abc import Callable
from typing import Any

from celery import bootsteps
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess, start_http_server
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from shared.heartbeats import beat, forget
from shared.models import utcnow
from shared.settings import Settings

log = logging.getLogger(__name__)
METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"
OWNED_METRICS_DIR = "MODSYS_OWNED_METRICS_DIR"  # set by modctl when it made the folder: removed at stop


def observability_step(
    settings: Settings, queue: str, model: Callable[[], tuple[str, str]] | None = None
) -> type[bootsteps.StartStopStep]:
    """A bootstep class for a worker of `queue`; `model` names the toxicity model it scores with."""

    class Observability(bootsteps.StartStopStep):
        requires = ("celery.worker.components:Timer",)

        def __init__(self, worker: Any, **kwargs: Any) -> None:
            super().__init__(worker, **kwargs)
            self.started_at = utcnow()
            # Its own connection each beat: the main process forks the pool, and pooled
            # connections must not be inherited by the children.
            self.engine = create_engine(settings.database_url, poolclass=NullPool)
            self.timer_ref: Any = None
            self.server: Any = None

        def start(self, worker: Any) -> None:
            self._beat(worker)
            self.timer_ref = worker.timer.call_repeatedly(settings.worker_heartbeat_s, self._beat, (worker,))
            if settings.worker_metrics_port is not None:
                self.server, _ = start_http_server(settings.worker_metrics_port, registry=_registry())
                log.info("metrics on :%d/metrics", settings.worker_metrics_port)

        def stop(self, worker: Any) -> None:
            if self.timer_ref is not None:
                self.timer_ref.cancel()
            if self.server is not None:
                self.server.shutdown()
            try:
                with Session(self.engine) as session, session.begin():
                    forget(session, worker.hostname)
            except Exception as exc:  # noqa: BLE001 (stopping must not fail on a database that is down)
                log.warning("could not remove the heartbeat of %s: %s", worker.hostname, exc)
            owned = os.environ.get(OWNED_METRICS_DIR)
            if owned and owned == os.environ.get(METRICS_DIR):
                shutil.rmtree(owned, ignore_errors=True)

        def _beat(self, worker: Any) -> None:
            try:
                with Session(self.engine) as session, session.begin():
                    beat(
                        session,
                        name=worker.hostname,
                        queue=queue,
                        pid=os.getpid(),
                        started_at=self.started_at,
                        model=model() if model else None,
                    )
            except Exception as exc:  # noqa: BLE001 (the next beat tries again; /readyz shows the gap)
                log.warning("heartbeat not recorded: %s", exc)

    return Observability


def _registry() -> CollectorRegistry:
    """The pool processes' metrics added up when they write files, else this process's own."""
    if METRICS_DIR not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry
