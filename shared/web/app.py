"""The Flask application every web blueprint is mounted on: settings, Celery, sessions, errors, metrics."""

from celery import Celery
from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.celery_app import create_celery
from shared.settings import Settings
from shared.web import health, metrics
from shared.web.access_log import log_requests
from shared.web.converters import RowIdConverter
from shared.web.errors import register_error_handlers
from shared.web.session import close_session


class _ReadableJSON(DefaultJSONProvider):
    ensure_ascii = False  # Russian text stays readable in responses


def create_base_app(settings: Settings, celery: Celery | None = None) -> Flask:
    """A Flask app with the plumbing but no product routes; services/web.py mounts those."""
    app = Flask(__name__)
    app.url_map.converters["id"] = RowIdConverter  # before any blueprint adds its routes
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.json = _ReadableJSON(app)
    app.extensions["celery"] = celery or create_celery(settings)
    app.register_blueprint(health.bp)
    app.teardown_appcontext(close_session)
    register_error_handlers(app)
    metrics.instrument(app)
    log_requests(app)
    if settings.trusted_proxies:  # the client's address and scheme as the proxies saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)  # type: ignore[method-assign]
    return app
