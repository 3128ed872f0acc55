"""The notification rows' life: claim, record each attempt, retry, die, replay, sweep.

Functions take the session and never commit; the task owns each transaction. The HTTP call
happens between two transactions, so no database lock is held while a site is slow.

A comment's callbacks reach the site in the order they were decided: one is not sent while an
older one for the same comment is pending (retrying through an outage, say), so a retry of the
machine's verdict never lands after the moderator's decision that replaced it. When the older
one is settled (delivered or dead), the next in line is released at once. Decisions on one
comment are recorded while its row is locked, so their ids are in decision order.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased

from notify.alerts.dispatch import alert_from_payload, channel_target
from notify.alerts.message import Alert, ChannelTarget
from notify.callbacks import AttemptResult, Delivery, backoff_s
from shared.models import DeliveryAttempt, Notification, NotificationChannel, Site, as_utc, utcnow
from shared.settings import CallbackSettings, NotifySettings
from shared.site_lifecycle import signing_secrets
from shared.vocabulary import NotificationKind, NotificationStatus


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


def _older_pending_callback(session: Session, notification_id: int) -> Notification | None:
    """The oldest callback for the same comment that is still pending before this one, if any."""
    this = session.get(Notification, notification_id)
    if this is None or this.comment_id is None or this.kind != NotificationKind.SITE_CALLBACK:
        return None
    return session.scalar(
        select(Notification)
        .where(
            Notification.comment_id == this.comment_id,
            Notification.kind == NotificationKind.SITE_CALLBACK,
            Notification.status == NotificationStatus.PENDING,
            Notification.id < this.id,
        )
        .order_by(Notification.id)
        .limit(1)
    )


def claim(session: Session, notification_id: int, *, lease_s: float) -> Delivery | None:
    """Take a site callback for one try, unless an older one for its comment must go first."""
    older = _older_pending_callback(session, notification_id)
    if older is not None:
        # Wait behind it: not swept again before its next try; release_next frees it when the older
        # settles. Only while the older is still pending as this statement runs, so a release that
        # committed meanwhile is not undone.
        other = aliased(Notification)  # not the row being updated: its own alias, uncorrelated
        older_now = select(other.not_before).where(other.id == older.id, other.status == NotificationStatus.PENDING)
        session.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.status == NotificationStatus.PENDING,
                older_now.exists(),
            )
            .values(not_before=func.coalesce(older_now.scalar_subquery(), utcnow()))
        )
        return None
    row = _lease(session, notification_id, lease_s)
    if row is None:
        return None
    site = session.get_one(Site, row.site_id)
    return Delivery(row.id, row.target_url, signing_secrets(site), row.payload)


def release_next(session: Session, notification_id: int) -> int | None:
    """After a callback settled (delivered or dead): the next one for its comment, due now, if any."""
    this = session.get_one(Notification, notification_id)
    if (
        this.status == NotificationStatus.PENDING
        or this.comment_id is None
        or this.kind != NotificationKind.SITE_CALLBACK
    ):
        return None  # alerts keep no order per comment: each follows its own schedule
    following = session.scalar(
        select(Notification.id)
        .where(
            Notification.comment_id == this.comment_id,
            Notification.kind == NotificationKind.SITE_CALLBACK,
            Notification.status == NotificationStatus.PENDING,
            Notification.id > this.id,
        )
        .order_by(Notification.id)
        .limit(1)
    )
    if following is not None:
        session.execute(update(Notification).where(Notification.id == following).values(not_before=None))
    return following


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
    now = utcnow()
    deadline = _give_up_at(row, policy)
    out_of_tries = policy.max_attempts is not None and row.attempts >= policy.max_attempts
    if not result.retryable or out_of_tries or (deadline is not None and now >= deadline):
        row.status, row.not_before = NotificationStatus.DEAD, None
        return None
    # A server that says when to come back (429 Retry-After) is not asked again before then.
    delay = max(backoff_s(row.attempts, policy), result.retry_after_s or 0.0)
    if deadline is not None:  # the last try falls on the deadline, not past it
        delay = min(delay, (deadline - now).total_seconds())
    row.not_before = now + timedelta(seconds=delay)
    return delay


def _give_up_at(row: Notification, policy: CallbackSettings | NotifySettings) -> datetime | None:
    if policy.retry_for_s is None:
        return None
    return as_utc(row.created_at) + timedelta(seconds=policy.retry_for_s)


def stale_pending(session: Session, *, older_than_s: int, limit: int = 1000) -> list[tuple[int, str]]:
    """Pending notifications nobody has tried for a while (their message was lost): (id, kind)."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    due = func.coalesce(Notification.not_before, Notification.created_at)
    query = select(Notification.id, Notification.kind).where(
        Notification.status == NotificationStatus.PENDING, due < cutoff
    )
    return [(row.id, row.kind) for row in session.execute(query.order_by(Notification.id).limit(limit))]
