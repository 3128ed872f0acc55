"""One log format for every process, each line saying what it was doing: the HTTP request or the task.

`MOD_LOG_FORMAT=json` writes one JSON object per line (for a log collector) with the same fields.
Every line passes through the redactor last: no key, secret, token or password is ever written.
"""

import logging
from typing import IO, Any

from celery import current_task
from flask import g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from shared.redaction import Redactor
from shared.settings import Settings, get_settings

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(context)s]: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(context)s %(request_id)s %(message)s"


class WorkContext(logging.Filter):
    """Adds `context` to every record: "POST /v1/comments" in a request, "moderation.score_comment
    3f9c…" in a Celery task (its id, as in Celery's own lines), "-" elsewhere; and the request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.context = _context()
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def _context() -> str:
    if has_request_context():
        return f"{request.method} {request.path}"
    task = current_task
    if task and task.request.id:
        return f"{task.name} {task.request.id}"
    return "-"


class _Redacting(logging.Formatter):
    """Formats with `inner`, then masks secrets in the finished line."""

    def __init__(self, inner: logging.Formatter, redact: Redactor) -> None:
        super().__init__()
        self.inner, self.redact = inner, redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(self.inner.format(record))


def _text_formatter() -> logging.Formatter:
    return logging.Formatter(FORMAT)


def _json_formatter() -> logging.Formatter:
    return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def settings_secrets(settings: Settings) -> list[str | None]:
    """The installation's own secret values, masked wherever they appear."""
    return [settings.secret_key, settings.notify.smtp_password]


def log_handler(settings: Settings | None = None, stream: IO[str] | None = None) -> logging.Handler:
    """A stderr (or `stream`) handler writing text or JSON as configured, with secrets masked."""
    settings = settings or get_settings()
    handler = logging.StreamHandler(stream)
    handler.addFilter(WorkContext())
    inner = _json_formatter() if settings.log_format == "json" else _text_formatter()
    handler.setFormatter(_Redacting(inner, Redactor(settings_secrets(settings))))
    return handler


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> None:
    """Every logger of the process writes through log_handler, at the configured level."""
    logging.basicConfig(level=settings.log_level.upper(), handlers=[log_handler(settings, stream)], force=True)


def gunicorn_logconfig(settings: Settings) -> dict[str, Any]:
    """gunicorn's own lines (workers booting, timeouts) through the same handler, for its logconfig_dict."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"modsys": {"()": "shared.logging.log_handler"}},
        "root": {"level": settings.log_level.upper(), "handlers": ["modsys"]},
        "loggers": {"gunicorn.error": {"level": settings.log_level.upper(), "handlers": [], "propagate": True}},
    }
