"""Admins only: messages that could not be delivered (site callbacks and moderators' alerts), and replay.

A dead message stays here until an admin replays it (or `modctl notifications replay`); a pending
one with failed tries is shown too, so a channel that keeps failing is seen before it gives up.
"""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from moderation.web.console.auth import admin_required
from moderation.web.console.blueprint import bp
from shared.models import Notification, NotificationChannel, Site
from shared.notifications import delivery_task, revive_dead
from shared.vocabulary import ChannelKind, NotificationKind, NotificationStatus
from shared.web.converters import row_id
from shared.web.session import get_session

PAGE = 100


def _where(notification: Notification, channel: NotificationChannel | None) -> str:
    """Where it goes, without secrets: a webhook's path may be its key (Slack), so only the host is shown."""
    if channel is not None and not ChannelKind(channel.kind).target_is_url:
        return f"{channel.kind}: {channel.target}"
    host = urlsplit(notification.target_url).hostname or "?"
    return f"{channel.kind}: {host}" if channel is not None else host


@bp.get("/deliveries")
@admin_required
def deliveries() -> str:
    rows = (
        get_session()
        .execute(
            select(Notification, Site.name, NotificationChannel)
            .join(Site, Site.id == Notification.site_id)
            .outerjoin(NotificationChannel, NotificationChannel.id == Notification.channel_id)
            .where(
                or_(
                    Notification.status == NotificationStatus.DEAD,
                    (Notification.status == NotificationStatus.PENDING) & (Notification.attempts > 0),
                )
            )
            .order_by(Notification.id.desc())
            .limit(PAGE)
        )
        .all()
    )
    items = [
        {
            "id": n.id,
            "site": site_name,
            "alert": n.kind == NotificationKind.MODERATOR_ALERT,
            "where": _where(n, channel),
            "status": n.status,
            "attempts": n.attempts,
            "error": n.last_error,
            "created_at": n.created_at,
            "comment_id": n.comment_id,
        }
        for n, site_name, channel in rows
    ]
    return render_template("deliveries.html", items=items)


@bp.post("/deliveries/replay")
@admin_required
def replay_deliveries() -> Response:
    ids = request.form.getlist("id", type=row_id)
    if not ids and not request.form.get("all"):
        return redirect(url_for("console.deliveries"))  # nothing chosen: nothing to send
    session = get_session()
    revived = revive_dead(session, None if request.form.get("all") else ids)
    session.commit()
    celery = current_app.extensions["celery"]
    for notification_id, kind in revived:
        celery.send_task(delivery_task(kind), args=[notification_id])
    sent = ngettext("%(num)d message sent again", "%(num)d messages sent again", len(revived))
    flash({"text": sent, "undo": []}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(url_for("console.deliveries"))
