"""Everything moderators know about one author of a site, for the author drawer: their comments
across articles, the decisions on them and on the author, readers' reports, bans, and notes."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.moderators.notes import author_notes
from moderation.moderators.queue import action_view
from shared.models import AuthorNote, AuthorRestriction, Comment, CommentReport, ModerationAction, as_utc, utcnow

SHOWN = 50  # comments and actions shown; the counts cover them all


@dataclass(frozen=True)
class AuthorProfile:
    site_id: int
    author_id: str
    name: str | None  # as their latest comment gives it; None: no comments on this site
    counts: dict[str, int]  # comments per status
    articles: int  # how many stories they commented on
    comments: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    restrictions: list[dict[str, Any]]
    notes: list[AuthorNote]


def _comments(session: Session, site_id: int, author_id: str) -> list[Comment]:
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.site_id == site_id, Comment.author_id == author_id)
            .order_by(Comment.id.desc())
            .limit(SHOWN)
        )
    )


def _reports(session: Session, site_id: int, author_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CommentReport, Comment.article_title)
        .join(Comment, Comment.id == CommentReport.comment_id)
        .where(Comment.site_id == site_id, Comment.author_id == author_id)
        .order_by(CommentReport.id.desc())
        .limit(SHOWN)
    )
    return [
        {"comment_id": r.comment_id, "reason": r.reason, "note": r.note, "reporter_id": r.reporter_id}
        | {"created_at": r.created_at, "resolved": r.resolved_at is not None, "article_title": title}
        for r, title in rows
    ]


def _restrictions(session: Session, site_id: int, author_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuthorRestriction)
        .where(AuthorRestriction.site_id == site_id, AuthorRestriction.author_id == author_id)
        .order_by(AuthorRestriction.id.desc())
    )
    now = utcnow()
    return [
        {"kind": r.kind, "until": r.until, "reason": r.reason, "created_at": r.created_at, "action_id": r.action_id}
        | {"lifted_at": r.lifted_at, "in_force": r.lifted_at is None and (r.until is None or as_utc(r.until) > now)}
        for r in rows
    ]


def author_profile(session: Session, site_id: int, author_id: str) -> AuthorProfile:
    """The author as moderators of the site see them (they may have no comments: a ban, a note)."""
    comments = _comments(session, site_id, author_id)
    of_author = (Comment.site_id == site_id) & (Comment.author_id == author_id)
    counts = dict(session.execute(select(Comment.status, func.count()).where(of_author).group_by(Comment.status)).all())
    articles = session.scalar(select(func.count(func.distinct(Comment.article_id))).where(of_author)) or 0
    actions = session.scalars(
        select(ModerationAction)
        .where(ModerationAction.site_id == site_id, ModerationAction.author_id == author_id)
        .order_by(ModerationAction.id.desc())
        .limit(SHOWN)
    )
    return AuthorProfile(
        site_id=site_id,
        author_id=author_id,
        name=comments[0].author_name if comments else None,
        counts=counts,
        articles=articles,
        comments=[
            {"id": c.id, "status": c.status, "text": c.text, "version": c.version, "created_at": c.created_at}
            | {"article": {"id": c.article_id, "title": c.article_title, "url": c.article_url}}
            for c in comments
        ],
        actions=[action_view(a) for a in actions],
        reports=_reports(session, site_id, author_id),
        restrictions=_restrictions(session, site_id, author_id),
        notes=author_notes(session, site_id, author_id),
    )
