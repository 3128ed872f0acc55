"""suggestscore, taken as what it is in practice: a moderator's decision on a comment.

Coral sends one when its moderator approves or rejects a comment ({"APPROVED": 1} or {"DELETED": 1});
other clients suggest attribute scores ({"TOXICITY": 0.9}, {"SPAM": 1}). Either becomes an approve or
reject through moderation.moderators.decisions, as a console decision would, by actor "perspective": an audit row,
the site's callback, a spam label (source "perspective") for the spam learner, and, for an approval
or a rejection for a toxic reason, an example `modctl train --with-decisions` learns toxicity from.
"""

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.moderators.decisions import Outcome, decide_comment
from moderation.web.compat.perspective_request import PLACEHOLDER_PREFIX, SuggestRequest, author_id
from moderation.web.compat.sync import new_comment
from shared.categories import ABOUT, SPAM, Category
from shared.comments import article_id_of
from shared.models import Comment, CommentVersion, Site
from shared.vocabulary import CommentSource

ACTOR = "perspective"
SOURCE = CommentSource.PERSPECTIVE
# A suggested score this high says the comment has the attribute (Perspective's scores are probabilities).
YES = 0.5
# The attribute a rejection is for, as our reject reasons name it (a category moderators cannot name,
# such as severe toxicity, is toxicity).
TOXIC_REASONS = {ABOUT[c].perspective: c.value if ABOUT[c].rejectable else Category.TOXICITY.value for c in Category}


@dataclass(frozen=True)
class Suggestion:
    decision: str  # "approve" or "reject"
    reason: str | None


def suggested_decision(scores: dict[str, float]) -> Suggestion | None:
    """Reject when any attribute is suggested present (spam first, then the highest toxic one, then
    Coral's DELETED); approve when the attributes named are all absent or Coral says APPROVED."""
    rejects: list[tuple[int, float, str]] = []  # (priority, -score, reason): min() is the one to give
    approve = False
    for name, value in scores.items():
        if name == "SPAM" or name in TOXIC_REASONS:
            if value >= YES:
                rejects.append((0, -value, SPAM) if name == "SPAM" else (1, -value, TOXIC_REASONS[name]))
            else:
                approve = True
        elif name == "DELETED" and value >= YES:
            rejects.append((2, -value, "other"))  # Coral does not say why; "other" teaches no toxicity
        elif name in ("APPROVED", "HIGHLIGHTED") and value >= YES:
            approve = True
    if rejects:
        return Suggestion("reject", min(rejects)[2])
    return Suggestion("approve", None) if approve else None


def _stored(session: Session, site: Site, text: str) -> Comment | None:
    """The site's latest comment that came through Perspective with this exact text."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    return session.scalar(
        select(Comment)
        .where(Comment.site_id == site.id, Comment.source == SOURCE, Comment.text_sha256 == digest)
        .order_by(Comment.id.desc())
        .limit(1)
    )


def _store_unscored(session: Session, site: Site, req: SuggestRequest, article_url: str) -> Comment:
    # Not scored: the decision that follows in this transaction settles it, so it is never pending
    # outside it and no verdict, callback or alert is owed for a comment a human already judged.
    comment = new_comment(
        site,
        text=req.text,
        source=SOURCE,
        author_id=author_id(None),
        author_name=SOURCE,
        article_url=req.story_url or article_url,
    )
    session.add(comment)
    session.flush()
    session.add(CommentVersion(comment_id=comment.id, version=1, text=comment.text))
    return comment


def _onto_story(comment: Comment, story_url: str | None) -> None:
    """Analyze names no article (Coral sends only the text), so an analyzed comment waits on the site's
    placeholder article; the story Coral names in its later feedback is where it belongs."""
    if story_url and comment.article_id.startswith(PLACEHOLDER_PREFIX):
        comment.article_id, comment.article_url = article_id_of(story_url), story_url


def record_suggestion(session: Session, site: Site, req: SuggestRequest, *, article_url: str) -> Outcome | None:
    """Decide the comment the suggestion is about (stored now if it never was); None when it says nothing we use."""
    suggestion = suggested_decision(req.scores)
    if suggestion is None:
        return None
    comment = _stored(session, site, req.text) or _store_unscored(session, site, req, article_url)
    _onto_story(comment, req.story_url)
    note = "suggestscore " + ", ".join(f"{name}={value:g}" for name, value in req.scores.items())
    return decide_comment(
        session, comment.id, suggestion.decision, actor=ACTOR, reason=suggestion.reason, note=note[:2000]
    )
