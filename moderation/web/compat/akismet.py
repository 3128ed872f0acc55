"""An Akismet-compatible API (rest.akismet.com/1.1), so sites that call Akismet only change the host.

Akismet answers every call with HTTP 200 and a text/plain body; what went wrong is said in the
body ("invalid", "Missing required field: user_ip.") and in the X-akismet-debug-help header. Clients
(WordPress's plugin, the akismet libraries) read the body, not the status, so we do the same.

The key names the site (`api_key`, or `key` as verify-key has it); `blog` is required like at
Akismet but only informational. A comment is spam ("true") when its spam score reaches the site's
review threshold for spam, blatant (X-akismet-pro-tip: discard) at its reject threshold.
"""

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.pipeline.moderate import Moderated
from moderation.pipeline.policy import Policy, site_policy
from moderation.spam.signals import HONEYPOT, Signal
from moderation.web.compat.akismet_form import AkismetComment, read_form
from moderation.web.compat.sync import score_only, store_and_moderate
from moderation.web.enqueue import enqueue_moderated, enqueue_spam_learning
from shared.categories import SPAM
from shared.feedback import record_spam_feedback
from shared.models import Comment, Site, Verdict
from shared.settings import Settings
from shared.site_policy import load_site_policy
from shared.vocabulary import CommentSource, SpamLabel
from shared.web.session import get_session
from shared.web.site_auth import site_for_key

bp = Blueprint("akismet", __name__, url_prefix="/akismet/1.1")
THANKS = "Thanks for making the web a better place."
REQUIRED = ("blog", "user_ip")
INVALID_KEY_HELP = "The api_key is not a site key of this service (modctl site create prints one)."


def _text(body: str, **headers: str) -> Response:
    """Akismet's answer: always 200, text/plain; header names as Akismet spells them (X-akismet-…)."""
    response = Response(body, mimetype="text/plain")
    for name, value in headers.items():
        response.headers["X-akismet-" + name.replace("_", "-")] = value
    return response


def _site(session: Session, form: dict[str, str]) -> Site | None:
    return site_for_key(session, form.get("api_key") or form.get("key") or "")


def _checked(session: Session) -> tuple[Site, AkismetComment] | Response:
    """The site and the comment; or what Akismet answers to a wrong key or a missing field."""
    comment = AkismetComment(read_form(request))
    site = _site(session, comment.form)
    if site is None:
        return _text("invalid", debug_help=INVALID_KEY_HELP)
    missing = next((name for name in REQUIRED if not comment.get(name)), None)
    if missing is not None:
        return _text(f"Missing required field: {missing}.", debug_help=f'Empty "{missing}" value')
    return site, comment


def _policy(site: Site, settings: Settings) -> Policy:
    return site_policy(settings.policy, load_site_policy(site.policy))


def _stored(session: Session, site: Site, comment: AkismetComment) -> Comment | None:
    return session.scalar(select(Comment).where(Comment.site_id == site.id, Comment.external_id == comment.external_id))


def _stored_spam_score(session: Session, comment: Comment) -> float | None:
    return session.scalar(
        select(Verdict.scores[SPAM].as_float())
        .where(Verdict.comment_id == comment.id)
        .order_by(Verdict.id.desc())
        .limit(1)
    )


def _reported(comment: AkismetComment) -> list[Signal]:
    """What the request says that the comment cannot: a filled honeypot is in the score and the verdict."""
    return [HONEYPOT] if comment.honeypot_filled else []


def _scored_only(
    session: Session, site: Site, comment: AkismetComment, settings: Settings, stored: Comment | None = None
) -> tuple[float, Moderated]:
    transient = comment.to_comment(site, settings.max_text_chars)
    if stored is not None:  # a recheck: the same comment to the duplicate and rate counters, not its own twin
        transient.id, transient.created_at = stored.id, stored.created_at
    decided = score_only(session, transient, settings, reported=_reported(comment))
    return decided.scores[SPAM], Moderated([], [])


def _scored_and_stored(
    session: Session, site: Site, comment: AkismetComment, settings: Settings
) -> tuple[float, Moderated]:
    try:
        verdict, moderated = store_and_moderate(
            session, comment.to_comment(site, settings.max_text_chars), settings, reported=_reported(comment)
        )
        session.commit()
    except IntegrityError:  # the same comment checked twice at once: the other request stored it
        session.rollback()
        return _scored_only(session, site, comment, settings)
    return verdict.scores[SPAM], moderated


def _spam_score(session: Session, site: Site, comment: AkismetComment, settings: Settings) -> tuple[float, Moderated]:
    """The comment's spam score; a new comment is stored with its verdict (not a test). Checked again,
    it keeps that verdict's score (a client retrying after a timeout gets the same answer), unless the
    client asks for a recheck (recheck_reason): then it is scored with what the site's model knows now."""
    if comment.is_test:
        return _scored_only(session, site, comment, settings)
    stored = _stored(session, site, comment)
    if stored is None:
        return _scored_and_stored(session, site, comment, settings)
    if not comment.get("recheck_reason") and (score := _stored_spam_score(session, stored)) is not None:
        return score, Moderated([], [])
    return _scored_only(session, site, comment, settings, stored)


@bp.post("/verify-key")
def verify_key() -> Response:
    """`valid` when the key is a site's; `blog` is not checked against it."""
    if _site(get_session(), read_form(request)) is None:
        return _text("invalid", debug_help=INVALID_KEY_HELP)
    return _text("valid")


@bp.post("/comment-check")
def comment_check() -> Response:
    """`true` (spam) or `false`; X-akismet-pro-tip: discard for blatant spam."""
    session, settings = get_session(), current_app.config["SETTINGS"]
    checked = _checked(session)
    if isinstance(checked, Response):
        return checked
    site, comment = checked
    # As at Akismet: the site's administrators are never spam, its test author always is; nothing stored.
    if comment.get("user_role").lower() == "administrator":
        return _text("false")
    if comment.is_spam_test:
        return _text("true")
    score, moderated = _spam_score(session, site, comment, settings)
    enqueue_moderated(moderated)
    policy = _policy(site, settings)
    if score >= policy.reject[SPAM]:
        return _text("true", pro_tip="discard")
    return _text("true" if comment.honeypot_filled or score >= policy.review[SPAM] else "false")


def _submit(label: SpamLabel) -> Response:
    """submit-spam / submit-ham: the site's spam model learns the label (not for is_test requests)."""
    session, settings = get_session(), current_app.config["SETTINGS"]
    checked = _checked(session)
    if isinstance(checked, Response):
        return checked
    site, comment = checked
    if comment.is_test:
        return _text(THANKS)
    stored, moderated = _stored(session, site, comment), Moderated([], [])
    if stored is None:  # never checked here (sent to Akismet before the switch, or checked with is_test)
        stored = comment.to_comment(site, settings.max_text_chars)
        _, moderated = store_and_moderate(session, stored, settings)
    recorded = record_spam_feedback(
        session, site_id=site.id, comment_id=stored.id, source=CommentSource.AKISMET, label=label
    )
    session.commit()
    enqueue_moderated(moderated)
    if recorded:
        enqueue_spam_learning(site.id)
    return _text(THANKS)


@bp.post("/submit-spam")
def submit_spam() -> Response:
    return _submit(SpamLabel.SPAM)


@bp.post("/submit-ham")
def submit_ham() -> Response:
    return _submit(SpamLabel.HAM)
