"""Moderators' decisions as labelled examples for the toxicity model (`modctl train --with-decisions`).

An approval says "not toxic"; a rejection for a toxic reason says "toxic". Rejections for spam,
off-topic or personal data say nothing about toxicity and are left out, as are decisions that were
undone or overtaken by an edit (the comment's status no longer what the moderator set).
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.models import Comment, ModerationAction
from shared.vocabulary import TOXIC_REJECT_REASONS, ActionKind


def decision_examples(session: Session) -> list[tuple[str, int]]:
    """(text, label) for every comment whose latest standing human decision tells toxic from not."""
    latest = (
        select(func.max(ModerationAction.id))
        .where(ModerationAction.action.in_([ActionKind.APPROVE, ActionKind.REJECT]), ModerationAction.undone.is_(False))
        .group_by(ModerationAction.comment_id)
    )
    rows = session.execute(
        select(Comment.text, ModerationAction.action, ModerationAction.reason)
        .join(Comment, Comment.id == ModerationAction.comment_id)
        .where(ModerationAction.id.in_(latest), Comment.status == ModerationAction.new_status)
        .order_by(ModerationAction.id)
    )
    examples = []
    for text, action, reason in rows:
        if action == ActionKind.APPROVE:
            examples.append((text, 0))
        elif reason in TOXIC_REJECT_REASONS:
            examples.append((text, 1))
    return examples
