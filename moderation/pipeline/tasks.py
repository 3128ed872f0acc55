"""The moderation worker's pipeline tasks: score batches of comments, re-enqueue stale ones."""

import logging

from celery import Task, shared_task
from celery_batches import Batches, SimpleRequest

from moderation.pipeline.moderate import claim_stale_pending, moderate_comments
from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import get_spam_scorer
from shared import task_names
from shared.celery_app import send_tasks
from shared.db import session_scope

log = logging.getLogger(__name__)


# Batched: one model call and one transaction serve up to flush_every comments (set from
# settings when the worker starts). The message still carries one comment id, so ingest and
# the sweeper are unaware of batching.
# Idempotent, hence acks_late: only pending comments are scored and the verdict is unique per
# (comment, version), so a redelivered or swept copy changes nothing. celery-batches acks a
# batch when it returns, failed or not: a failed batch leaves its comments pending, and the
# sweeper re-enqueues them.
@shared_task(
    name=task_names.SCORE_COMMENT, base=Batches, bind=True, acks_late=True, flush_every=64, flush_interval=0.05
)
def score_comment(self: Task, requests: list[SimpleRequest]) -> None:
    """Score a batch of comments, store their verdicts, then hand the site callbacks to notify."""
    settings = self.app.settings
    comment_ids = [request.args[0] for request in requests]
    with session_scope(settings.database_url) as session:
        moderated = moderate_comments(
            session,
            comment_ids,
            scorer=get_scorer(settings.toxicity),
            spam=get_spam_scorer(settings),
            defaults=settings.policy,
        )
    # After the commit, so the notify worker finds the rows; the batch's tasks in one round trip.
    send_tasks(
        self.app,
        [(task_names.DELIVER_CALLBACK, [notification_id]) for notification_id in moderated.callbacks]
        + [(task_names.DISPATCH_ALERTS, [site_id]) for site_id in moderated.alert_sites],
    )


@shared_task(name=task_names.SWEEP_PENDING_COMMENTS, bind=True)
def sweep_pending_comments(self: Task) -> int:
    """Re-enqueue comments left pending too long (lost on a broker outage or a worker crash)."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        ids = claim_stale_pending(session, older_than_s=settings.pending_requeue_after_s)
    send_tasks(self.app, [(task_names.SCORE_COMMENT, [comment_id]) for comment_id in ids])
    if ids:
        log.warning("re-enqueued %d stale pending comments", len(ids))
    return len(ids)
