"""Moderators' actions: approve, reject, bulk, ban or suspend an author, undo.

Each goes through moderation.moderators.decisions (audit row, callback owed to the site, spam label), is
committed, and only then are the callbacks and the spam learner queued. A plain form gets a redirect
and a flash message with an Undo button; the page's script (fetch, Accept: JSON) gets JSON instead.
"""

from datetime import timedelta

from flask import flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from moderation.moderators.decisions import (
    DecisionError,
    Outcome,
    ban_author,
    decide_comment,
    decide_many,
    moderator_actor,
    undo_action,
)
from moderation.web.console.auth import safe_next
from moderation.web.console.blueprint import bp, wants_json
from moderation.web.console.i18n import DECISION_ERRORS, REJECT_REASON_LABELS, SUSPENSIONS, label
from moderation.web.console.scope import sees_actions, sees_comments, sees_site
from moderation.web.enqueue import enqueue_outcomes
from shared.models import Comment, Site, utcnow
from shared.vocabulary import WAITING_STATUSES
from shared.web.converters import row_id
from shared.web.json_body import unstorable_reason
from shared.web.session import get_session

MAX_AUTHOR_ID = 200  # as long as comments' author ids may be


def _actor() -> str:
    return moderator_actor(current_user.username)


def _back() -> str:
    return safe_next(request.form.get("next") or request.referrer)


def _done(outcomes: list[Outcome], message: str, undoable: bool = True) -> Response | tuple[Response, int]:
    undo = [outcome.action.id for outcome in outcomes] if undoable else []  # read before the commit expires them
    get_session().commit()
    enqueue_outcomes(outcomes)  # after the commit: a worker must find the rows it is sent
    if wants_json():
        return jsonify(ok=True, message=message, undo=undo)
    flash({"text": message, "undo": undo}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(_back())


def _failed(message: str, status: int = 409) -> Response | tuple[Response, int]:
    get_session().rollback()
    if wants_json():
        return jsonify(ok=False, message=message), status
    flash({"text": message, "undo": []}, "error")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(_back())


def _not_found() -> Response | tuple[Response, int]:
    """Another site's comment, author or action: as if it did not exist."""
    return _failed(label(DECISION_ERRORS, "not_found"), 404)


def _reason() -> str | None:
    return request.form.get("reason") or None


def _decision_message(decision: str, count: int, reason: str | None) -> str:
    if decision == "approve":
        return ngettext("%(num)d comment approved", "%(num)d comments approved", count)
    text = ngettext("%(num)d comment rejected", "%(num)d comments rejected", count)
    return f"{text}: {label(REJECT_REASON_LABELS, reason or 'other')}"


@bp.post("/comments/<id:comment_id>/decide")
@login_required
def decide(comment_id: int) -> Response | tuple[Response, int]:
    decision, reason = request.form.get("decision", ""), _reason()
    if not sees_comments([comment_id]):
        return _not_found()
    try:
        outcome = decide_comment(
            get_session(), comment_id, decision, actor=_actor(), reason=reason, note=request.form.get("note") or None
        )
    except DecisionError as exc:
        return _failed(label(DECISION_ERRORS, exc.code), 404 if exc.code == "not_found" else 400)
    return _done([outcome], _decision_message(decision, 1, outcome.action.reason))


@bp.post("/comments/bulk")
@login_required
def decide_bulk() -> Response | tuple[Response, int]:
    ids = request.form.getlist("ids", type=row_id)
    decision, reason = request.form.get("decision", ""), _reason()
    if not ids:
        return _failed(_("Select comments first."), 400)
    if not sees_comments(ids):
        return _not_found()
    try:
        outcomes = decide_many(get_session(), ids, decision, actor=_actor(), reason=reason)
    except DecisionError as exc:
        return _failed(label(DECISION_ERRORS, exc.code), 400)
    return _done(outcomes, _decision_message(decision, len(outcomes), outcomes[0].action.reason))


@bp.post("/authors/ban")
@login_required
def ban() -> Response | tuple[Response, int]:
    db, duration = get_session(), request.form.get("duration", "ban")
    site_id = request.form.get("site_id", type=row_id)
    site = db.get(Site, site_id) if site_id is not None else None
    author_id = request.form.get("author_id", "")
    if site is not None and not sees_site(site.id):
        return _not_found()
    # An author id as comments hold them: at most 200 characters, text a database keeps.
    author_ok = 0 < len(author_id) <= MAX_AUTHOR_ID and unstorable_reason(author_id) is None
    if site is None or not author_ok or (duration != "ban" and duration not in SUSPENSIONS):
        return _failed(_("Choose the author and how long."), 400)
    if request.form.get("confirm") != "1":  # the page's script asks in a dialog; without it, this page asks
        return _confirm_ban(site, author_id, duration)
    until = utcnow() + timedelta(days=SUSPENSIONS[duration][0]) if duration in SUSPENSIONS else None
    try:
        outcome = ban_author(
            db,
            site,
            author_id,
            actor=_actor(),
            reason=_reason(),
            until=until,
            comment_id=request.form.get("comment_id", type=row_id),
        )
    except DecisionError as exc:
        return _failed(label(DECISION_ERRORS, exc.code), 404 if exc.code == "not_found" else 400)
    message = _("Author suspended %(how_long)s", how_long=SUSPENSIONS[duration][1]) if until else _("Author banned")
    return _done([outcome], message)


def _confirm_ban(site: Site, author_id: str, duration: str) -> Response:
    """What the ban will do, and a button to go ahead: a ban is one click away from a mistake."""
    db = get_session()
    of_author = (Comment.site_id == site.id) & (Comment.author_id == author_id)
    name = db.scalar(select(Comment.author_name).where(of_author).order_by(Comment.id.desc()).limit(1))
    waiting = db.scalar(select(func.count()).where(of_author, Comment.status.in_(WAITING_STATUSES))) or 0
    page = render_template(
        "confirm_ban.html",
        site=site,
        author_id=author_id,
        author_name=name or author_id,
        duration=duration,
        waiting=waiting,
        fields={k: v for k, v in request.form.items() if k not in ("csrf_token", "confirm")},
        back=_back(),
    )
    return Response(page)


@bp.post("/actions/undo")
@login_required
def undo() -> Response | tuple[Response, int]:
    """Undo one action or several (a bulk decision); all or nothing."""
    ids = request.form.getlist("action", type=row_id)
    if not ids:
        return _failed(_("Nothing to undo."), 400)
    if not sees_actions(ids):
        return _not_found()
    try:
        outcomes = [undo_action(get_session(), action_id, actor=_actor()) for action_id in ids]
    except DecisionError as exc:
        return _failed(_("Could not undo: %(why)s", why=label(DECISION_ERRORS, exc.code)))
    return _done(outcomes, ngettext("%(num)d action undone", "%(num)d actions undone", len(outcomes)), undoable=False)
