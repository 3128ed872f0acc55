"""Admins only: each site's keys and signing secret rotated with an overlap, the site disabled or
enabled, and its audit log. The same functions as `modctl site`; the actor is the admin.

A new key or secret is shown once, on the page the POST answers (never put in a flash message,
which would travel in the session cookie), with caching forbidden.
"""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from moderation.moderators.decisions import moderator_actor
from moderation.web.console.auth import admin_required
from moderation.web.console.blueprint import bp
from shared.models import Site
from shared.site_lifecycle import (
    disable_site,
    enable_site,
    rotate_api_key,
    rotate_signing_secret,
    site_changes,
    site_summaries,
)
from shared.vocabulary import SiteAction
from shared.web.session import get_session

# The overlaps an admin picks from: (seconds, label); 0 for a leaked key or secret.
OVERLAPS = [
    (0, _l("none: the old one stops now")),
    (3600, _l("1 hour")),
    (86400, _l("24 hours")),
    (7 * 86400, _l("7 days")),
]
ACTION_LABELS = {
    SiteAction.CREATE: _l("created"),
    SiteAction.ROTATE_KEY: _l("API key rotated"),
    SiteAction.ROTATE_SECRET: _l("signing secret rotated"),
    SiteAction.DISABLE: _l("disabled"),
    SiteAction.ENABLE: _l("enabled"),
    SiteAction.SET_POLICY: _l("policy changed"),
}


def _site(site_id: int) -> Site:
    site = get_session().get(Site, site_id)
    if site is None:
        abort(404)
    return site


def _overlap() -> int:
    value = request.form.get("overlap_s", type=int)
    if value not in {seconds for seconds, _label in OVERLAPS}:
        abort(400)
    return value


def _actor() -> str:
    return moderator_actor(current_user.username)


@bp.get("/sites")
@admin_required
def sites() -> str:
    return render_template("sites.html", summaries=site_summaries(get_session()))


@bp.get("/sites/<id:site_id>")
@admin_required
def site_detail(site_id: int) -> str:
    summary = next(s for s in site_summaries(get_session()) if s.site.id == _site(site_id).id)
    changes = site_changes(get_session(), site_id)
    return render_template("site.html", summary=summary, changes=changes, overlaps=OVERLAPS, labels=ACTION_LABELS)


def _shown_once(site: Site, what: str, value: str, overlap_s: int) -> Response:
    page = render_template("site_secret.html", site=site, what=what, value=value, overlap_s=overlap_s)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sites/<id:site_id>/rotate-key")
@admin_required
def rotate_key(site_id: int) -> Response:
    site, overlap = _site(site_id), _overlap()
    rotated = rotate_api_key(get_session(), site, grace_s=overlap, actor=_actor())
    get_session().commit()
    return _shown_once(site, _("API key"), rotated.key, overlap)


@bp.post("/sites/<id:site_id>/rotate-secret")
@admin_required
def rotate_secret(site_id: int) -> Response:
    site, overlap = _site(site_id), _overlap()
    secret = rotate_signing_secret(get_session(), site, overlap_s=overlap, actor=_actor())
    get_session().commit()
    return _shown_once(site, _("Signing secret"), secret, overlap)


@bp.post("/sites/<id:site_id>/disable")
@admin_required
def disable(site_id: int) -> Response:
    site = _site(site_id)
    if disable_site(get_session(), site, actor=_actor()):
        get_session().commit()
        flash({"text": _("%(site)s is disabled: its keys are refused", site=site.name), "undo": []}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(url_for("console.site_detail", site_id=site.id))


@bp.post("/sites/<id:site_id>/enable")
@admin_required
def enable(site_id: int) -> Response:
    site = _site(site_id)
    if enable_site(get_session(), site, actor=_actor()):
        get_session().commit()
        flash({"text": _("%(site)s is enabled again", site=site.name), "undo": []}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(url_for("console.site_detail", site_id=site.id))
