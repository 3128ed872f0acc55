"""The ingest web application factory."""

from celery import Celery
from flask import Flask

from ingest import api, health, metrics
from ingest.db import close_session
from ingest.errors import register_error_handlers
from shared.celery_app import create_celery
from shared.settings import Settings, get_settings


def create_app(settings: Settings | None = None, celery: Celery | None = None) -> Flask:
    """The Flask app for these settings (default: from the environment)."""
    settings = settings or get_settings()
    app = Flask(__name__)
    app.config.update(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.json.ensure_ascii = False  # Russian text stays readable in responses
    app.extensions["celery"] = celery or create_celery(settings)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.teardown_appcontext(close_session)
    register_error_handlers(app)
    metrics.instrument(app)
    return app
