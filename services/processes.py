"""The command lines of the long-running processes, shared by modctl and the embedded runner."""

import os
import sys
import tempfile
from pathlib import Path

from shared.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def web_command() -> list[str]:
    return [str(BIN / "gunicorn"), "-c", str(ROOT / "services" / "gunicorn.conf.py"), "services.wsgi:app"]


def worker_command(queue: str, extra: tuple[str, ...] = ()) -> list[str]:
    """A Celery worker for the `moderation` or `notify` queue."""
    level = get_settings().log_level  # Celery sets the root logger's level from -l
    return [str(BIN / "celery"), "-A", f"services.{queue}_worker", "worker", "-Q", queue, "-l", level, *extra]


def beat_command(schedule_file: str) -> list[str]:
    return [str(BIN / "celery"), "-A", "services.beat", "beat", "-l", get_settings().log_level, "-s", schedule_file]


def worker_metrics_env() -> dict[str, str]:
    """A fresh folder for the pool processes' metrics files, unless one is given (PROMETHEUS_MULTIPROC_DIR).

    prometheus_client picks file-backed values at import, so the folder must exist before the
    worker starts; files left from an earlier run would be counted again, hence a fresh one.
    """
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        return {}
    folder = tempfile.mkdtemp(prefix="modsys-worker-metrics-")
    return {"PROMETHEUS_MULTIPROC_DIR": folder, "MODSYS_OWNED_METRICS_DIR": folder}
