"""The notify worker's tasks."""

import logging

from celery import Task, shared_task

from notify.callbacks import post_signed
from notify.service import claim, record_attempt, stale_pending
from shared import task_names
from shared.db import session_scope

log = logging.getLogger(__name__)


# Idempotent, hence acks_late: a try first claims the row (pending, not leased), so a
# redelivered or swept copy of a delivered notification does nothing.
@shared_task(name=task_names.DELIVER_CALLBACK, bind=True, acks_late=True)
def deliver_callback(self: Task, notification_id: int) -> None:
    """Try one delivery; on a retryable failure, schedule the next try with backoff."""
    settings = self.app.settings
    policy = settings.callback
    with session_scope(settings.database_url) as session:
        delivery = claim(session, notification_id, lease_s=policy.timeout_s * 2 + 5)
    if delivery is None:
        return
    result = post_signed(delivery, timeout_s=policy.timeout_s)
    with session_scope(settings.database_url) as session:
        delay = record_attempt(session, notification_id, result, policy)
    if delay is not None:
        log.info("callback %s failed (%s); next try in %.1fs", notification_id, result.error, delay)
        self.app.send_task(task_names.DELIVER_CALLBACK, args=[notification_id], countdown=delay)
    elif not result.delivered:
        log.warning("callback %s is dead: %s", notification_id, result.error)


@shared_task(name=task_names.SWEEP_PENDING_NOTIFICATIONS, bind=True)
def sweep_pending_notifications(self: Task) -> int:
    """Re-enqueue notifications whose message was lost; claiming makes duplicates harmless."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        ids = stale_pending(session, older_than_s=settings.pending_requeue_after_s)
    for notification_id in ids:
        self.app.send_task(task_names.DELIVER_CALLBACK, args=[notification_id])
    return len(ids)
