"""The moderation worker's pipeline tasks: score batches of comments, re-enqueue stale ones."""

import logging

from celery import Celery, Task, shared_task
from celery_batches import Batches, SimpleRequest

from moderation.pipeline.moderate import Moderated, claim_stale_pending, moderate_comments, record_scoring_failure
from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import get_spam_scorer
from shared import task_names
from shared.celery_app import send_tasks
from shared.db import session_scope
from shared.work_metrics import COMMENTS_QUARANTINED

log = logging.getLogger(__name__)


# Batched: one model call and one transaction serve up to flush_every comments (set from
# settings when the worker starts). The message still carries one comment id, so ingest and
# the sweeper are unaware of batching.
# Idempotent, hence acks_late: only pending comments are scored and the verdict is unique per
# (comment, version), so a redelivered or swept copy changes nothing. celery-batches acks a
# batch when it returns, failed or not. A batch that raises is tried again comment by comment,
# so one bad row cannot keep its batch-mates (often other sites' comments) pending; a comment
# that fails alone is counted, and quarantined after MOD_QUARANTINE_AFTER_FAILURES failures.
# What still fails (the database is down) stays pending, and the sweeper re-enqueues it.
@shared_task(
    name=task_names.SCORE_COMMENT, base=Batches, bind=True, acks_late=True, flush_every=64, flush_interval=0.05
)
def score_comment(self: Task, requests: list[SimpleRequest]) -> None:
    """Score a batch of comments, store their verdicts, then hand the site callbacks to notify."""
    comment_ids = list(dict.fromkeys(request.args[0] for request in requests))
    try:
        outcomes = [_moderate(self.app, comment_ids)]
    except Exception:
        if len(comment_ids) == 1:
            _failed(self.app, comment_ids[0])
            return
        log.exception("a batch of %d comments failed; trying them one by one", len(comment_ids))
        outcomes = [outcome for i in comment_ids if (outcome := _moderate_alone(self.app, i)) is not None]
    for moderated in outcomes:
        _hand_over(self.app, moderated)


def _moderate(app: Celery, comment_ids: list[int]) -> Moderated:
    settings = app.settings
    with session_scope(settings.database_url) as session:
        return moderate_comments(
            session,
            comment_ids,
            scorer=get_scorer(settings.toxicity),
            spam=get_spam_scorer(settings),
            defaults=settings.policy,
        )


def _moderate_alone(app: Celery, comment_id: int) -> Moderated | None:
    try:
        return _moderate(app, [comment_id])
    except Exception:  # noqa: BLE001 (counted, and quarantined when it keeps failing)
        _failed(app, comment_id)
        return None


def _failed(app: Celery, comment_id: int) -> None:
    log.exception("scoring comment %s failed", comment_id)
    try:
        with session_scope(app.settings.database_url) as session:
            quarantined = record_scoring_failure(
                session, comment_id, quarantine_after=app.settings.quarantine_after_failures
            )
    except Exception:
        log.exception("could not count the failure of comment %s", comment_id)
        return
    if quarantined:
        COMMENTS_QUARANTINED.inc()
        log.error(
            "comment %s quarantined: its scoring failed %d times", comment_id, app.settings.quarantine_after_failures
        )


def _hand_over(app: Celery, moderated: Moderated) -> None:
    # After the commit, so the notify worker finds the rows; the batch's tasks in one round trip.
    send_tasks(
        app,
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
