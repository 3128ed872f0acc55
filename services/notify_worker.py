"""Entry point of the notify worker: `celery -A services.notify_worker worker -Q notify`."""

from services.worker_observability import observability_step
from shared import task_names
from shared.celery_app import create_celery
from shared.logging import configure_logging
from shared.settings import get_settings

settings = get_settings()
configure_logging(settings)
celery_app = create_celery(settings, include=["notify.tasks"])
celery_app.steps["worker"].add(observability_step(settings, task_names.NOTIFY_QUEUE))
