"""Recording what moderators may want to hear about, for notify to turn into channel messages.

Written by whoever causes the event (the moderation worker holds a comment, ingest takes a
reader's report), in the caller's transaction; the caller then enqueues DISPATCH_ALERTS for the
sites returned, after its commit.
"""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import ModerationEvent, NotificationChannel, utcnow


def record_events(session: Session, events: Iterable[tuple[int, int, str]]) -> list[int]:
    """Store (site id, comment id, kind) events that some active channel listens for; the sites to dispatch."""
    events = list(events)
    if not events:
        return []
    channels = session.execute(
        select(NotificationChannel.site_id, NotificationChannel.events).where(
            NotificationChannel.active.is_(True), NotificationChannel.site_id.in_({e[0] for e in events})
        )
    ).all()
    wanted = {(site_id, kind) for site_id, kinds in channels for kind in kinds}
    kept = [e for e in events if (e[0], e[2]) in wanted]
    now = utcnow()
    session.add_all(
        ModerationEvent(site_id=site_id, comment_id=comment_id, kind=kind, created_at=now)
        for site_id, comment_id, kind in kept
    )
    return sorted({site_id for site_id, _, _ in kept})
