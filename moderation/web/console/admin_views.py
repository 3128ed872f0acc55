"""Admins only: a site's moderation policy, and the list of moderators."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from moderation.moderators.accounts import list_moderators
from moderation.moderators.decisions import moderator_actor
from moderation.moderators.policy_changes import change_policy, changed_settings, policy_history
from moderation.web.console.auth import admin_required
from moderation.web.console.blueprint import bp
from moderation.web.console.policy_form import form_values, parse_policy
from moderation.web.console.scope import visible_sites
from shared.categories import POLICY_SCORES
from shared.models import Site
from shared.site_policy import load_site_policy
from shared.web.session import get_session


def chosen_site() -> Site:
    """The site named by ?site= among the admin's visible sites (the first one otherwise)."""
    sites = visible_sites()
    if not sites:
        abort(404)
    wanted = request.values.get("site", type=int)
    return next((site for site in sites if site.id == wanted), sites[0])


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def site_settings() -> str | Response | tuple[str, int]:
    site = chosen_site()
    if request.method == "GET":
        return _render(site, form_values(load_site_policy(site.policy)), [])
    policy, errors = parse_policy(request.form)
    if policy is None:
        return _render(site, request.form.to_dict(), errors), 400
    change_policy(get_session(), site, policy, actor=moderator_actor(current_user.username))
    get_session().commit()
    flash({"text": _("Policy of %(site)s saved", site=site.name), "undo": []}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(url_for("console.site_settings", site=site.id))


def _render(site: Site, values: dict[str, str], errors: list[str]) -> str:
    return render_template(
        "settings.html",
        site=site,
        sites=visible_sites(),
        values=values,
        errors=errors,
        categories=POLICY_SCORES,
        defaults=policy_defaults(),
        history=[(action, changed_settings(action)) for action in policy_history(get_session(), site.id)],
    )


def policy_defaults() -> dict[str, dict[str, float]]:
    """The service's thresholds, shown where a site leaves one blank."""
    policy = current_app.config["SETTINGS"].policy
    return {"review": policy.review, "reject": policy.reject}


@bp.get("/moderators")
@admin_required
def moderators() -> str:
    return render_template("moderators.html", moderators=list_moderators(get_session()))
