"""The author drawer: one author of one site as moderators see them, and their notes on the author.

The same page serves a plain link (a whole page) and the queue's script, which asks for the drawer
alone (?drawer=1) and shows it beside the queue. Moderators limited to other sites get a 404.
"""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from moderation.moderators.authors import author_profile
from moderation.moderators.decisions import moderator_actor
from moderation.moderators.errors import DecisionError
from moderation.moderators.notes import add_note
from moderation.web.console.blueprint import bp, wants_json
from moderation.web.console.i18n import DECISION_ERRORS, label
from moderation.web.console.scope import sees_site, visible_sites
from shared.models import Site
from shared.web.session import get_session

MAX_AUTHOR_ID = 200


def _site_and_author(site_id: int, author_id: str) -> Site:
    site = get_session().get(Site, site_id)
    if site is None or not sees_site(site.id) or not author_id or len(author_id) > MAX_AUTHOR_ID:
        abort(404)
    return site


@bp.get("/sites/<id:site_id>/author")
@login_required
def author(site_id: int) -> str:
    author_id = request.args.get("id", "")
    site = _site_and_author(site_id, author_id)
    profile = author_profile(get_session(), site.id, author_id)
    template = "_author_drawer.html" if request.args.get("drawer") else "author.html"
    return render_template(template, site=site, profile=profile, sites=visible_sites())


@bp.post("/sites/<id:site_id>/author/notes")
@login_required
def add_author_note(site_id: int) -> Response | tuple[Response, int]:
    author_id = request.form.get("author_id", "")
    site = _site_and_author(site_id, author_id)
    back = url_for("console.author", site_id=site.id, id=author_id)
    try:
        add_note(
            get_session(),
            site.id,
            author_id,
            request.form.get("text", ""),
            actor=moderator_actor(current_user.username),
        )
    except DecisionError as exc:
        get_session().rollback()
        if wants_json():
            return jsonify(ok=False, message=label(DECISION_ERRORS, exc.code)), 400
        flash({"text": label(DECISION_ERRORS, exc.code), "undo": []}, "error")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
        return redirect(back)
    get_session().commit()
    if wants_json():
        return jsonify(ok=True, message=_("Note saved"))
    flash({"text": _("Note saved"), "undo": []}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(back)
