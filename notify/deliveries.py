"""The notification rows' life: claim, record each attempt, retry, die, replay, sweep.

Functions take the session and never commit; the task owns each transaction. The HTTP call
happens between two transactions, so no database lock is held while a site is slow.
"""

from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from notify.alerts.dispatch import alert_from_payload, channel_target
from notify.alerts.message import Alert, ChannelTarget
from notify.callbacks import AttemptResult, Delivery, backoff_s
from shared.models import DeliveryAttempt, Notification, NotificationChannel, Site, utcnow
from shared.settings import CallbackSettings, NotifySettings
from shared.site_lifecycle import signing_secrets
from shared.vocabulary import NotificationStatus


def _lease(session: Session, notification_id: int, lease_s: float) -> Notification | None:
    """The notification, leased for one try, unless it is done, dead, or another try holds it."""
    now = utcnow()
    claimed = session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.PENDING,
            or_(Notification.not_before.is_(None), Notification.not_before <= now),
        )
        .values(not_before=now + timedelta(seconds=lease_s))
        .returning(Notification.id)
    ).scalar_one_or_none()
    return None if claimed is None else session.get(Notification, notification_id)


def claim(session: Session, notification_id: int, *, lease_s: float) -> Delivery | None:
    """Take a site callback for one try."""
    row = _lease(session, notification_id, lease_s)
    if row is None:
        return None
    site = session.get_one(Site, row.site_id)
    return Delivery(row.id, row.target_url, signing_secrets(site), row.payload)


def claim_alert(session: Session, notification_id: int, *, lease_s: float) -> tuple[ChannelTarget, Alert] | None:
    """Take a moderator alert for one try: where it goes and what it says."""
    row = _lease(session, notification_id, lease_s)
    if row is None:
        return None
    if row.channel_id is None:
        raise ValueError(f"notification {row.id} is a {row.kind}, not a moderator alert: it names no channel")
    channel = session.get_one(NotificationChannel, row.channel_id)
    return channel_target(channel, session.get_one(Site, row.site_id)), alert_from_payload(row.payload)


def record_attempt(
    session: Session,
    notification_id: int,
    result: AttemptResult,
    policy: CallbackSettings | NotifySettings,
) -> float | None:
    """Store the attempt and settle the row; returns the delay before the next try, if any."""
    session.add(
        DeliveryAttempt(
            notification_id=notification_id,
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
        )
    )
    row = session.get_one(Notification, notification_id)
    row.attempts += 1
    row.last_error = result.error
    if result.delivered:
        row.status, row.delivered_at, row.not_before = NotificationStatus.DELIVERED, utcnow(), None
        return None
    if not result.retryable or row.attempts >= policy.max_attempts:
        row.status, row.not_before = NotificationStatus.DEAD, None
        return None
    # A server that says when to come back (429 Retry-After) is not asked again before then.
    delay = max(backoff_s(row.attempts, policy), result.retry_after_s or 0.0)
    row.not_before = utcnow() + timedelta(seconds=delay)
    return delay


def stale_pending(session: Session, *, older_than_s: int, limit: int = 1000) -> list[tuple[int, str]]:
    """Pending notifications nobody has tried for a while (their message was lost): (id, kind)."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    due = func.coalesce(Notification.not_before, Notification.created_at)
    query = select(Notification.id, Notification.kind).where(
        Notification.status == NotificationStatus.PENDING, due < cutoff
    )
    return [(row.id, row.kind) for row in session.execute(query.order_by(Notification.id).limit(limit))]
