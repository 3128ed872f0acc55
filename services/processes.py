"""The command lines of the long-running processes, shared by modctl and the embedded runner."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def web_command() -> list[str]:
    return [str(BIN / "gunicorn"), "-c", str(ROOT / "services" / "gunicorn.conf.py"), "services.wsgi:app"]


def worker_command(queue: str, extra: tuple[str, ...] = ()) -> list[str]:
    """A Celery worker for the `moderation` or `notify` queue."""
    return [str(BIN / "celery"), "-A", f"services.{queue}_worker", "worker", "-Q", queue, "-l", "INFO", *extra]


def beat_command(schedule_file: str) -> list[str]:
    return [str(BIN / "celery"), "-A", "services.beat", "beat", "-l", "INFO", "-s", schedule_file]
