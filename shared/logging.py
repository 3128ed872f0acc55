"""One log format for every process, each line saying what it was doing: the HTTP request or the task."""

import logging

from celery import current_task
from flask import has_request_context, request

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(context)s]: %(message)s"


class WorkContext(logging.Filter):
    """Adds `context` to every record: "POST /v1/comments" in a request, "moderation.score_comment
    3f9c…" in a Celery task (its id, as in Celery's own lines), "-" elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.context = _context()
        return True


def _context() -> str:
    if has_request_context():
        return f"{request.method} {request.path}"
    task = current_task
    if task and task.request.id:
        return f"{task.name} {task.request.id}"
    return "-"


def configure_logging(level: str) -> None:
    """Log to stderr as `time level logger [context]: message`, at the configured level."""
    handler = logging.StreamHandler()
    handler.addFilter(WorkContext())
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler])
