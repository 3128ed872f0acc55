"""Real worker processes on the test PostgreSQL database and Redis broker."""

from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import Popen

import pytest

from shared.settings import Settings
from tests.support.processes import log_contains, service_env, stop, wait_until, worker


@pytest.fixture
def worker_env(settings: Settings) -> dict[str, str]:
    return service_env(
        MOD_DATABASE_URL=settings.database_url,
        MOD_BROKER_URL=settings.broker_url,
        MOD_CALLBACK__BACKOFF_BASE_S="0.2",
        # Recover fast in tests what production recovers in minutes.
        MOD_BROKER_VISIBILITY_TIMEOUT_S="3",
        MOD_PENDING_REQUEUE_AFTER_S="3",
        MOD_SWEEP_INTERVAL_S="1",
    )


@pytest.fixture
def start_worker(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., tuple[Popen[bytes], Path]]]:
    """Start `modctl worker QUEUE …` and wait until Celery says it is ready."""
    started: list[Popen[bytes]] = []

    def start(queue: str, *extra: str, env: dict[str, str] | None = None) -> tuple[Popen[bytes], Path]:
        log = tmp_path / f"{queue}-{len(started)}.log"
        process = worker(queue, {**worker_env, **(env or {})}, log, "-n", f"{queue}{len(started)}@%h", *extra)
        started.append(process)
        wait_until(log_contains(log, " ready."), timeout_s=60, what=f"{queue} worker", log=log)
        return process, log

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def pipeline(start_worker) -> None:
    """Both workers, as compose runs them."""
    start_worker("moderation", "--pool", "solo")
    start_worker("notify", "--pool", "threads", "--concurrency", "4")
