"""Cookies, the signing key, CSRF and the login rate limit of the console.

The key is read from the database on first use rather than when the app is built, so a web process
can start (and answer /healthz) before the schema exists; every process of an installation signs
with the same key, so a moderator's session survives being served by another gunicorn worker.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import cast

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from itsdangerous import URLSafeTimedSerializer

from shared.db import session_scope
from shared.instance_secrets import get_or_create_secret
from shared.settings import Settings

log = logging.getLogger(__name__)
SECRET_NAME = "flask_secret_key"
csrf = CSRFProtect()


class InstanceKeySessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions for the console only, signed with the installation's key (read once)."""

    def __init__(self, path_prefix: str):
        self.path_prefix = path_prefix

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        # The key-authenticated APIs never use a session: no cookie to verify, no key to fetch.
        if not request.path.startswith(self.path_prefix):
            return self.null_session_class()
        return super().open_session(app, request)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            try:
                with session_scope(app.config["SETTINGS"].database_url) as session:
                    app.secret_key = get_or_create_secret(session, SECRET_NAME)
            except Exception:  # no database yet: no console session this time (its pages fail); retry next request
                log.exception("could not read the session signing key")
                return None
        return super().get_signing_serializer(app)


def configure_cookies(app: Flask, settings: Settings, path_prefix: str) -> None:
    app.secret_key = settings.secret_key
    app.session_interface = InstanceKeySessionInterface(path_prefix)
    app.config.update(
        SESSION_COOKIE_NAME="modsys_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.console.session_lifetime_h),
        # The JSON APIs authenticate by key and must not need tokens: the console checks CSRF itself.
        WTF_CSRF_CHECK_DEFAULT=False,
        # A queue page stays open all shift; its token lives as long as the session instead of an hour.
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)


def _username_key() -> str:
    return "console-login-user:" + request.form.get("username", "").strip().lower()


def limit_logins(app: Flask, settings: Settings, endpoint: str) -> None:
    """Count login POSTs per client address and per username (failed or not); over the limit: 429."""
    # With no app-wide limits, the limiter's per-request hook costs other routes ~40 µs; accepted rather
    # than unhooking it through Flask-Limiter's private API.
    limiter = Limiter(
        get_remote_address, app=app, storage_uri=settings.console.rate_limit_storage_uri, key_prefix="modsys"
    )
    rate = settings.console.login_rate_limit
    # Flask types a view as sync or async; the console's views are sync, and a limit keeps its view's type.
    view = cast("Callable[..., ResponseReturnValue]", app.view_functions[endpoint])
    # One limiter per app (its storage is per instance), so the login view is wrapped here, not at import.
    view = limiter.limit(rate, methods=["POST"], key_func=_username_key)(view)
    app.view_functions[endpoint] = limiter.limit(rate, methods=["POST"], key_func=get_remote_address)(view)
