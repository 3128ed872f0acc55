"""modctl site: create sites, set their policy and domain lists."""

import json
from pathlib import Path

import click

from services.modctl.common import site_named
from shared.settings import get_settings
from shared.vocabulary import Language, ModerationMode


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

    with session_scope(get_settings().database_url) as session:
        issued = create_site(session, name=name, callback_url=callback_url)
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
    language: str | None,
    callback_url: str | None,
) -> None:
    """Change a site's policy; prints the whole policy as stored. Nothing is stored if any value is wrong."""
    from pydantic import ValidationError

    from shared.db import session_scope
    from shared.site_policy import SitePolicy, load_site_policy

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
        found.policy = policy.model_dump(exclude_defaults=True)
        if callback_url is not None:
            found.callback_url = callback_url or None
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
