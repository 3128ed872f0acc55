"""Storing what a site posts: new comments, idempotent retries, and edits as new versions."""

from functools import cache
from typing import Any

from sqlalchemy import Insert, bindparam, insert, literal, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from ingest.schemas import CommentIn, ReportIn
from shared.comments import comment_row, text_digest
from shared.db import insert_ignoring_conflicts
from shared.models import Comment, CommentReport, CommentVersion, ModerationAction, Site, Verdict, as_utc, utcnow
from shared.site_policy import load_site_policy, publishable
from shared.vocabulary import WAITING_STATUSES, CommentSource, CommentStatus
from shared.web.errors import ApiError


def _columns(site_id: int, body: CommentIn) -> dict[str, Any]:
    return comment_row(
        site_id=site_id,
        external_id=body.external_id,
        text=body.text,
        source=CommentSource.API,
        article_id=body.article.id,
        article_url=str(body.article.url),
        article_title=body.article.title,
        author_id=body.author.id,
        author_name=body.author.name,
        author_ip=str(body.author.ip) if body.author.ip else None,
        author_user_agent=body.author.user_agent,
        author_registered_at=body.author.registered_at,
        parent_external_id=body.parent_external_id,
        posted_at=body.posted_at,
    )


def _refuse_conflicts(existing: Comment, body: CommentIn) -> None:
    """An external id names one comment: under one article, by one author."""
    for field, ours, theirs in (
        ("article.id", existing.article_id, body.article.id),
        ("author.id", existing.author_id, body.author.id),
    ):
        if ours != theirs:
            detail = {"field": field, "reason": f"comment {body.external_id!r} already has {field} {ours!r}"}
            raise ApiError(409, "conflict", "This external_id belongs to another comment.", [detail])


def _edit(session: Session, comment: Comment, body: CommentIn) -> None:
    comment.version += 1
    comment.text, comment.text_sha256 = body.text, text_digest(body.text)
    comment.status = CommentStatus.PENDING
    comment.updated_at = comment.queued_at = utcnow()
    comment.scoring_failures, comment.quarantined_at = 0, None  # a new text gets its own tries
    session.add(CommentVersion(comment_id=comment.id, version=comment.version, text=body.text))


@cache
def _new_comment_statement(columns: tuple[str, ...]) -> Insert:
    """PostgreSQL: the comment and its first version in one INSERT (the version's from a CTE).

    Built once per set of columns, so SQLAlchemy compiles it once per process."""
    table = Comment.__table__
    new = (
        postgresql.insert(Comment)
        .values({name: bindparam(name, type_=table.c[name].type) for name in columns})
        .on_conflict_do_nothing()
        .returning(Comment.id, Comment.text, Comment.created_at)
        .cte("new_comment")
    )
    first = select(new.c.id, literal(1), new.c.text, new.c.created_at)
    return (
        insert(CommentVersion)
        .from_select(["comment_id", "version", "text", "created_at"], first)
        .returning(CommentVersion.comment_id)
    )


def _insert_new(session: Session, values: dict[str, Any]) -> int | None:
    """Store a new comment and its first version; its id, or None when the external id exists.

    On PostgreSQL one statement, committed on its own: one round trip instead of BEGIN, two INSERTs
    and COMMIT. It is all or nothing by itself, and what the caller does next (on a conflict: lock
    and edit) runs in a transaction of its own. Elsewhere two INSERTs in the session's transaction.
    """
    if session.get_bind().dialect.name != "postgresql":
        new_id = insert_ignoring_conflicts(session, Comment, values)
        if new_id is not None:
            session.add(CommentVersion(comment_id=new_id, version=1, text=values["text"]))
        return new_id
    session.commit()  # what the request read so far (its site, on a cache miss): nothing is written yet
    connection = session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    new_id = connection.execute(_new_comment_statement(tuple(values)), values).scalar()
    session.commit()  # no round trip in autocommit: hands the connection back for the next statement
    return new_id


def accept_comment(session: Session, site_id: int, body: CommentIn) -> tuple[Comment, bool]:
    """Store the comment; returns it and whether it needs scoring (new, or a new version)."""
    values = _columns(site_id, body)
    new_id = _insert_new(session, values)
    if new_id is not None:
        return Comment(id=new_id, **values), True
    # Lock the row: concurrent edits of one comment are applied one after the other.
    query = select(Comment).where(Comment.site_id == site_id, Comment.external_id == body.external_id)
    existing = session.scalars(query.with_for_update()).one()
    _refuse_conflicts(existing, body)
    if existing.text_sha256 == values["text_sha256"]:
        return existing, False  # a retry of what we already have
    _edit(session, existing, body)
    return existing, True


def find_comment(session: Session, site: Site, comment_id: int) -> Comment:
    """The site's own comment; 404 for unknown ids and for other sites' comments alike."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.site_id != site.id:
        raise ApiError(404, "not_found", f"No comment {comment_id} for this site.")
    return comment


def _iso(value: Any) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def _verdict_view(verdict: Verdict) -> dict[str, Any]:
    return {
        "decision": verdict.decision,
        "version": verdict.version,
        "scores": verdict.scores,
        "reasons": verdict.reasons,
        "decided_by": verdict.decided_by,
        "model": {"name": verdict.model_name, "version": verdict.model_version},
        "spam_model_version": verdict.spam_model_version,
        "decided_at": _iso(verdict.created_at),
    }


def _human_view(action: ModerationAction) -> dict[str, Any]:
    return {
        "action_id": action.id,
        "action": action.action,
        "decided_by": action.actor,
        "reason": action.reason,
        "status": action.new_status,
        "decided_at": _iso(action.created_at),
    }


def comment_view(session: Session, comment: Comment) -> dict[str, Any]:
    """What GET /v1/comments/<id> answers: the status, the automatic verdict, the last human action."""
    verdict = session.scalar(
        select(Verdict).where(Verdict.comment_id == comment.id, Verdict.version == comment.version)
    )
    human = session.scalar(
        select(ModerationAction)
        .where(ModerationAction.comment_id == comment.id, ModerationAction.new_status.is_not(None))
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    return {
        "id": comment.id,
        "external_id": comment.external_id,
        "version": comment.version,
        "status": comment.status,
        "created_at": _iso(comment.created_at),
        "updated_at": _iso(comment.updated_at),
        "verdict": _verdict_view(verdict) if verdict and comment.status != CommentStatus.PENDING else None,
        "moderation": _human_view(human) if human else None,
        "publish": _publish(comment, human),
    }


def _publish(comment: Comment, human: ModerationAction | None) -> bool:
    # An edit of a comment a moderator rejected waits hidden for a human, even under post-moderation.
    if human is not None and human.new_status == CommentStatus.REJECTED and comment.status in WAITING_STATUSES:
        return False
    return publishable(comment.status, load_site_policy(comment.site.policy).mode)


def record_report(session: Session, comment: Comment, body: ReportIn) -> bool:
    """Store a reader's report; False when this reader had already reported the comment."""
    values = {
        "site_id": comment.site_id,
        "comment_id": comment.id,
        "reporter_id": body.reporter_id,
        "reason": body.reason,
        "note": body.note,
        "created_at": utcnow(),
    }
    return insert_ignoring_conflicts(session, CommentReport, values) is not None
