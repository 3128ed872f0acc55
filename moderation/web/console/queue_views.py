"""The queue pages, the comment page with its audit trail, and the small JSON state the queue page polls."""

from dataclasses import dataclass

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.wrappers import Response

from moderation.moderators import queue as queues
from moderation.web.console.blueprint import bp
from moderation.web.console.i18n import QUEUE_LABELS
from moderation.web.console.scope import sees_site, visible_sites
from shared.models import Comment, Site
from shared.vocabulary import REJECT_REASONS, Queue, QueueSort
from shared.web.converters import row_id
from shared.web.session import get_session

MAX_PAGE = 100_000
CONSOLE_QUEUES = tuple(QUEUE_LABELS)  # the queues the console labels: not "pending", the machine's


@dataclass(frozen=True)
class QueueView:
    """What the moderator asked to see: which site(s), queue, order, search and page."""

    site_id: int | None
    queue: str
    sort: str
    search: str
    page: int

    @classmethod
    def from_args(cls) -> "QueueView":
        queue, sort = request.args.get("queue", Queue.REVIEW), request.args.get("sort", QueueSort.NEWEST)
        return cls(
            site_id=request.args.get("site", type=row_id),
            queue=queue if queue in CONSOLE_QUEUES else Queue.REVIEW,
            sort=sort if sort in tuple(QueueSort) else QueueSort.NEWEST,
            # NUL (no database compares it) is dropped; a page beyond any queue shows an empty one.
            search=request.args.get("q", "").replace("\x00", "").strip()[:200],
            page=min(request.args.get("page", 1, type=row_id) or 1, MAX_PAGE),
        )

    def args(self, **changes: object) -> dict[str, object]:
        """Query arguments for a link to this view with some of them changed (empty ones left out)."""
        values = {"site": self.site_id, "queue": self.queue, "sort": self.sort, "q": self.search, "page": self.page}
        return {key: value for key, value in {**values, **changes}.items() if value not in (None, "", 1)}


def site_ids(view_site: int | None, sites: list[Site]) -> list[int]:
    ids = [site.id for site in sites]
    return [view_site] if view_site in ids else ids


def comments_label(count: int) -> str:
    return ngettext("%(num)d comment", "%(num)d comments", count)


@bp.get("/")
@login_required
def index() -> Response:
    return redirect(url_for("console.queue"))


@bp.get("/queue")
@login_required
def queue() -> str:
    view, sites = QueueView.from_args(), visible_sites()
    ids = site_ids(view.site_id, sites)
    db, per_page = get_session(), current_app.config["SETTINGS"].console.page_size
    page = queues.list_queue(
        db, ids, view.queue, sort=view.sort, search=view.search or None, page=view.page, per_page=per_page
    )
    return render_template(
        "queue.html",
        view=view,
        sites=sites,
        page=page,
        counts=queues.queue_counts(db, ids),
        newest_id=queues.newest_id(db, ids, view.queue),
        queues=CONSOLE_QUEUES,
        reasons=REJECT_REASONS,
        poll_interval_s=current_app.config["SETTINGS"].console.poll_interval_s,
        comments_label=comments_label,
    )


@bp.get("/comments/<id:comment_id>")
@login_required
def comment(comment_id: int) -> str:
    db = get_session()
    row = db.get(Comment, comment_id)
    if row is None or not sees_site(row.site_id):
        abort(404)
    return render_template(
        "comment.html", card=queues.comment_detail(db, row), reasons=REJECT_REASONS, sites=visible_sites()
    )


@bp.get("/api/queue-state")
@login_required
def queue_state() -> Response:
    """How many comments arrived in the queue since the page's newest one, and the tab counts."""
    view, db = QueueView.from_args(), get_session()
    ids = site_ids(view.site_id, visible_sites())
    after = request.args.get("after", 0, type=row_id)
    newest = queues.newest_id(db, ids, view.queue)
    arrived = queues.count_newer(db, ids, view.queue, after) if newest > after else 0
    label = ngettext("%(num)d new comment — show", "%(num)d new comments — show", arrived)
    return jsonify(newest_id=newest, new=arrived, label=label, counts=queues.queue_counts(db, ids))
