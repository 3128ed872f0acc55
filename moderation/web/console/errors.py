"""Error pages of the console: readable pages (or short JSON for its script), in the moderator's language.

The app's own handlers answer JSON for the APIs; a blueprint handler wins for console routes.
"""

from flask import Response, jsonify, render_template
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from moderation.web.console.blueprint import bp, wants_json


def _message(exc: HTTPException) -> str:
    if isinstance(exc, CSRFError):
        return _("The form has expired or did not come from the console. Reload the page and try again.")
    messages = {
        400: _("The request was not valid. Reload the page and try again."),
        403: _("Only administrators can do this."),
        404: _("Not found."),
        405: _("The request was not valid. Reload the page and try again."),
        429: _("Too many login attempts. Wait a minute and try again."),
    }
    return messages.get(exc.code or 500, exc.description or "")


def error_page(exc: HTTPException) -> tuple[str | Response, int]:
    status = exc.code or 500
    if wants_json():
        return jsonify(error=(exc.name or "error").lower().replace(" ", "_"), message=_message(exc)), status
    return render_template("error.html", status=status, message=_message(exc)), status


for _status in (400, 403, 404, 405, 429):
    bp.register_error_handler(_status, error_page)
bp.register_error_handler(CSRFError, error_page)
bp.register_error_handler(RateLimitExceeded, error_page)
