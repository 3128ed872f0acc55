"""Entry point of the ingest web process: `gunicorn services.wsgi:app`."""

from services.web import create_app
from shared.logging import configure_logging
from shared.settings import get_settings

configure_logging(get_settings())
app = create_app()
