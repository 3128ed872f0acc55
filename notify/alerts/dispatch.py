"""Turning moderation events into channel messages: at once for a quiet channel, a digest when busy.

Each channel remembers the last event it has covered and when it last got a message. New events
go out at once if the channel has been quiet for its digest interval; otherwise they wait, and
the next dispatch after the interval sends them all as one digest (the worst comments shown, the
rest counted). A message is a notification row, delivered and retried like the site callbacks.
"""

from collections.abc import Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from notify.alerts.message import Alert, AlertItem, ChannelTarget, Piece
from shared.console_urls import comment_url, queue_url
from shared.highlights import highlights
from shared.i18n import translations
from shared.models import (
    Comment,
    CommentReport,
    ModerationEvent,
    Notification,
    NotificationChannel,
    Site,
    Verdict,
    as_utc,
    utcnow,
)
from shared.reasons import stored
from shared.site_lifecycle import signing_secrets
from shared.site_policy import load_site_policy
from shared.vocabulary import ChannelKind, CommentStatus, EventKind, NotificationKind, NotificationStatus

TOP_SCORES = 3
MAX_REASONS = 4
# The event that matters most when one comment has several: readers complaining beats a score.
_EVENT_RANK = {EventKind.REPORT: 0, EventKind.REVIEW: 1, EventKind.REJECT: 2}


def _rank(kind: str) -> int:
    """The rank of an event kind as stored (a ModerationEvent's column): lower matters more."""
    return _EVENT_RANK[EventKind(kind)]


def _still_waiting(session: Session, events: Sequence[ModerationEvent]) -> list[ModerationEvent]:
    """Events whose comment still needs someone: held ones not yet decided, reports not yet answered."""
    ids = {e.comment_id for e in events}
    statuses = dict(session.execute(select(Comment.id, Comment.status).where(Comment.id.in_(ids))).all())
    reported = set(
        session.scalars(
            select(CommentReport.comment_id).where(
                CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None)
            )
        )
    )
    wanted = {
        EventKind.REVIEW: lambda e: statuses.get(e.comment_id) == CommentStatus.REVIEW,
        EventKind.REPORT: lambda e: e.comment_id in reported,
        EventKind.REJECT: lambda e: statuses.get(e.comment_id) == CommentStatus.REJECTED,
    }
    return [e for e in events if wanted[EventKind(e.kind)](e)]


def _item(
    comment: Comment,
    verdict: Verdict | None,
    event: str,
    reports: int,
    base_url: str,
    language: str,
) -> AlertItem:
    reasons = verdict.reasons if verdict else []
    said = translations(language)
    scores = sorted((verdict.scores if verdict else {}).items(), key=lambda kv: kv[1], reverse=True)
    return AlertItem(
        comment_id=comment.id,
        event=event,
        article_title=comment.article_title,
        article_url=comment.article_url,
        author_name=comment.author_name,
        pieces=tuple(Piece(p["text"], p["mark"]) for p in highlights(comment.text, reasons)),
        top_scores=tuple((category, round(score, 2)) for category, score in scores[:TOP_SCORES]),
        reasons=tuple(reason.describe(said) for reason in stored(reasons[:MAX_REASONS])),
        console_url=comment_url(base_url, comment.id),
        report_count=reports,
    )


def build_alert(
    session: Session,
    site: Site,
    events: list[ModerationEvent],
    *,
    max_items: int,
    base_url: str,
) -> Alert:
    """One message about these events' comments, the worst first, at most max_items shown."""
    event_of: dict[int, str] = {}
    for e in events:
        if e.comment_id not in event_of or _rank(e.kind) < _rank(event_of[e.comment_id]):
            event_of[e.comment_id] = e.kind
    comments = session.scalars(select(Comment).where(Comment.id.in_(event_of))).all()
    verdicts = {
        v.comment_id: v
        for v in session.scalars(
            select(Verdict).where(
                tuple_(Verdict.comment_id, Verdict.version).in_([(c.id, c.version) for c in comments])
            )
        )
    }
    report_counts: dict[int, int] = {}
    for comment_id in session.scalars(
        select(CommentReport.comment_id).where(
            CommentReport.comment_id.in_(event_of), CommentReport.resolved_at.is_(None)
        )
    ):
        report_counts[comment_id] = report_counts.get(comment_id, 0) + 1

    def worst_first(c: Comment) -> tuple[int, float, int]:
        scores = verdicts[c.id].scores if c.id in verdicts else {}
        return (_rank(event_of[c.id]), -max(scores.values(), default=0.0), -c.id)

    ranked = sorted(comments, key=worst_first)
    language = load_site_policy(site.policy).language
    counts: dict[str, int] = {}
    for kind in event_of.values():
        counts[kind] = counts.get(kind, 0) + 1
    return Alert(
        site_name=site.name,
        language=language,
        items=tuple(
            _item(c, verdicts.get(c.id), event_of[c.id], report_counts.get(c.id, 0), base_url, language)
            for c in ranked[:max_items]
        ),
        total=len(ranked),
        queue_url=queue_url(base_url, site.id),
        counts=counts,
    )


def dispatch_site(session: Session, site_id: int, *, base_url: str) -> list[int]:
    """Give each of the site's channels that is due a message about its new events; the notification ids."""
    site = session.get(Site, site_id)
    if site is None:
        return []  # no such site, so no channels of its own either (they go with their site)
    channels = session.scalars(
        select(NotificationChannel)
        .where(NotificationChannel.site_id == site_id, NotificationChannel.active.is_(True))
        .order_by(NotificationChannel.id)
        .with_for_update()  # two dispatchers never cover the same events twice
    ).all()
    now, owed = utcnow(), []
    for channel in channels:
        last_sent = as_utc(channel.last_sent_at)
        if last_sent is not None and now < last_sent + timedelta(seconds=channel.digest_interval_s):
            continue  # not due: these events wait for the digest
        events = session.scalars(
            select(ModerationEvent)
            .where(
                ModerationEvent.site_id == site_id,
                ModerationEvent.id > channel.last_event_id,
                ModerationEvent.kind.in_(channel.events),
            )
            .order_by(ModerationEvent.id)
        ).all()
        if not events:
            continue
        channel.last_event_id = events[-1].id
        waiting = _still_waiting(session, events)
        if not waiting:
            continue  # all decided meanwhile: nothing to say
        alert = build_alert(session, site, waiting, max_items=channel.digest_max_items, base_url=base_url)
        notification = Notification(
            kind=NotificationKind.MODERATOR_ALERT,
            site_id=site_id,
            channel_id=channel.id,
            target_url=channel.target[:2000],
            payload=alert_payload(alert),
            status=NotificationStatus.PENDING,
            attempts=0,
            created_at=now,
        )
        session.add(notification)
        session.flush()
        channel.last_sent_at = now
        owed.append(notification.id)
    return owed


def sites_with_channels(session: Session) -> list[int]:
    return list(
        session.scalars(select(NotificationChannel.site_id).where(NotificationChannel.active.is_(True)).distinct())
    )


def alert_payload(alert: Alert) -> dict[str, Any]:
    """The alert as stored in its notification row: a replay sends exactly what was first sent."""
    return asdict(alert)


def alert_from_payload(payload: dict[str, Any]) -> Alert:
    items = tuple(
        AlertItem(
            **{
                **item,
                "pieces": tuple(Piece(**p) for p in item["pieces"]),
                "top_scores": tuple(tuple(s) for s in item["top_scores"]),
                "reasons": tuple(item["reasons"]),
            }
        )
        for item in payload["items"]
    )
    return Alert(**{**payload, "items": items})


def channel_target(channel: NotificationChannel, site: Site) -> ChannelTarget:
    """A generic webhook without a key of its own is signed with the site's callback secrets."""
    if channel.secret or channel.kind != ChannelKind.WEBHOOK:
        return ChannelTarget(channel.id, channel.kind, channel.target, channel.secret)
    current, *previous = signing_secrets(site)
    return ChannelTarget(channel.id, channel.kind, channel.target, current, tuple(previous))
