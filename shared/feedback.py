"""Labelled examples for the spam model, written by whoever learns a comment's truth.

Ingest records the site's own reports, moderation records moderators' decisions; both meet
in this table, and the spam learner reads it in id order.
"""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.models import SpamFeedback


def record_spam_feedback(session: Session, *, site_id: int, comment_id: int, source: str, label: str) -> bool:
    """Store one label per (comment, source); True when it is new or changed, so there is something to learn."""
    existing = session.scalar(
        select(SpamFeedback)
        .where(SpamFeedback.comment_id == comment_id, SpamFeedback.source == source)
        .with_for_update()
    )
    if existing is not None and existing.label == label:
        return False  # the same feedback again: nothing new
    if existing is not None:
        # A changed mind gets a new id, so the learner (which reads ids it has not seen) learns it.
        session.execute(delete(SpamFeedback).where(SpamFeedback.id == existing.id))
    session.add(SpamFeedback(site_id=site_id, comment_id=comment_id, source=source, label=label))
    session.flush()
    return True
