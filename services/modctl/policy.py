"""modctl policy simulate: what a proposed policy would have done to a site's stored comments."""

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from services.modctl.common import site_named
from shared.settings import get_settings

if TYPE_CHECKING:  # imported when the command runs, so `modctl --help` stays quick
    from moderation.pipeline.simulator import Simulation
    from shared.site_policy import SitePolicy

LIST_KEYS = ("banned_words", "suspect_words")
THRESHOLD_KEYS = ("review", "reject")


@click.group()
def policy() -> None:
    """Try a site's policy out before it applies."""


def _proposal(current: "SitePolicy", pairs: tuple[str, ...]) -> "SitePolicy":
    """The current policy with KEY=VALUE changes: mode=post, review.toxicity=0.7, reject.spam=0.95,
    banned_words=казино*,ставки (the whole list; empty to clear), new_author_review=3."""
    from pydantic import ValidationError

    from shared.site_policy import SitePolicy

    data: dict[str, Any] = current.model_dump(mode="json")
    for pair in pairs:
        key, sep, value = pair.partition("=")
        kind, _, category = key.strip().partition(".")
        if not sep:
            raise click.BadParameter(f"{pair!r}: write KEY=VALUE, e.g. review.toxicity=0.7", param_hint="--set")
        if kind in THRESHOLD_KEYS and category:
            data[kind] = {**data[kind], category: value}
        elif kind in LIST_KEYS and not category:
            data[kind] = [word for word in value.split(",") if word.strip()]
        elif kind in SitePolicy.model_fields and kind not in THRESHOLD_KEYS and not category:
            data[kind] = value
        else:
            known = ", ".join([*(f"{k}.CATEGORY" for k in THRESHOLD_KEYS), *LIST_KEYS, "mode", "new_author_review"])
            raise click.BadParameter(f"{pair!r}: unknown setting; one of {known}", param_hint="--set")
    try:
        return SitePolicy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise click.UsageError(f"nothing simulated: {problems}") from None


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: write a date as YYYY-MM-DD", param_hint=option) from None


def _table(result: "Simulation") -> list[str]:
    current, proposed = result.current, result.proposed

    def row(label: str, a: object, b: object) -> str:
        return f"{label:<46}{a!s:>10}{b!s:>10}"

    held_days = max(len(result.days), 1)
    return [
        row("", "current", "proposed"),
        row("approved", current.approved, proposed.approved),
        row("held for review", current.held, proposed.held),
        row("rejected", current.rejected, proposed.rejected),
        row("held per day (mean)", f"{current.held / held_days:.1f}", f"{proposed.held / held_days:.1f}"),
        row("held per day (busiest)", max(current.held_per_day, default=0), max(proposed.held_per_day, default=0)),
        row(
            f"of {result.moderators_rejected} moderators rejected: would pass",
            len(current.would_pass),
            len(proposed.would_pass),
        ),
        row(
            f"of {result.moderators_approved} moderators approved: would be held",
            len(current.would_hold),
            len(proposed.would_hold),
        ),
        row(
            "shown while held (post-moderation)", *("yes" if r.shown_while_held else "no" for r in (current, proposed))
        ),
    ]


def _report(result: "Simulation", site: str, tz: str) -> list[str]:
    first, last = result.days[0], result.days[-1]
    lines = [
        f"{site}, {first} to {last} ({tz}): {result.replayed} comments replayed, {result.unscored} not scored "
        f"(not replayed); the policies decide {result.changed} differently",
        "",
        *_table(result),
        "",
        "held per day:",
        *(
            f"  {day}{a:>10}{b:>10}"
            for day, a, b in zip(result.days, result.current.held_per_day, result.proposed.held_per_day, strict=True)
        ),
    ]
    titles = {
        "would_pass": "moderators rejected these; the proposal would approve them:",
        "would_hold": "moderators approved these; the proposal would hold them back:",
        "changed": "decided differently (current -> proposed):",
    }
    for name, examples in result.examples.items():
        if examples:
            lines += ["", titles[name]]
            lines += [f"  #{e.comment_id} {e.current} -> {e.proposed}: {e.text[:100]!r}" for e in examples]
    lines += [
        "",
        "Scores are the stored verdicts'; an author's approved comments are counted by order of posting.",
    ]
    return lines


@policy.command("simulate")
@click.option("--site", "site_name", required=True)
@click.option("--from", "first", required=True, help="First day, YYYY-MM-DD (on the console's time zone).")
@click.option("--to", "last", required=True, help="Last day, YYYY-MM-DD, included.")
@click.option(
    "--set", "changes", multiple=True, metavar="KEY=VALUE", help="A change to the current policy (repeatable)."
)
@click.option("--category", default="toxicity", show_default=True, help="The score whose distribution is shown.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def simulate_command(
    site_name: str, first: str, last: str, changes: tuple[str, ...], category: str, as_json: bool
) -> None:
    """Replay the site's policy and a proposal (--set ...) over the comments of a period, side by side.

    Nothing changes: apply a proposal with `modctl site set`, or from the console's simulator.
    """
    from zoneinfo import ZoneInfo

    from moderation.pipeline.simulator import PeriodTooLongError, simulate, whole_days
    from shared.categories import POLICY_SCORES
    from shared.db import session_scope
    from shared.site_policy import load_site_policy

    settings = get_settings()
    if category not in POLICY_SCORES:
        raise click.BadParameter(f"{category!r}: one of {', '.join(POLICY_SCORES)}", param_hint="--category")
    tz = ZoneInfo(settings.console.timezone)
    try:
        start, end = whole_days(_day(first, "--from"), _day(last, "--to"), tz)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with session_scope(settings.database_url) as session:
        site = site_named(session, site_name)
        proposal = _proposal(load_site_policy(site.policy), changes)
        try:
            result = simulate(
                session, site, proposal, start=start, end=end, defaults=settings.policy, tz=tz, category=category
            )
        except PeriodTooLongError as exc:
            raise click.UsageError(str(exc)) from None
        session.rollback()  # it only read; nothing to keep
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=_jsonable))
    else:
        click.echo("\n".join(_report(result, site_name, settings.console.timezone)))


def _jsonable(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
