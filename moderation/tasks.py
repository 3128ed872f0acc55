"""The moderation worker's tasks: thin wrappers that own the session and the enqueueing."""

import logging

from celery import Task, shared_task
from sqlalchemy.exc import OperationalError

from moderation.scorers import get_scorer
from moderation.service import claim_stale_pending, moderate_comment
from shared import task_names
from shared.db import session_scope

log = logging.getLogger(__name__)


# Idempotent, hence acks_late: the verdict is unique per (comment, version) and only a pending
# comment is scored, so running a redelivered or swept copy again changes nothing.
@shared_task(
    name=task_names.SCORE_COMMENT, bind=True, acks_late=True,
    autoretry_for=(OperationalError,), retry_backoff=True, retry_jitter=True, max_retries=5,
)
def score_comment(self: Task, comment_id: int) -> None:
    """Score one comment, store its verdict, then hand the site callback to the notify queue."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        notification_id = moderate_comment(
            session, comment_id, scorer=get_scorer(settings.toxicity), defaults=settings.policy
        )
    if notification_id is not None:  # after the commit, so the notify worker finds the row
        self.app.send_task(task_names.DELIVER_CALLBACK, args=[notification_id])


@shared_task(name=task_names.SWEEP_PENDING_COMMENTS, bind=True)
def sweep_pending_comments(self: Task) -> int:
    """Re-enqueue comments left pending too long (lost on a broker outage or a worker crash)."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        ids = claim_stale_pending(session, older_than_s=settings.pending_requeue_after_s)
    for comment_id in ids:
        self.app.send_task(task_names.SCORE_COMMENT, args=[comment_id])
    if ids:
        log.warning("re-enqueued %d stale pending comments", len(ids))
    return len(ids)
