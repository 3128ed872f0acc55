"""One JSON error shape for every failure: {"error", "message", "details"}."""

from typing import Any

from flask import Flask, Response, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException


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


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.error, exc.message, exc.details)

    @app.errorhandler(ValidationError)
    def invalid_body(exc: ValidationError) -> Response:
        return error_response(422, "validation_failed", "The request has invalid fields.", validation_details(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, _http_code(exc), exc.description or "")
        # Keep what the exception says beyond its page: a 405's Allow, a 429's Retry-After.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side; nothing was stored.")
