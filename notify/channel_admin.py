"""Adding, listing and trying a site's notification channels (used by modctl)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notify.alerts.message import Alert, AlertItem, Piece
from notify.channels import validate_target
from shared.console_urls import queue_url
from shared.models import DeliveryAttempt, Notification, NotificationChannel, Site
from shared.settings import NotifySettings
from shared.site_policy import load_site_policy
from shared.vocabulary import DEFAULT_CHANNEL_EVENTS, ChannelKind, EventKind, NotificationStatus


def add_channel(
    session: Session,
    site: Site,
    *,
    kind: str,
    target: str,
    secret: str | None = None,
    events: tuple[str, ...] = DEFAULT_CHANNEL_EVENTS,
    settings: NotifySettings,
    digest_interval_s: int | None = None,
    digest_max_items: int | None = None,
) -> NotificationChannel:
    """A new active channel; ValueError (with the reason) for a bad kind, target, secret or event."""
    if kind not in tuple(ChannelKind):
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(ChannelKind)}")
    unknown = sorted(set(events) - set(EventKind))
    if unknown or not events:
        raise ValueError(f"events must be some of {', '.join(EventKind)} (got {', '.join(events) or 'none'})")
    validate_target(kind, target, secret)
    interval = settings.digest_interval_s if digest_interval_s is None else digest_interval_s
    max_items = settings.digest_max_items if digest_max_items is None else digest_max_items
    if interval < 0 or not 1 <= max_items <= 50:
        raise ValueError("the digest interval must be 0 s or more, and a digest shows 1 to 50 comments")
    channel = NotificationChannel(
        site_id=site.id,
        kind=kind,
        target=target,
        secret=secret,
        events=list(events),
        digest_interval_s=interval,
        digest_max_items=max_items,
        active=True,
        last_event_id=0,
    )
    session.add(channel)
    session.flush()
    return channel


@dataclass(frozen=True)
class ChannelHealth:
    channel: NotificationChannel
    site_name: str
    delivered: int
    pending: int
    dead: int
    last_attempt_at: datetime | None
    last_error: str | None  # of the last attempt, None when it succeeded


def list_channels(session: Session, site: Site | None = None) -> list[ChannelHealth]:
    """Every channel (of one site) with how its messages fared."""
    query = select(NotificationChannel, Site.name).join(Site, Site.id == NotificationChannel.site_id)
    if site is not None:
        query = query.where(NotificationChannel.site_id == site.id)
    rows = session.execute(query.order_by(NotificationChannel.id)).all()
    counts = {
        (channel_id, status): n
        for channel_id, status, n in session.execute(
            select(Notification.channel_id, Notification.status, func.count())
            .where(Notification.channel_id.is_not(None))
            .group_by(Notification.channel_id, Notification.status)
        )
    }
    health = []
    for channel, site_name in rows:
        last = session.execute(
            select(DeliveryAttempt.created_at, DeliveryAttempt.error)
            .join(Notification)
            .where(Notification.channel_id == channel.id)
            .order_by(DeliveryAttempt.id.desc())
            .limit(1)
        ).first()
        health.append(
            ChannelHealth(
                channel,
                site_name,
                counts.get((channel.id, NotificationStatus.DELIVERED), 0),
                counts.get((channel.id, NotificationStatus.PENDING), 0),
                counts.get((channel.id, NotificationStatus.DEAD), 0),
                last.created_at if last else None,
                last.error if last else None,
            )
        )
    return health


def sample_alert(site: Site, base_url: str) -> Alert:
    """What `modctl channel test` sends: a made-up comment, marked as a test."""
    russian = load_site_policy(site.policy).language == "ru"
    text = "Проверка связи: так будет выглядеть комментарий, " if russian else "Testing: this is how a comment "
    text_end = "который ждёт проверки." if russian else "waiting for review will look."
    item = AlertItem(
        comment_id=0,
        event=EventKind.REVIEW,
        article_title="modsys" if not russian else "Проверка уведомлений",
        article_url=base_url,
        author_name="modsys",
        pieces=(Piece(text), Piece(text_end, "toxicity")),
        top_scores=(("toxicity", 0.5),),
        reasons=(),
        console_url=queue_url(base_url, site.id),
    )
    return Alert(
        site_name=site.name,
        language="ru" if russian else "en",
        items=(item,),
        total=1,
        queue_url=queue_url(base_url, site.id),
        is_test=True,
        counts={EventKind.REVIEW: 1},
    )
