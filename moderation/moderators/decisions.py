"""Human decisions: approve, reject, ban or suspend an author, undo.

Each is an audit row (who, what, when, why, and the state it replaced), a signed callback owed to the
site (an outbox row in the same transaction), and a labelled example for the site's spam model.
The console and the JSON API both come here. Functions take the session and never commit: the
request that calls them owns the transaction, then enqueues `outcome.notifications` and, when
`outcome.learn` is set, the spam learner.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from moderation.moderators.errors import DecisionError
from moderation.moderators.notes import delete_note
from shared.categories import SPAM
from shared.feedback import record_spam_feedback
from shared.models import (
    AuthorRestriction,
    Comment,
    CommentReport,
    ModerationAction,
    Notification,
    Site,
    SpamFeedback,
    as_utc,
    utcnow,
)
from shared.site_policy import load_site_policy, publishable
from shared.vocabulary import (
    OTHER_REASON,
    REJECT_REASONS,
    WAITING_STATUSES,
    ActionKind,
    Decision,
    NotificationKind,
    NotificationStatus,
    SpamLabel,
)
from shared.work_metrics import count_verdict

# The decisions a human takes on a comment (the machine's third, review, is for humans to take).
HUMAN_DECISIONS = (ActionKind.APPROVE, ActionKind.REJECT)
# An undo is not undone: take the action again.
UNDOABLE = frozenset(ActionKind) - {ActionKind.UNDO}


@dataclass
class Outcome:
    """What an action left to do after the commit."""

    action: ModerationAction
    notifications: list[int] = field(default_factory=list)  # callbacks to hand to notify
    learn_site_id: int | None = None  # the site whose spam model has new labels
    rejected: list[ModerationAction] = field(default_factory=list)  # a ban's rejections of waiting comments


def moderator_actor(username: str) -> str:
    return f"moderator:{username}"


def _spam_label(action: str, reason: str | None) -> str | None:
    """What the decision says about spam: an approval or a reject for a named non-spam reason is
    "ham", a reject for spam is "spam", a reject for "other" says nothing (it may have been either)."""
    if action != ActionKind.REJECT:
        return SpamLabel.HAM
    return {SPAM: SpamLabel.SPAM, OTHER_REASON: None}.get(reason or OTHER_REASON, SpamLabel.HAM)


def _owe_callback(session: Session, site: Site, action: ModerationAction, payload: dict[str, Any]) -> list[int]:
    if not site.callback_url:
        return []
    notification = Notification(
        kind=NotificationKind.SITE_CALLBACK,
        site_id=site.id,
        comment_id=action.comment_id,
        action_id=action.id,
        target_url=site.callback_url,
        payload=payload,
        status=NotificationStatus.PENDING,
        attempts=0,
    )
    session.add(notification)
    session.flush()
    return [notification.id]


def _comment_payload(comment: Comment, action: ModerationAction) -> dict[str, Any]:
    # An undo can put a comment back in review or pending: the payload's decision then names that status.
    decision = Decision.of_status(comment.status) or comment.status
    payload = {
        "event": "comment.decided",
        "comment_id": comment.id,
        "external_id": comment.external_id,
        "version": comment.version,
        "status": comment.status,
        "decision": decision,
        "decided_by": action.actor,
        "action_id": action.id,
        "reason": action.reason,
        "note": action.note,
        "publish": publishable(comment.status, load_site_policy(comment.site.policy).mode),
    }
    if action.undoes_id is not None:
        payload["undoes_action_id"] = action.undoes_id
    return payload


def _validate_reason(action: str, reason: str | None) -> str | None:
    if action == ActionKind.REJECT and reason is None:
        return OTHER_REASON
    if reason is not None and reason not in REJECT_REASONS:
        raise DecisionError("invalid_reason", f"Unknown reason {reason!r}; one of {', '.join(REJECT_REASONS)}.")
    return reason


def _apply(
    session: Session,
    comment: Comment,
    action_kind: ActionKind,
    *,
    actor: str,
    reason: str | None,
    note: str | None,
    parent: ModerationAction | None = None,
) -> Outcome:
    """Set the comment's status, write the audit row, the callback and the label."""
    previous = comment.status
    comment.status, comment.updated_at = Decision(action_kind.value).status, utcnow()
    action = ModerationAction(
        site_id=comment.site_id,
        comment_id=comment.id,
        author_id=comment.author_id,
        actor=actor,
        action=action_kind,
        reason=reason,
        note=note,
        previous_status=previous,
        new_status=comment.status,
        version=comment.version,
        parent_id=parent.id if parent else None,
        undone=False,
    )
    session.add(action)
    session.flush()
    # A decision answers the readers' reports on the comment.
    session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    label = _spam_label(action_kind, reason)
    if label is None:  # this actor's earlier label on the comment no longer stands
        session.execute(delete(SpamFeedback).where(SpamFeedback.comment_id == comment.id, SpamFeedback.source == actor))
    learnt = label is not None and record_spam_feedback(
        session, site_id=comment.site_id, comment_id=comment.id, source=actor, label=label
    )
    owed = _owe_callback(session, comment.site, action, _comment_payload(comment, action))
    count_verdict(session, action_kind, actor)
    return Outcome(action, owed, comment.site_id if learnt else None)


def _locked_comment(session: Session, comment_id: int) -> Comment:
    comment = session.scalar(select(Comment).where(Comment.id == comment_id).with_for_update())
    if comment is None:
        raise DecisionError("not_found", f"No comment {comment_id}.")
    return comment


def decide_comment(
    session: Session,
    comment_id: int,
    decision: str,
    *,
    actor: str,
    reason: str | None = None,
    note: str | None = None,
) -> Outcome:
    """Approve or reject one comment, whatever its status (a human overrides the machine)."""
    if decision not in HUMAN_DECISIONS:
        raise DecisionError("invalid_decision", f"Unknown decision {decision!r}; one of approve, reject.")
    action = ActionKind(decision)
    reason = _validate_reason(action, reason)
    return _apply(session, _locked_comment(session, comment_id), action, actor=actor, reason=reason, note=note)


def decide_many(
    session: Session,
    comment_ids: Sequence[int],
    decision: str,
    *,
    actor: str,
    reason: str | None = None,
) -> list[Outcome]:
    """A bulk action: the same decision on each comment, in one transaction."""
    return [decide_comment(session, comment_id, decision, actor=actor, reason=reason) for comment_id in comment_ids]


def _author_payload(
    event: str, action: ModerationAction, until: datetime | None, rejected: list[int]
) -> dict[str, Any]:
    return {
        "event": event,
        "author_id": action.author_id,
        "until": as_utc(until).isoformat() if until else None,
        "reason": action.reason,
        "note": action.note,
        "decided_by": action.actor,
        "action_id": action.id,
        "rejected_comment_ids": rejected,
    }


def ban_author(
    session: Session,
    site: Site,
    author_id: str,
    *,
    actor: str,
    reason: str | None = None,
    until: datetime | None = None,
    note: str | None = None,
    comment_id: int | None = None,
) -> Outcome:
    """Ban (or, with `until`, suspend) an author: their waiting comments are rejected, new ones too."""
    reason = _validate_reason(ActionKind.REJECT, reason)
    if until is not None and as_utc(until) <= utcnow():
        raise DecisionError("invalid_until", "A suspension must end in the future.")
    if comment_id is not None and session.scalar(select(Comment.site_id).where(Comment.id == comment_id)) != site.id:
        raise DecisionError("not_found", f"No comment {comment_id} on this site.")  # the comment that prompted it
    kind = ActionKind.SUSPEND if until is not None else ActionKind.BAN
    ban = ModerationAction(
        site_id=site.id,
        comment_id=comment_id,
        author_id=author_id,
        actor=actor,
        action=kind,
        reason=reason,
        note=note,
        undone=False,
    )
    session.add(ban)
    session.flush()
    session.add(
        AuthorRestriction(site_id=site.id, author_id=author_id, kind=kind, until=until, reason=reason, action_id=ban.id)
    )
    waiting = session.scalars(
        select(Comment)
        .where(Comment.site_id == site.id, Comment.author_id == author_id, Comment.status.in_(WAITING_STATUSES))
        .order_by(Comment.id)
        .with_for_update()
    ).all()
    outcome = Outcome(ban)
    for comment in waiting:
        rejected = _apply(session, comment, ActionKind.REJECT, actor=actor, reason=reason, note=note, parent=ban)
        outcome.notifications += rejected.notifications
        outcome.learn_site_id = outcome.learn_site_id or rejected.learn_site_id
        outcome.rejected.append(rejected.action)
    event = "author.suspended" if until is not None else "author.banned"
    outcome.notifications += _owe_callback(
        session, site, ban, _author_payload(event, ban, until, [c.id for c in waiting])
    )
    return outcome


def _undo_decision(session: Session, undo: ModerationAction, original: ModerationAction) -> Outcome:
    # An approve or reject always names its comment and the status it replaced (only bans have neither).
    if original.comment_id is None or original.previous_status is None:
        raise DecisionError("not_found", f"No comment decided by action {original.id}.")
    comment = _locked_comment(session, original.comment_id)
    if original.version is not None and comment.version != original.version:
        raise DecisionError(
            "superseded", f"Comment {comment.id} has been edited since (now version {comment.version})."
        )
    if comment.status != original.new_status:
        raise DecisionError("superseded", f"Comment {comment.id} has changed since (now {comment.status}).")
    comment.status, comment.updated_at = original.previous_status, utcnow()
    undo.comment_id, undo.author_id, undo.version = comment.id, comment.author_id, comment.version
    undo.previous_status, undo.new_status = original.new_status, original.previous_status
    session.flush()
    # The label goes with the decision: a retrained model no longer learns it (the online model
    # keeps what it learnt until `modctl train-spam` retrains from the remaining labels).
    session.execute(
        delete(SpamFeedback).where(SpamFeedback.comment_id == comment.id, SpamFeedback.source == original.actor)
    )
    return Outcome(undo, _owe_callback(session, comment.site, undo, _comment_payload(comment, undo)))


def _undo_restriction(session: Session, undo: ModerationAction, original: ModerationAction) -> Outcome:
    session.execute(
        update(AuthorRestriction).where(AuthorRestriction.action_id == original.id).values(lifted_at=utcnow())
    )
    undo.author_id = original.author_id
    outcome = Outcome(undo)
    restored = []
    children = session.scalars(
        select(ModerationAction).where(ModerationAction.parent_id == original.id, ModerationAction.undone.is_(False))
    )
    for child in children.all():
        try:
            child_undo = _undo_one(session, child, actor=undo.actor, parent=undo)
        except DecisionError:
            continue  # decided again since the ban: that later decision stands
        outcome.notifications += child_undo.notifications
        restored.append(child.comment_id)
    site = session.get_one(Site, original.site_id)
    outcome.notifications += _owe_callback(
        session,
        site,
        undo,
        {
            **_author_payload("author.unbanned", undo, None, []),
            "restored_comment_ids": restored,
            "undoes_action_id": original.id,
        },
    )
    return outcome


def _undo_one(session: Session, original: ModerationAction, *, actor: str, parent: ModerationAction | None) -> Outcome:
    undo = ModerationAction(
        site_id=original.site_id,
        actor=actor,
        action=ActionKind.UNDO,
        reason=None,
        undoes_id=original.id,
        parent_id=parent.id if parent else None,
        undone=False,
    )
    session.add(undo)
    session.flush()
    if original.action in (ActionKind.BAN, ActionKind.SUSPEND):
        outcome = _undo_restriction(session, undo, original)
    elif original.action == ActionKind.NOTE:
        outcome = Outcome(undo)
        delete_note(session, original, undo)
    else:
        outcome = _undo_decision(session, undo, original)
    original.undone = True
    return outcome


def undoable(action: ModerationAction, comment: Comment | None = None) -> bool:
    """Whether an undo of the action could succeed: not undone yet, of a kind that undoes, and, for
    a decision on `comment`, still what stands (no later decision or edit since)."""
    if action.undone or action.action not in UNDOABLE:
        return False
    if comment is None or action.action not in HUMAN_DECISIONS:
        return True
    return comment.status == action.new_status and action.version in (None, comment.version)


def undo_action(session: Session, action_id: int, *, actor: str, site_id: int | None = None) -> Outcome:
    """Reverse an approve, reject, ban or suspension; the undo is itself an audit row."""
    original = session.scalar(select(ModerationAction).where(ModerationAction.id == action_id).with_for_update())
    if original is None or (site_id is not None and original.site_id != site_id):
        raise DecisionError("not_found", f"No action {action_id}.")
    if original.action not in UNDOABLE:
        raise DecisionError("not_undoable", f"A {original.action} cannot be undone; take the action again instead.")
    if original.undone:
        raise DecisionError("already_undone", f"Action {action_id} is already undone.")
    return _undo_one(session, original, actor=actor, parent=None)
