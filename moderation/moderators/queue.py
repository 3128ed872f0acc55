"""What moderators look at: the queues, and everything about one comment needed to decide it.

Read-only queries shared by the console and the JSON API. A list page costs a fixed number of
queries whatever its size (verdicts joined, author histories, parents and reports in one query each).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, Select, and_, case, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload

from moderation.moderators.decisions import undoable
from shared.authors import active_restrictions, author_history
from shared.highlights import highlights
from shared.models import AuthorRestriction, Comment, CommentReport, ModerationAction, Site, Verdict, as_utc, utcnow
from shared.vocabulary import WAITING_STATUSES, CommentStatus, Queue, QueueSort


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_LIKE_SPECIAL = re.compile(r"[\\%_]")
_SEARCHED = (Comment.author_name, Comment.author_id, Comment.text)


def _open_reports() -> Exists:
    return exists().where(CommentReport.comment_id == Comment.id, CommentReport.resolved_at.is_(None))


def _filtered(site_ids: Sequence[int], queue: Queue, search: str | None, article: str | None = None) -> Select[Any]:
    query = select(Comment).where(Comment.site_id.in_(site_ids))
    if article is not None:  # one story's comments ("moderate this story")
        query = query.where(Comment.article_id == article)
    if queue.status is not None:
        query = query.where(Comment.status == queue.status)
    elif queue == Queue.REPORTED:
        query = query.where(_open_reports())
    if search:
        # The author's name or id, or words in the text; case-insensitive in every script on both
        # databases (shared.db gives SQLite a Unicode lower()). "%" and "_" are searched as written.
        pattern = "%" + _LIKE_SPECIAL.sub(r"\\\g<0>", search.strip().lower()) + "%"
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in _SEARCHED)))
    return query


def _ordered(query: Select[Any], sort: QueueSort) -> Select[Any]:
    if sort == QueueSort.TOXIC:
        verdict = and_(Verdict.comment_id == Comment.id, Verdict.version == Comment.version)
        toxicity = Verdict.scores["toxicity"].as_float()
        return query.outerjoin(Verdict, verdict).order_by(toxicity.desc().nulls_last(), Comment.id.desc())
    if sort == QueueSort.OLDEST:
        return query.order_by(Comment.id)
    return query.order_by(Comment.id.desc())


def list_queue(
    session: Session,
    site_ids: Sequence[int],
    queue: str = Queue.REVIEW,
    *,
    sort: str = QueueSort.NEWEST,
    search: str | None = None,
    article: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """One page of a queue (of one article's comments, when named), newest (or most toxic) first,
    each comment as a card; ValueError for an unknown queue or sort."""
    page = max(page, 1)
    filtered = _filtered(site_ids, Queue(queue), search, article)
    total = session.scalar(select(func.count()).select_from(filtered.subquery())) or 0
    rows = (
        session.scalars(
            _ordered(filtered, QueueSort(sort))
            .options(joinedload(Comment.site))
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        .unique()
        .all()
    )
    return Page(comment_cards(session, rows), total, page, per_page)


def queue_counts(session: Session, site_ids: Sequence[int], article: str | None = None) -> dict[str, int]:
    """How many comments each queue holds (the console's tab badges), of one article when named."""
    statuses = select(Comment.status, func.count()).where(Comment.site_id.in_(site_ids))
    reports = select(func.count(func.distinct(CommentReport.comment_id))).where(
        CommentReport.site_id.in_(site_ids), CommentReport.resolved_at.is_(None)
    )
    if article is not None:
        statuses = statuses.where(Comment.article_id == article)
        reports = reports.join(Comment, Comment.id == CommentReport.comment_id).where(Comment.article_id == article)
    by_status = dict(session.execute(statuses.group_by(Comment.status)).all())
    reported = session.scalar(reports) or 0
    counts: dict[str, int] = {queue: by_status.get(queue.status, 0) for queue in Queue if queue.status is not None}
    return {**counts, Queue.REPORTED: reported, Queue.ALL: sum(by_status.values())}


def newest_id(session: Session, site_ids: Sequence[int], queue: str = Queue.REVIEW, article: str | None = None) -> int:
    """The highest comment id in a queue: an open page polls it to learn that new comments arrived."""
    # max() over the filtered subquery's own column: Comment.id there would cross-join the whole table.
    filtered = _filtered(site_ids, Queue(queue), None, article).subquery()
    return session.scalar(select(func.max(filtered.c.id))) or 0


def count_newer(
    session: Session, site_ids: Sequence[int], queue: str, after_id: int, article: str | None = None
) -> int:
    """How many comments in a queue have ids above `after_id`: what arrived since a page was drawn."""
    query = _filtered(site_ids, Queue(queue), None, article).where(Comment.id > after_id)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def count_matching(
    session: Session, site_ids: Sequence[int], queue: str, search: str | None, article: str | None = None
) -> int:
    """How many comments a view shows in all (the heading's count, kept fresh after actions)."""
    query = _filtered(site_ids, Queue(queue), search, article)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


@dataclass(frozen=True)
class ArticleCount:
    """One story with comments, and how many of them each queue holds."""

    site_id: int
    site: str
    article_id: str
    title: str | None
    url: str
    review: int
    reported: int
    rejected: int
    total: int
    latest: datetime


def article_counts(session: Session, site_ids: Sequence[int], *, page: int = 1, per_page: int = 50) -> Page:
    """The stories with comments, those with the most waiting for review first (then the latest)."""
    reported = select(CommentReport.comment_id).where(CommentReport.resolved_at.is_(None)).distinct().subquery()
    waiting = func.sum(case((Comment.status == CommentStatus.REVIEW, 1), else_=0))
    query = (
        select(
            Comment.site_id,
            Site.name,
            Comment.article_id,
            func.max(Comment.article_title),
            func.max(Comment.article_url),
            waiting,
            func.count(reported.c.comment_id),
            func.sum(case((Comment.status == CommentStatus.REJECTED, 1), else_=0)),
            func.count(),
            func.max(Comment.created_at),
        )
        .join(Site, Site.id == Comment.site_id)
        .outerjoin(reported, reported.c.comment_id == Comment.id)
        .where(Comment.site_id.in_(site_ids))
        .group_by(Comment.site_id, Site.name, Comment.article_id)
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(waiting.desc(), func.max(Comment.created_at).desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    items = [
        ArticleCount(
            site_id, site, article, title, url, int(review), int(reports), int(rejected), comments, as_utc(latest)
        )
        for site_id, site, article, title, url, review, reports, rejected, comments, latest in rows
    ]
    return Page([vars(item) for item in items], total, max(page, 1), per_page)


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _verdicts(session: Session, comments: Sequence[Comment]) -> dict[int, Verdict]:
    keys = [(c.id, c.version) for c in comments]
    if not keys:
        return {}
    rows = session.scalars(select(Verdict).where(tuple_(Verdict.comment_id, Verdict.version).in_(keys)))
    return {v.comment_id: v for v in rows}


def _parents(session: Session, comments: Sequence[Comment]) -> dict[tuple[int, str], Comment]:
    keys = list({(c.site_id, c.parent_external_id) for c in comments if c.parent_external_id})
    if not keys:
        return {}
    rows = session.scalars(select(Comment).where(tuple_(Comment.site_id, Comment.external_id).in_(keys)))
    return {(p.site_id, p.external_id): p for p in rows}


def _reports_of(session: Session, comments: Sequence[Comment]) -> dict[int, list[dict[str, Any]]]:
    """Each comment's unanswered reports: why each reader reported it, in their words."""
    ids = [c.id for c in comments]
    if not ids:
        return {}
    rows = session.scalars(
        select(CommentReport)
        .where(CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None))
        .order_by(CommentReport.id)
    )
    reports: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        reports.setdefault(r.comment_id, []).append({"reason": r.reason, "note": r.note, "reporter_id": r.reporter_id})
    return reports


def _author(comment: Comment, counts: dict[str, int], restriction: AuthorRestriction | None) -> dict[str, Any]:
    registered = as_utc(comment.author_registered_at)
    return {
        "id": comment.author_id,
        "name": comment.author_name,
        "registered_at": _iso(registered),
        "account_age_days": (utcnow() - registered).days if registered else None,
        "approved": counts.get(CommentStatus.APPROVED, 0),
        "rejected": counts.get(CommentStatus.REJECTED, 0),
        "review": counts.get(CommentStatus.REVIEW, 0),
        "waiting": sum(counts.get(status, 0) for status in WAITING_STATUSES),  # what a ban would reject
        "total": sum(counts.values()),
        "restriction": None
        if restriction is None
        else {
            "kind": restriction.kind,
            "until": _iso(restriction.until),
            "reason": restriction.reason,
            "action_id": restriction.action_id,
        },
    }


def _verdict(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "decision": verdict.decision,
        "scores": verdict.scores,
        "reasons": verdict.reasons,
        "model": f"{verdict.model_name} {verdict.model_version}",
        "decided_at": _iso(verdict.created_at),
    }


def comment_cards(session: Session, comments: Sequence[Comment]) -> list[dict[str, Any]]:
    """Each comment with its article, author history, parent, verdict, reports and highlighted text."""
    verdicts, histories = _verdicts(session, comments), author_history(session, comments, statuses=None)
    parents, reports = _parents(session, comments), _reports_of(session, comments)
    restrictions = active_restrictions(session, {(c.site_id, c.author_id) for c in comments})
    cards = []
    for c in comments:
        verdict = verdicts.get(c.id)
        parent = parents.get((c.site_id, c.parent_external_id)) if c.parent_external_id else None
        reasons = verdict.reasons if verdict else []
        cards.append(
            {
                "id": c.id,
                "external_id": c.external_id,
                "site": c.site.name,
                "site_id": c.site_id,
                "status": c.status,
                "version": c.version,
                "text": c.text,
                "pieces": highlights(c.text, reasons),
                "article": {"id": c.article_id, "url": c.article_url, "title": c.article_title},
                "author": _author(
                    c, histories.get((c.site_id, c.author_id), {}), restrictions.get((c.site_id, c.author_id))
                ),
                "parent": None
                if parent is None
                else {"id": parent.id, "author_name": parent.author_name, "text": parent.text, "status": parent.status},
                "verdict": _verdict(verdict),
                "open_reports": len(reports.get(c.id, [])),
                "report_reasons": reports.get(c.id, []),
                # Scoring kept failing: it waits for a human (or an edit), not for the worker.
                "quarantined": c.quarantined_at is not None,
                "scoring_failures": c.scoring_failures,
                "posted_at": _iso(c.posted_at or c.created_at),
                "updated_at": _iso(c.updated_at),
            }
        )
    return cards


def comment_detail(session: Session, comment: Comment) -> dict[str, Any]:
    """A card plus the comment's reports and its audit trail, newest first."""
    card = comment_cards(session, [comment])[0]
    reports = session.scalars(
        select(CommentReport).where(CommentReport.comment_id == comment.id).order_by(CommentReport.id.desc())
    ).all()
    actions = session.scalars(
        select(ModerationAction).where(ModerationAction.comment_id == comment.id).order_by(ModerationAction.id.desc())
    ).all()
    card["reports"] = [
        {
            "reporter_id": r.reporter_id,
            "reason": r.reason,
            "note": r.note,
            "created_at": _iso(r.created_at),
            "resolved": r.resolved_at is not None,
        }
        for r in reports
    ]
    card["actions"] = [action_view(a, comment) for a in actions]
    return card


def action_view(action: ModerationAction, comment: Comment | None = None) -> dict[str, Any]:
    """An audit row as the console and the API show it; `undoable` judged against `comment` when given."""
    return {
        "id": action.id,
        "action": action.action,
        "actor": action.actor,
        "reason": action.reason,
        "note": action.note,
        "previous_status": action.previous_status,
        "new_status": action.new_status,
        "comment_id": action.comment_id,
        "author_id": action.author_id,
        "undoes_id": action.undoes_id,
        "undone": action.undone,
        "undoable": undoable(action, comment),
        "version": action.version,
        "created_at": _iso(action.created_at),
    }


def audit_log(session: Session, site_ids: Sequence[int], *, page: int = 1, per_page: int = 50) -> Page:
    """Every action on these sites, newest first."""
    query = select(ModerationAction).where(ModerationAction.site_id.in_(site_ids))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(ModerationAction.id.desc()).offset((max(page, 1) - 1) * per_page).limit(per_page)
    ).all()
    return Page([action_view(a) for a in rows], total, max(page, 1), per_page)
