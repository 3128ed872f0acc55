"""modctl site: create sites, set their policy and domain lists."""

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from services.modctl.common import DURATION, checked_target, operator_actor, site_named
from shared.settings import get_settings
from shared.vocabulary import Language, ModerationMode, SiteAction

if TYPE_CHECKING:
    from shared.site_lifecycle import SiteSummary


@click.group()
def site() -> None:
    """Manage the news sites that post comments."""


@site.command("create")
@click.option("--name", required=True, help="A short unique name, e.g. luki.")
@click.option("--callback-url", help="Where decisions are POSTed (signed), e.g. https://site/hooks/moderation.")
def site_create(name: str, callback_url: str | None) -> None:
    """Create a site; prints its API key and signing secret once (only a hash of the key is kept)."""
    from ingest.sites import create_site
    from shared.db import session_scope

    if callback_url:
        checked_target(callback_url, get_settings())
    with session_scope(get_settings().database_url) as session:
        issued = create_site(session, name=name, callback_url=callback_url, actor=operator_actor())
        secret = issued.site.signing_secret
    click.echo(f"site:            {name}\napi key:         {issued.api_key}\nsigning secret:  {secret}")
    click.echo("Store both now: the API key cannot be shown again.")


def _thresholds(pairs: tuple[str, ...], option: str) -> dict[str, float]:
    """["toxicity=0.6", "spam=0.8"] as {"toxicity": 0.6, "spam": 0.8}."""
    parsed = {}
    for pair in pairs:
        category, sep, value = pair.partition("=")
        try:
            parsed[category.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{pair!r}: write CATEGORY=NUMBER, e.g. toxicity=0.6", param_hint=option) from None
        if not sep:
            raise click.BadParameter(f"{pair!r}: write CATEGORY=NUMBER", param_hint=option)
    return parsed


def _word_file(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


@site.command("set")
@click.option("--site", "site_name", required=True)
@click.option(
    "--mode",
    type=click.Choice([m.value for m in ModerationMode]),
    help="pre: nothing is shown before a verdict; post: shown at once, taken down if rejected.",
)
@click.option("--review", multiple=True, metavar="CATEGORY=SCORE", help="Send to a human at or above (repeatable).")
@click.option("--reject", multiple=True, metavar="CATEGORY=SCORE", help="Reject at or above (repeatable).")
@click.option("--banned-word", multiple=True, help="Add a word that rejects a comment; 'word*' matches its forms.")
@click.option("--suspect-word", multiple=True, help="Add a word that sends a comment to a human.")
@click.option("--remove-word", multiple=True, help="Remove a word from both lists.")
@click.option(
    "--banned-words-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Replace the banned list with this file's lines.",
)
@click.option(
    "--suspect-words-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Replace the suspect list with this file's lines.",
)
@click.option("--new-author-review", type=int, help="Review every author's comments until N are approved (0: off).")
@click.option(
    "--edit-after-reject",
    type=click.Choice(["review", "reject"]),
    help="What an edit of a comment a moderator rejected does: go to review (default) or stay rejected.",
)
@click.option(
    "--language", type=click.Choice([m.value for m in Language]), help="The language moderators of this site read."
)
@click.option("--callback-url", help="Where decisions are POSTed (signed).")
def site_set(
    site_name: str,
    mode: str | None,
    review: tuple[str, ...],
    reject: tuple[str, ...],
    banned_word: tuple[str, ...],
    suspect_word: tuple[str, ...],
    remove_word: tuple[str, ...],
    banned_words_file: Path | None,
    suspect_words_file: Path | None,
    new_author_review: int | None,
    edit_after_reject: str | None,
    language: str | None,
    callback_url: str | None,
) -> None:
    """Change a site's policy; prints the whole policy as stored. Nothing is stored if any value is wrong."""
    from pydantic import ValidationError

    from moderation.moderators.policy_changes import change_policy
    from shared.db import session_scope
    from shared.site_lifecycle import record_change
    from shared.site_policy import SitePolicy, load_site_policy

    if callback_url:
        checked_target(callback_url, get_settings())
    with session_scope(get_settings().database_url) as session:
        found = site_named(session, site_name)
        current = load_site_policy(found.policy)
        removed = {w.lower() for w in remove_word}
        banned = current.banned_words if banned_words_file is None else _word_file(banned_words_file)
        suspect = current.suspect_words if suspect_words_file is None else _word_file(suspect_words_file)
        changes = {
            "mode": mode,
            "language": language,
            "new_author_review": new_author_review,
            "edit_after_reject": edit_after_reject,
            "review": {**current.review, **_thresholds(review, "--review")},
            "reject": {**current.reject, **_thresholds(reject, "--reject")},
            "banned_words": [w for w in [*banned, *banned_word] if w.lower() not in removed],
            "suspect_words": [w for w in [*suspect, *suspect_word] if w.lower() not in removed],
        }
        try:
            policy = SitePolicy.model_validate(
                {**current.model_dump(), **{k: v for k, v in changes.items() if v is not None}}
            )
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise click.UsageError(f"nothing changed: {problems}") from None
        if callback_url is not None:
            found.callback_url = callback_url or None
        changed = change_policy(session, found, policy, actor=operator_actor(), callback_url=found.callback_url)
        if changed is None and callback_url is not None:  # only the callback URL: still an audit row
            record_change(
                session, found, SiteAction.SET_POLICY, actor=operator_actor(), callback_url=found.callback_url
            )
    click.echo(
        json.dumps(
            {"site": site_name, "callback_url": found.callback_url, "policy": policy.model_dump()},
            ensure_ascii=False,
            indent=2,
        )
    )


@site.group("domain")
def site_domain() -> None:
    """Domains a site allows or blocks in comments' links."""


@site_domain.command("add")
@click.option("--site", "site_name", required=True)
@click.option("--allow", "rule", flag_value="allow", help="Links to it count in the comment's favour.")
@click.option("--block", "rule", flag_value="block", help="Links to it are spam.")
@click.argument("domains", nargs=-1, required=True)
def site_domain_add(site_name: str, rule: str | None, domains: tuple[str, ...]) -> None:
    """Allow or block DOMAINS (e.g. pskov.ru, or kazino.ru) for a site."""
    from ingest.sites import set_domain_rules
    from shared.db import session_scope

    if rule is None:
        raise click.UsageError("say --allow or --block")
    with session_scope(get_settings().database_url) as session:
        set_domain_rules(session, site_named(session, site_name), rule, domains)
    click.echo(f"site {site_name}: {rule} {', '.join(domains)}")


@site.command("list")
def site_list() -> None:
    """Every site: enabled or not, its live keys (by their last characters), secret overlap, last change."""
    from shared.db import session_scope
    from shared.site_lifecycle import site_summaries

    with session_scope(get_settings().database_url) as session:
        for summary in site_summaries(session):
            click.echo(_summary_line(summary))


def _summary_line(summary: "SiteSummary") -> str:
    site = summary.site
    keys = ", ".join(key.hint + (f" (until {_when(key.expires_at)})" if key.expires_at else "") for key in summary.keys)
    parts = [
        f"{site.name} (id {site.id})",
        "DISABLED" if site.disabled_at else "enabled",
        f"keys: {keys or 'none'}",
        f"callback: {site.callback_url or '-'}",
    ]
    if summary.secret_overlap_until:
        parts.append(f"old secret signs too until {_when(summary.secret_overlap_until)}")
    if summary.last_change:
        change = summary.last_change
        parts.append(f"last change: {change.action} by {change.actor} at {_when(change.created_at)}")
    return "  ".join(parts)


def _when(moment: "datetime | None") -> str:
    from shared.models import as_utc

    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "-"


@site.command("rotate-key")
@click.option("--site", "site_name", required=True)
@click.option(
    "--grace",
    type=DURATION,
    default="24h",
    show_default=True,
    help="How long the old keys keep working (e.g. 1h, 7d); 0 stops them now (a leaked key).",
)
def site_rotate_key(site_name: str, grace: float) -> None:
    """Issue a new API key; prints it once. The old keys stop after the grace period."""
    from shared.db import session_scope
    from shared.site_lifecycle import rotate_api_key

    with session_scope(get_settings().database_url) as session:
        rotated = rotate_api_key(session, site_named(session, site_name), grace_s=grace, actor=operator_actor())
    click.echo(f"site:      {site_name}\napi key:   {rotated.key}")
    click.echo(
        f"The old keys work until {_when(rotated.old_keys_expire_at)}. Store the new key now: it cannot be shown again."
    )


@site.command("rotate-secret")
@click.option("--site", "site_name", required=True)
@click.option(
    "--overlap",
    type=DURATION,
    default="24h",
    show_default=True,
    help="How long callbacks carry a signature with the old secret too; 0 drops it now.",
)
def site_rotate_secret(site_name: str, overlap: float) -> None:
    """Issue a new signing secret; prints it once. Callbacks are signed with both during the overlap."""
    from shared.db import session_scope
    from shared.site_lifecycle import rotate_signing_secret

    with session_scope(get_settings().database_url) as session:
        secret = rotate_signing_secret(
            session, site_named(session, site_name), overlap_s=overlap, actor=operator_actor()
        )
    click.echo(f"site:            {site_name}\nsigning secret:  {secret}")
    if overlap:
        click.echo(
            f"Callbacks carry two v1= signatures, new and old, for {overlap:.0f} s: switch the site's verifier meanwhile."
        )


@site.command("disable")
@click.option("--site", "site_name", required=True)
def site_disable(site_name: str) -> None:
    """Refuse the site's API keys (403) until enabled; comments already accepted are still moderated."""
    from shared.db import session_scope
    from shared.site_lifecycle import disable_site

    with session_scope(get_settings().database_url) as session:
        changed = disable_site(session, site_named(session, site_name), actor=operator_actor())
    click.echo(f"site {site_name}: {'disabled' if changed else 'was already disabled'}")


@site.command("enable")
@click.option("--site", "site_name", required=True)
def site_enable(site_name: str) -> None:
    """Accept the site's API keys again."""
    from shared.db import session_scope
    from shared.site_lifecycle import enable_site

    with session_scope(get_settings().database_url) as session:
        changed = enable_site(session, site_named(session, site_name), actor=operator_actor())
    click.echo(f"site {site_name}: {'enabled' if changed else 'was not disabled'}")


@site.command("log")
@click.option("--site", "site_name", required=True)
@click.option("--limit", type=int, default=50, show_default=True)
def site_log(site_name: str, limit: int) -> None:
    """The site's audit log, newest first: who changed what, and when."""
    from shared.db import session_scope
    from shared.site_lifecycle import site_changes

    with session_scope(get_settings().database_url) as session:
        for change in site_changes(session, site_named(session, site_name).id, limit):
            detail = json.dumps(change.detail, ensure_ascii=False, sort_keys=True)
            click.echo(f"{_when(change.created_at)}  {change.actor}  {change.action}  {detail}")
