"""One JSON error shape for every failure: {"error", "message", "details"}."""

from typing import Any

from flask import Flask, Response, jsonify
from kombu.exceptions import OperationalError as BrokerError
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.exc import OperationalError as DatabaseError
from werkzeug.exceptions import HTTPException

# How long a client should wait before retrying while the database or Redis is away: a restart or
# failover takes seconds. Every write of the APIs is idempotent, so a retry is always safe.
RETRY_AFTER_S = 5
_OUTAGES = (DatabaseError, InterfaceError, BrokerError, RedisConnectionError, RedisTimeoutError)


def is_outage(exc: BaseException) -> bool:
    """The database, the broker or Redis is unreachable (or dropped the connection), not a bug of ours."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _OUTAGES) or (isinstance(seen, DBAPIError) and seen.connection_invalidated):
            return True
        seen = seen.__cause__
    return False


class ApiError(Exception):
    """An error the client caused, with its HTTP status and a machine-readable code."""

    def __init__(self, status: int, error: str, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status, self.error, self.message, self.details = status, error, message, details or []


def error_response(status: int, error: str, message: str, details: list[dict[str, Any]] | None = None) -> Response:
    response = jsonify({"error": error, "message": message, "details": details or []})
    response.status_code = status
    return response


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location) or "body"


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """pydantic's errors as [{"field": "article.url", "reason": "..."}]."""
    return [{"field": _field_path(err["loc"]), "reason": err["msg"]} for err in exc.errors()]


def _http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_")


def http_error_response(exc: HTTPException) -> Response:
    """An HTTP exception (404, 405, 413...) in the one shape, with the headers it carries (a 405's Allow)."""
    response = error_response(exc.code or 500, _http_code(exc), exc.description or "")
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.error, exc.message, exc.details)

    @app.errorhandler(ValidationError)
    def invalid_body(exc: ValidationError) -> Response:
        return error_response(422, "validation_failed", "The request has invalid fields.", validation_details(exc))

    app.register_error_handler(HTTPException, http_error_response)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response:
        if is_outage(exc):
            app.logger.warning("answering 503: a dependency is unreachable: %s", exc)
            return unavailable_response()
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side; nothing was stored.")


def unavailable_response() -> Response:
    """503 with Retry-After, in the one shape: the request may be sent again as it is."""
    response = error_response(
        503,
        "service_unavailable",
        "The database or the queue is unreachable for a moment; send the same request again later.",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
