"""What moderators look at: the queues, and everything about one comment needed to decide it.

Read-only queries shared by the console and the JSON API. A list page costs a fixed number of
queries whatever its size (verdicts joined, author histories, parents and reports in one query each).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Exists, Select, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload

from shared.authors import active_restrictions, author_history
from shared.highlights import highlights
from shared.models import AuthorRestriction, Comment, CommentReport, ModerationAction, Verdict, as_utc, utcnow
from shared.vocabulary import CommentStatus, Queue, QueueSort


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _open_reports() -> Exists:
    return exists().where(CommentReport.comment_id == Comment.id, CommentReport.resolved_at.is_(None))


def _filtered(site_ids: Sequence[int], queue: Queue, search: str | None) -> Select[Any]:
    query = select(Comment).where(Comment.site_id.in_(site_ids))
    if queue.status is not None:
        query = query.where(Comment.status == queue.status)
    elif queue == Queue.REPORTED:
        query = query.where(_open_reports())
    if search:
        # The author's name or id, or words in the text; case-insensitive on both databases.
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Comment.author_name).like(pattern),
                func.lower(Comment.author_id).like(pattern),
                func.lower(Comment.text).like(pattern),
            )
        )
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
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """One page of a queue, newest (or most toxic) first, each comment as a card; ValueError for an
    unknown queue or sort."""
    page = max(page, 1)
    filtered = _filtered(site_ids, Queue(queue), search)
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


def queue_counts(session: Session, site_ids: Sequence[int]) -> dict[str, int]:
    """How many comments each queue holds (the console's tab badges)."""
    by_status = dict(
        session.execute(
            select(Comment.status, func.count()).where(Comment.site_id.in_(site_ids)).group_by(Comment.status)
        ).all()
    )
    reported = (
        session.scalar(
            select(func.count(func.distinct(CommentReport.comment_id))).where(
                CommentReport.site_id.in_(site_ids), CommentReport.resolved_at.is_(None)
            )
        )
        or 0
    )
    counts: dict[str, int] = {queue: by_status.get(queue.status, 0) for queue in Queue if queue.status is not None}
    return {**counts, Queue.REPORTED: reported, Queue.ALL: sum(by_status.values())}


def newest_id(session: Session, site_ids: Sequence[int], queue: str = Queue.REVIEW) -> int:
    """The highest comment id in a queue: an open page polls it to learn that new comments arrived."""
    # max() over the filtered subquery's own column: Comment.id there would cross-join the whole table.
    filtered = _filtered(site_ids, Queue(queue), None).subquery()
    return session.scalar(select(func.max(filtered.c.id))) or 0


def count_newer(session: Session, site_ids: Sequence[int], queue: str, after_id: int) -> int:
    """How many comments in a queue have ids above `after_id`: what arrived since a page was drawn."""
    query = _filtered(site_ids, Queue(queue), None).where(Comment.id > after_id)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


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


def _report_counts(session: Session, comments: Sequence[Comment]) -> dict[int, int]:
    ids = [c.id for c in comments]
    if not ids:
        return {}
    rows = session.execute(
        select(CommentReport.comment_id, func.count())
        .where(CommentReport.comment_id.in_(ids), CommentReport.resolved_at.is_(None))
        .group_by(CommentReport.comment_id)
    )
    return dict(rows.all())


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
    parents, reports = _parents(session, comments), _report_counts(session, comments)
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
                "open_reports": reports.get(c.id, 0),
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
    card["actions"] = [action_view(a) for a in actions]
    return card


def action_view(action: ModerationAction) -> dict[str, Any]:
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
