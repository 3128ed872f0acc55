"""Moderating one comment: score, decide, record the verdict and the callback owed to the site.

Functions take the session and never commit: the task that calls them owns the transaction.
"""

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderation.policy import decide, site_policy
from moderation.scoring import ToxicityResult, ToxicityScorer
from shared.db import insert_ignoring_conflicts
from shared.models import Comment, CommentStatus, Decision, Notification, NotificationStatus, Verdict, utcnow
from shared.settings import PolicySettings

log = logging.getLogger(__name__)
SITE_CALLBACK = "site_callback"


def _callback_payload(comment: Comment, verdict_id: int, decision: str, reasons: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "event": "comment.decided", "comment_id": comment.id, "external_id": comment.external_id,
        "version": comment.version, "status": Decision.STATUS[decision], "decision": decision,
        "decided_by": "auto", "verdict_id": verdict_id, "reasons": reasons,
    }


def _owe_callback(session: Session, comment: Comment, verdict_id: int, decision: str, reasons: list[dict[str, Any]]) -> int | None:
    """Record the site callback in the same transaction as the verdict (an outbox row)."""
    if not comment.site.callback_url:
        return None
    return insert_ignoring_conflicts(session, Notification, {
        "kind": SITE_CALLBACK, "site_id": comment.site_id, "comment_id": comment.id, "verdict_id": verdict_id,
        "target_url": comment.site.callback_url, "payload": _callback_payload(comment, verdict_id, decision, reasons),
        "status": NotificationStatus.PENDING, "attempts": 0, "created_at": utcnow(),
    })


def _record_verdict(session: Session, comment: Comment, result: ToxicityResult, scorer: ToxicityScorer, decision: str, reasons: list[dict[str, Any]]) -> int | None:
    return insert_ignoring_conflicts(session, Verdict, {
        "comment_id": comment.id, "version": comment.version, "decision": decision,
        "scores": {k: round(v, 4) for k, v in result.scores.items()}, "reasons": reasons,
        "decided_by": "auto", "model_name": scorer.name, "model_version": scorer.version, "created_at": utcnow(),
    })


def moderate_comment(session: Session, comment_id: int, *, scorer: ToxicityScorer, defaults: PolicySettings) -> int | None:
    """Decide one pending comment; returns the id of the callback notification it owes, if any."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.status != CommentStatus.PENDING:
        return None  # unknown, or decided already (a redelivery, or a sweeper's second copy)
    result = scorer.score_batch([comment.text])[0]
    decision, reasons = decide(result, site_policy(defaults, comment.site.policy or {}))
    verdict_id = _record_verdict(session, comment, result, scorer, decision, reasons)
    if verdict_id is None:
        return None  # another worker recorded this version's verdict first
    # Only the version we scored: an edit that landed meanwhile stays pending for its own verdict.
    session.execute(
        update(Comment).where(Comment.id == comment.id, Comment.version == comment.version)
        .values(status=Decision.STATUS[decision], updated_at=utcnow())
    )
    log.info("comment %s v%s: %s", comment.id, comment.version, decision)
    return _owe_callback(session, comment, verdict_id, decision, reasons)


def claim_stale_pending(session: Session, *, older_than_s: int, limit: int = 1000) -> list[int]:
    """Pending comments nobody has queued for a while; marks them queued now."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    ids = list(session.scalars(
        select(Comment.id).where(Comment.status == CommentStatus.PENDING, Comment.queued_at < cutoff)
        .order_by(Comment.queued_at).limit(limit)
    ))
    if ids:
        session.execute(update(Comment).where(Comment.id.in_(ids)).values(queued_at=utcnow()))
    return ids
