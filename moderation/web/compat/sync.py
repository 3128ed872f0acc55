"""Moderating inside the web process, for the compatible APIs that answer at once.

The same scorers the workers use (loaded once per process), the same policy, the same rows: a
stored comment gets its verdict, callback and moderators' alert exactly as an ingested one does.
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.pipeline.moderate import Decided, Moderated, moderate_comments, score_and_decide
from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import get_spam_scorer
from moderation.spam.signals import Signal
from shared.comments import article_id_of, comment_row
from shared.models import Comment, CommentVersion, Site, Verdict
from shared.settings import Settings
from shared.vocabulary import CommentSource

log = logging.getLogger(__name__)


def preload(settings: Settings) -> None:
    """Load the scorers now (at app start), so no request pays for it.

    A scorer that cannot load (a Detoxify checkpoint missing on a web host) must not take the site's
    API down with it: the failure is logged, and only the compatible APIs fail, at request time.
    """
    try:
        get_scorer(settings.toxicity)
        get_spam_scorer(settings)
    except Exception:
        log.exception("the scorers did not load; the Perspective and Akismet APIs will answer errors")


def new_comment(
    site: Site,
    *,
    text: str,
    source: CommentSource,
    author_id: str,
    author_name: str,
    article_url: str,
    external_id: str | None = None,
    article_id: str | None = None,
    article_title: str | None = None,
    author_ip: str | None = None,
    author_user_agent: str | None = None,
    author_registered_at: datetime | None = None,
    parent_external_id: str | None = None,
    posted_at: datetime | None = None,
) -> Comment:
    """A comment as these APIs describe it, not yet stored (score_only needs nothing more)."""
    return Comment(
        site=site,
        **comment_row(
            site_id=site.id,
            external_id=external_id or f"{source}:{uuid.uuid4().hex}",
            text=text,
            source=source,
            article_id=article_id or article_id_of(article_url),
            article_url=article_url,
            article_title=article_title,
            author_id=author_id,
            author_name=author_name,
            author_ip=author_ip,
            author_user_agent=author_user_agent,
            author_registered_at=author_registered_at,
            parent_external_id=parent_external_id,
            posted_at=posted_at,
        ),
    )


def _unknown(comment: Comment, one_off_author: bool) -> list[tuple[int, str]]:
    return [(comment.site_id, comment.author_id)] if one_off_author else []


def score_only(
    session: Session,
    comment: Comment,
    settings: Settings,
    *,
    one_off_author: bool = False,
    reported: Sequence[Signal] = (),
) -> Decided:
    """Scores, reasons and the policy's decision for a comment that is not to be stored.

    one_off_author: the author id was made up for this comment, so its past is not looked up.
    reported: spam signals the client saw that the comment cannot show (a filled honeypot).
    """
    (decided,) = score_and_decide(
        session,
        [comment],
        scorer=get_scorer(settings.toxicity),
        spam=get_spam_scorer(settings),
        defaults=settings.policy,
        record=False,
        unknown_authors=_unknown(comment, one_off_author),
        reported={comment: reported},
    )
    return decided


def store_and_moderate(
    session: Session,
    comment: Comment,
    settings: Settings,
    *,
    one_off_author: bool = False,
    reported: Sequence[Signal] = (),
) -> tuple[Verdict, Moderated]:
    """Store the comment and moderate it now; the caller commits, then enqueues what Moderated owes."""
    session.add(comment)
    session.flush()
    session.add(CommentVersion(comment_id=comment.id, version=1, text=comment.text))
    # moderate_comments reads the comment back through this session: the same object, so `reported` finds it.
    moderated = moderate_comments(
        session,
        [comment.id],
        scorer=get_scorer(settings.toxicity),
        spam=get_spam_scorer(settings),
        defaults=settings.policy,
        unknown_authors=_unknown(comment, one_off_author),
        reported={comment: reported},
    )
    # Stored and moderated in this transaction: nobody else could have decided it first.
    verdict = session.scalars(select(Verdict).where(Verdict.comment_id == comment.id)).one()
    return verdict, moderated
