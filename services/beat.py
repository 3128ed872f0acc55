"""Entry point of the scheduler: `celery -A services.beat beat` sends the periodic sweeps by name."""

from shared.celery_app import create_celery
from shared.logging import configure_logging
from shared.settings import get_settings

settings = get_settings()
configure_logging(settings)
celery_app = create_celery(settings)
