"""The web process's application: the site-facing API (ingest) and the moderators' side (moderation)."""

from celery import Celery
from flask import Flask, Response, jsonify

from ingest import api as ingest_api
from moderation.web import api as moderation_api
from moderation.web import console
from moderation.web.compat import akismet as akismet_compat
from moderation.web.compat import perspective as perspective_compat
from moderation.web.compat import sync as compat_sync
from services.openapi import build_openapi
from shared.settings import Settings, get_settings
from shared.web.app import create_base_app


def create_app(settings: Settings | None = None, celery: Celery | None = None) -> Flask:
    """The Flask app for these settings (default: from the environment)."""
    app = create_base_app(settings or get_settings(), celery)
    app.register_blueprint(ingest_api.bp)
    console.init_app(app)
    app.register_blueprint(moderation_api.bp)
    app.register_blueprint(akismet_compat.bp)  # /akismet/1.1/: a drop-in for Akismet
    app.register_blueprint(perspective_compat.bp)  # /perspective/v1alpha1/: a drop-in for Perspective
    compat_sync.preload(app.config["SETTINGS"])  # the compatible APIs score in the request
    document = build_openapi()
    app.add_url_rule("/openapi.json", "openapi", lambda: _document(document))
    return app


def _document(document: dict) -> Response:
    return jsonify(document)
