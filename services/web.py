"""The web process's application: the site-facing API (ingest) and the moderators' side (moderation)."""

from celery import Celery
from flask import Flask

from ingest import api as ingest_api
from moderation import api as moderation_api
from moderation import console
from shared.settings import Settings, get_settings
from shared.web.app import create_base_app


def create_app(settings: Settings | None = None, celery: Celery | None = None) -> Flask:
    """The Flask app for these settings (default: from the environment)."""
    app = create_base_app(settings or get_settings(), celery)
    app.register_blueprint(ingest_api.bp)
    console.init_app(app)
    app.register_blueprint(moderation_api.bp)
    return app
