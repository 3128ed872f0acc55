"""Entry point of the moderation worker: `celery -A services.moderation_worker worker -Q moderation`."""

from celery.signals import worker_process_init

from moderation.scorers import get_scorer
from shared.celery_app import create_celery
from shared.logging import configure_logging
from shared.settings import get_settings

settings = get_settings()
configure_logging(settings.log_level)
celery_app = create_celery(settings, include=["moderation.tasks"])


@worker_process_init.connect
def load_model(**_kwargs: object) -> None:
    """Load the model before the first comment arrives, not while it waits."""
    get_scorer(settings.toxicity)
