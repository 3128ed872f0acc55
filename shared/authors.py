"""What the service knows about a site's authors, read in one query per batch: their comments by
status, and their bans and suspensions in force. The pipeline, the spam signals and the
moderators' queue all ask the same questions."""

from collections.abc import Collection, Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from shared.models import AuthorRestriction, Comment, as_utc, utcnow
from shared.vocabulary import CommentStatus

Author = tuple[int, str]  # (site id, author id): an author id means something only on its site
History = dict[Author, dict[str, int]]


def author_history(
    session: Session,
    comments: Sequence[Comment],
    unknown: Collection[Author] = (),
    statuses: Collection[str] | None = (CommentStatus.APPROVED, CommentStatus.REJECTED),
) -> History:
    """Comments per (site, author) and status, one query for the whole batch; only these statuses
    (None: all of them), and none for `unknown` authors (ids made up for these comments)."""
    authors = list({(c.site_id, c.author_id) for c in comments}.difference(unknown))
    if not authors:
        return {}
    query = select(Comment.site_id, Comment.author_id, Comment.status, func.count()).where(
        tuple_(Comment.site_id, Comment.author_id).in_(authors)
    )
    if statuses is not None:
        query = query.where(Comment.status.in_(statuses))
    history: History = {}
    grouped = query.group_by(Comment.site_id, Comment.author_id, Comment.status)
    for site_id, author_id, status, count in session.execute(grouped):
        history.setdefault((site_id, author_id), {})[status] = count
    return history


def active_restrictions(session: Session, authors: Collection[Author]) -> dict[Author, AuthorRestriction]:
    """Bans and unexpired suspensions of these (site, author) pairs, one query for a batch; the
    latest one of an author wins."""
    if not authors:
        return {}
    now = utcnow()
    rows = session.scalars(
        select(AuthorRestriction)
        .where(
            tuple_(AuthorRestriction.site_id, AuthorRestriction.author_id).in_(list(authors)),
            AuthorRestriction.lifted_at.is_(None),
        )
        .order_by(AuthorRestriction.id)
    )
    return {(r.site_id, r.author_id): r for r in rows if r.until is None or as_utc(r.until) > now}
