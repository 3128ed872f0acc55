"""Admins only: the policy simulator (a proposal replayed over the site's stored comments beside the
current policy) and applying the proposal, which is one button and an audit row."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from moderation.moderators.decisions import moderator_actor
from moderation.moderators.policy_changes import change_policy, changed_settings, policy_digest, policy_history
from moderation.pipeline.simulator import PeriodTooLongError, Simulation, simulate, whole_days
from moderation.web.console import charts
from moderation.web.console.admin_views import chosen_site, policy_defaults
from moderation.web.console.auth import admin_required
from moderation.web.console.blueprint import bp
from moderation.web.console.i18n import CATEGORY_LABELS, label
from moderation.web.console.policy_form import form_values, parse_policy
from moderation.web.console.scope import visible_sites
from shared.categories import POLICY_SCORES, Category
from shared.models import Site
from shared.site_policy import SitePolicy, load_site_policy
from shared.vocabulary import Decision
from shared.web.session import get_session

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    category: str

    def as_form(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "category": self.category}


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["SETTINGS"].console.timezone)


def _period(values: MultiDict[str, str], errors: list[str]) -> Period:
    """The days and the score asked for; the last 30 days and toxicity unless told otherwise."""
    today = datetime.now(_zone()).date()
    days = {}
    for field, default in (("from", today - timedelta(days=DEFAULT_DAYS - 1)), ("to", today)):
        try:
            days[field] = date.fromisoformat(values.get(field) or default.isoformat())
        except ValueError:
            errors.append(_("%(field)s: not a date", field=field))
            days[field] = default
    if days["to"] < days["from"]:
        errors.append(_("The period ends before it begins."))
    elif (days["to"] - days["from"]).days >= MAX_DAYS:
        errors.append(_("Choose a period of at most %(days)d days.", days=MAX_DAYS))
    category = values.get("category", Category.TOXICITY)
    return Period(days["from"], days["to"], category if category in POLICY_SCORES else Category.TOXICITY)


def _charts(result: Simulation) -> dict[str, charts.Chart]:
    labels = {Decision.REVIEW: _("review"), Decision.REJECT: _("reject")}
    sides = {"current": (result.current, _("now")), "proposed": (result.proposed, _("proposed"))}
    thresholds = [
        (series, kind.value, value, f"{labels[kind]} {value:g} ({who})")
        for series, (replay, who) in sides.items()
        for kind in (Decision.REVIEW, Decision.REJECT)
        if (value := replay.threshold(result.category, kind)) is not None
    ]
    category = label(CATEGORY_LABELS, result.category)
    return {
        "held": charts.held_per_day(
            _("Held for review per day"), result.days, result.current.held_per_day, result.proposed.held_per_day
        ),
        "scores": charts.score_histogram(
            _("Comments by %(category)s score, log scale", category=category), result.histogram, thresholds
        ),
    }


def _render(
    site: Site,
    values: dict[str, str],
    period: Period,
    errors: list[str],
    result: Simulation | None = None,
    proposal: SitePolicy | None = None,
) -> str:
    current = load_site_policy(site.policy)
    return render_template(
        "simulate.html",
        site=site,
        sites=visible_sites(),
        values={**values, **period.as_form()},
        errors=errors,
        categories=POLICY_SCORES,
        defaults=policy_defaults(),
        result=result,
        charts=_charts(result) if result else None,
        simulated=policy_digest(proposal) if proposal else "",
        base=policy_digest(current),
        timezone=current_app.config["SETTINGS"].console.timezone,
        history=[(action, changed_settings(action)) for action in policy_history(get_session(), site.id, limit=3)],
    )


@bp.route("/policy/simulate", methods=["GET", "POST"])
@admin_required
def simulate_policy() -> str | tuple[str, int]:
    """GET: the form, filled with the current policy. POST: the proposal replayed beside it."""
    site, errors = chosen_site(), list[str]()
    period = _period(request.values, errors)
    if request.method == "GET":
        return _render(site, form_values(load_site_policy(site.policy)), period, errors)
    proposal, policy_errors = parse_policy(request.form)
    errors += policy_errors
    if proposal is None or errors:
        return _render(site, request.form.to_dict(), period, errors), 400
    start, end = whole_days(period.first, period.last, _zone())
    try:
        result = simulate(
            get_session(),
            site,
            proposal,
            start=start,
            end=end,
            defaults=current_app.config["SETTINGS"].policy,
            tz=_zone(),
            category=period.category,
        )
    except PeriodTooLongError:
        return _render(
            site, request.form.to_dict(), period, [_("Too many comments in the period; choose a shorter one.")]
        ), 400
    get_session().rollback()  # it only read
    return _render(site, request.form.to_dict(), period, [], result, proposal)


@bp.post("/policy/apply")
@admin_required
def apply_policy() -> Response | tuple[str, int]:
    """Make the simulated proposal the site's policy, if it is still what was simulated against what
    is in force now; an audit row records before and after."""
    site, errors = chosen_site(), list[str]()
    period = _period(request.form, errors)
    proposal, policy_errors = parse_policy(request.form)
    if proposal is None or policy_errors:
        return _render(site, request.form.to_dict(), period, policy_errors), 400
    if request.form.get("simulated") != policy_digest(proposal):
        problem = _("The proposal was changed after it was simulated: simulate it again before applying it.")
        return _render(site, request.form.to_dict(), period, [problem]), 409
    if request.form.get("base") != policy_digest(load_site_policy(site.policy)):
        problem = _("The site's policy changed after this simulation: simulate again against the new one.")
        return _render(site, request.form.to_dict(), period, [problem]), 409
    why = (request.form.get("note") or "").strip()[:500]
    note = why or _("simulated over %(first)s – %(last)s", first=period.first, last=period.last)
    change_policy(get_session(), site, proposal, actor=moderator_actor(current_user.username), note=note)
    get_session().commit()
    flash({"text": _("Policy of %(site)s applied", site=site.name), "undo": []}, "action")  # type: ignore[arg-type]  # the console flashes {text, undo} dicts; base.html reads them
    return redirect(url_for("console.site_settings", site=site.id))
