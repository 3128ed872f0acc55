"""The queue pages, the comment page with its audit trail, and the small JSON state the queue page polls."""

from dataclasses import dataclass

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation.moderators import queue as queues
from moderation.moderators.versions import edit_history
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
    article: str | None = None  # one story's comments; an article id means something on its site only

    @classmethod
    def from_args(cls) -> "QueueView":
        queue, sort = request.args.get("queue", Queue.REVIEW), request.args.get("sort", QueueSort.NEWEST)
        site_id = request.args.get("site", type=row_id)
        return cls(
            site_id=site_id,
            queue=queue if queue in CONSOLE_QUEUES else Queue.REVIEW,
            sort=sort if sort in tuple(QueueSort) else QueueSort.NEWEST,
            # NUL (no database compares it) is dropped; a page beyond any queue shows an empty one.
            search=request.args.get("q", "").replace("\x00", "").strip()[:200],
            page=min(request.args.get("page", 1, type=row_id) or 1, MAX_PAGE),
            article=(request.args.get("article") or None) if site_id is not None else None,
        )

    def args(self, **changes: object) -> dict[str, object]:
        """Query arguments for a link to this view with some of them changed (empty ones left out)."""
        values = {
            "site": self.site_id,
            "article": self.article,
            "queue": self.queue,
            "sort": self.sort,
            "q": self.search,
            "page": self.page,
        }
        wanted = {**values, **changes}
        # Page 1 is the default; site 1 is a site like any other (it once fell out with the page).
        return {key: value for key, value in wanted.items() if value not in (None, "") and (key, value) != ("page", 1)}


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
        db,
        ids,
        view.queue,
        sort=view.sort,
        search=view.search or None,
        article=view.article,
        page=view.page,
        per_page=per_page,
    )
    return render_template(
        "queue.html",
        view=view,
        sites=sites,
        page=page,
        article=_article(ids, view.article),
        counts=queues.queue_counts(db, ids, view.article),
        newest_id=queues.newest_id(db, ids, view.queue, view.article),
        queues=CONSOLE_QUEUES,
        reasons=REJECT_REASONS,
        poll_interval_s=current_app.config["SETTINGS"].console.poll_interval_s,
        comments_label=comments_label,
    )


def _article(site_ids: list[int], article: str | None) -> dict[str, str | None] | None:
    """The story a view is limited to, with its title as its latest comment names it."""
    if article is None:
        return None
    title = get_session().scalar(
        select(Comment.article_title)
        .where(Comment.site_id.in_(site_ids), Comment.article_id == article)
        .order_by(Comment.id.desc())
        .limit(1)
    )
    return {"id": article, "title": title}


@bp.get("/articles")
@login_required
def articles() -> str:
    """The stories with comments, and how many of them wait in each queue ("moderate this story")."""
    sites = visible_sites()
    site_id = request.args.get("site", type=int)
    page = queues.article_counts(
        get_session(), site_ids(site_id, sites), page=max(request.args.get("page", 1, type=int), 1)
    )
    return render_template("articles.html", page=page, sites=sites, site_id=site_id)


@bp.get("/comments/<id:comment_id>")
@login_required
def comment(comment_id: int) -> str:
    db = get_session()
    row = db.get(Comment, comment_id)
    if row is None or not sees_site(row.site_id):
        abort(404)
    return render_template(
        "comment.html",
        card=queues.comment_detail(db, row),
        history=edit_history(db, row),
        reasons=REJECT_REASONS,
        sites=visible_sites(),
    )


@bp.get("/api/queue-state")
@login_required
def queue_state() -> Response:
    """How many comments arrived in the queue since the page's newest one, and the tab counts."""
    view, db = QueueView.from_args(), get_session()
    ids = site_ids(view.site_id, visible_sites())
    after = request.args.get("after", 0, type=row_id)
    newest = queues.newest_id(db, ids, view.queue, view.article)
    arrived = queues.count_newer(db, ids, view.queue, after, view.article) if newest > after else 0
    label = ngettext("%(num)d new comment — show", "%(num)d new comments — show", arrived)
    total = queues.count_matching(db, ids, view.queue, view.search or None, view.article)
    return jsonify(
        newest_id=newest,
        new=arrived,
        label=label,
        counts=queues.queue_counts(db, ids, view.article),
        total=total,
        total_label=comments_label(total),
    )
