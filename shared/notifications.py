"""What every service needs to know about notification rows: their kinds, which task delivers each,
and putting dead ones back in line (modctl and the console both replay)."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import task_names
from shared.models import Notification
from shared.vocabulary import NotificationKind, NotificationStatus


def delivery_task(kind: str) -> str:
    """The task that delivers a notification of this kind."""
    return task_names.DELIVER_ALERT if kind == NotificationKind.MODERATOR_ALERT else task_names.DELIVER_CALLBACK


def revive_dead(session: Session, ids: list[int] | None = None) -> list[tuple[int, str]]:
    """Put dead notifications back to pending with a fresh retry budget (all when ids is None): (id, kind)."""
    query = select(Notification.id, Notification.kind).where(Notification.status == NotificationStatus.DEAD)
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    revived = [(row.id, row.kind) for row in session.execute(query.order_by(Notification.id))]
    if revived:
        session.execute(
            update(Notification)
            .where(Notification.id.in_([i for i, _ in revived]))
            .values(status=NotificationStatus.PENDING, attempts=0, not_before=None)
        )
    return revived
