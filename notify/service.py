"""The notification rows' life: claim, record each attempt, retry, die, replay, sweep.

Functions take the session and never commit; the task owns each transaction. The HTTP call
happens between two transactions, so no database lock is held while a site is slow.
"""

from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from notify.callbacks import AttemptResult, Delivery, backoff_s
from shared.models import DeliveryAttempt, Notification, NotificationStatus, Site, utcnow
from shared.settings import CallbackSettings


def claim(session: Session, notification_id: int, *, lease_s: float) -> Delivery | None:
    """Take the notification for one try, unless it is done, dead, or another try holds it."""
    now = utcnow()
    claimed = session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == NotificationStatus.PENDING,
               or_(Notification.not_before.is_(None), Notification.not_before <= now))
        .values(not_before=now + timedelta(seconds=lease_s))
        .returning(Notification.id)
    ).scalar_one_or_none()
    if claimed is None:
        return None
    row = session.get(Notification, notification_id)
    site = session.get(Site, row.site_id)
    return Delivery(row.id, row.target_url, site.signing_secret, row.payload)


def record_attempt(session: Session, notification_id: int, result: AttemptResult, policy: CallbackSettings) -> float | None:
    """Store the attempt and settle the row; returns the delay before the next try, if any."""
    session.add(DeliveryAttempt(notification_id=notification_id, status_code=result.status_code,
                                error=result.error, duration_ms=result.duration_ms))
    row = session.get(Notification, notification_id)
    row.attempts += 1
    row.last_error = result.error
    if result.delivered:
        row.status, row.delivered_at, row.not_before = NotificationStatus.DELIVERED, utcnow(), None
        return None
    if not result.retryable or row.attempts >= policy.max_attempts:
        row.status, row.not_before = NotificationStatus.DEAD, None
        return None
    delay = backoff_s(row.attempts, policy)
    row.not_before = utcnow() + timedelta(seconds=delay)
    return delay


def revive_dead(session: Session, ids: list[int] | None = None) -> list[int]:
    """Put dead notifications back to pending with a fresh retry budget (all when ids is None)."""
    query = select(Notification.id).where(Notification.status == NotificationStatus.DEAD)
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    revived = list(session.scalars(query))
    if revived:
        session.execute(update(Notification).where(Notification.id.in_(revived))
                        .values(status=NotificationStatus.PENDING, attempts=0, not_before=None))
    return revived


def stale_pending(session: Session, *, older_than_s: int, limit: int = 1000) -> list[int]:
    """Pending notifications nobody has tried for a while (their message was lost)."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    due = func.coalesce(Notification.not_before, Notification.created_at)
    query = select(Notification.id).where(Notification.status == NotificationStatus.PENDING, due < cutoff)
    return list(session.scalars(query.order_by(Notification.id).limit(limit)))
