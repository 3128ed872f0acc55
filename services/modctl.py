"""modctl: the operator's command line for everything the service does."""

import json
import os
import sys
from pathlib import Path

import click

from services import processes
from shared.settings import get_settings

DATA_OPTION = click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="CSV with columns text,label (1 = toxic).")


@click.group()
def cli() -> None:
    """Operate the comment moderation service. Settings come from MOD_* environment variables."""


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (alembic upgrade head)."""
    from shared.migrate import upgrade

    upgrade(get_settings().database_url)
    click.echo("database is at the latest schema")


@cli.group()
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
@click.option("--mode", type=click.Choice(["pre", "post"]),
              help="pre: nothing is shown before a verdict; post: shown at once, taken down if rejected.")
@click.option("--review", multiple=True, metavar="CATEGORY=SCORE", help="Send to a human at or above (repeatable).")
@click.option("--reject", multiple=True, metavar="CATEGORY=SCORE", help="Reject at or above (repeatable).")
@click.option("--banned-word", multiple=True, help="Add a word that rejects a comment; 'word*' matches its forms.")
@click.option("--suspect-word", multiple=True, help="Add a word that sends a comment to a human.")
@click.option("--remove-word", multiple=True, help="Remove a word from both lists.")
@click.option("--banned-words-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Replace the banned list with this file's lines.")
@click.option("--suspect-words-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Replace the suspect list with this file's lines.")
@click.option("--new-author-review", type=int, help="Review every author's comments until N are approved (0: off).")
@click.option("--language", type=click.Choice(["ru", "en"]), help="The language moderators of this site read.")
@click.option("--callback-url", help="Where decisions are POSTed (signed).")
def site_set(
    site_name: str, mode: str | None, review: tuple[str, ...], reject: tuple[str, ...],
    banned_word: tuple[str, ...], suspect_word: tuple[str, ...], remove_word: tuple[str, ...],
    banned_words_file: Path | None, suspect_words_file: Path | None, new_author_review: int | None,
    language: str | None, callback_url: str | None,
) -> None:
    """Change a site's policy; prints the whole policy as stored. Nothing is stored if any value is wrong."""
    from pydantic import ValidationError

    from ingest.sites import find_site
    from shared.db import session_scope
    from shared.site_policy import SitePolicy, load_site_policy

    with session_scope(get_settings().database_url) as session:
        found = find_site(session, site_name)
        if found is None:
            raise click.UsageError(f"no site named {site_name!r}")
        current = load_site_policy(found.policy)
        removed = {w.lower() for w in remove_word}
        banned = current.banned_words if banned_words_file is None else _word_file(banned_words_file)
        suspect = current.suspect_words if suspect_words_file is None else _word_file(suspect_words_file)
        changes = {
            "mode": mode, "language": language, "new_author_review": new_author_review,
            "review": {**current.review, **_thresholds(review, "--review")},
            "reject": {**current.reject, **_thresholds(reject, "--reject")},
            "banned_words": [w for w in [*banned, *banned_word] if w.lower() not in removed],
            "suspect_words": [w for w in [*suspect, *suspect_word] if w.lower() not in removed],
        }
        try:
            policy = SitePolicy.model_validate({**current.model_dump(), **{k: v for k, v in changes.items() if v is not None}})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise click.UsageError(f"nothing changed: {problems}") from None
        found.policy = policy.model_dump(exclude_defaults=True)
        if callback_url is not None:
            found.callback_url = callback_url or None
    click.echo(json.dumps({"site": site_name, "callback_url": found.callback_url, "policy": policy.model_dump()},
                          ensure_ascii=False, indent=2))


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
    from ingest.sites import find_site, set_domain_rules
    from shared.db import session_scope

    if rule is None:
        raise click.UsageError("say --allow or --block")
    with session_scope(get_settings().database_url) as session:
        site = find_site(session, site_name)
        if site is None:
            raise click.UsageError(f"no site named {site_name!r}")
        set_domain_rules(session, site, rule, domains)
    click.echo(f"site {site_name}: {rule} {', '.join(domains)}")


@cli.group()
def channel() -> None:
    """Where a site's moderators hear about comments that need them: webhook, Slack, Telegram, e-mail."""


def _site_named(session, name: str):  # type: ignore[no-untyped-def]
    from ingest.sites import find_site

    found = find_site(session, name)
    if found is None:
        raise click.UsageError(f"no site named {name!r}")
    return found


@channel.command("add")
@click.option("--site", "site_name", required=True)
@click.option("--kind", required=True, type=click.Choice(["webhook", "slack", "telegram", "email"]))
@click.option("--target", required=True,
              help="webhook/slack: the URL; telegram: the chat id (-100…, @channel); email: addresses, comma-separated.")
@click.option("--secret", help="telegram: the bot token; webhook: a signing key (default: the site's secret).")
@click.option("--events", default="review,report", show_default=True,
              help="Which of review, report, reject to hear about, comma-separated.")
@click.option("--digest-interval", type=int, help="Seconds: at most one message per interval; more comments wait for a digest.")
@click.option("--digest-max", type=int, help="How many comments a digest shows (the worst first).")
def channel_add(site_name: str, kind: str, target: str, secret: str | None, events: str,
                digest_interval: int | None, digest_max: int | None) -> None:
    """Add a channel; `modctl channel test --id N` then sends it a test message."""
    from notify.channel_admin import add_channel
    from shared.db import session_scope

    settings = get_settings()
    with session_scope(settings.database_url) as session:
        try:
            added = add_channel(session, _site_named(session, site_name), kind=kind, target=target, secret=secret,
                                events=tuple(e.strip() for e in events.split(",") if e.strip()),
                                settings=settings.notify, digest_interval_s=digest_interval, digest_max_items=digest_max)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        summary = (f"channel {added.id}: {kind} → {target} for {site_name}, events {', '.join(added.events)}, "
                   f"digest every {added.digest_interval_s}s, up to {added.digest_max_items} comments")
    click.echo(summary)


@channel.command("list")
@click.option("--site", "site_name", help="Only this site's channels.")
def channel_list(site_name: str | None) -> None:
    """Every channel with its delivered, pending and dead messages and the last error."""
    from notify.channel_admin import list_channels
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        health = list_channels(session, _site_named(session, site_name) if site_name else None)
        lines = [
            f"{h.channel.id:>4}  {h.site_name:<12} {h.channel.kind:<8} {h.channel.target:<40} "
            f"{'active' if h.channel.active else 'off':<6} delivered={h.delivered} pending={h.pending} dead={h.dead}"
            + (f"  last error: {h.last_error}" if h.last_error else "")
            for h in health
        ]
    click.echo("\n".join(lines) if lines else "no channels")


@channel.command("test")
@click.option("--id", "channel_id", type=int, required=True)
def channel_test(channel_id: int) -> None:
    """Send a test message now and say what the channel answered (exit 1 if it failed)."""
    from notify import channels
    from notify.alerts import channel_target
    from notify.channel_admin import sample_alert
    from shared.db import session_scope
    from shared.models import NotificationChannel, Site

    settings = get_settings()
    with session_scope(settings.database_url) as session:
        found = session.get(NotificationChannel, channel_id)
        if found is None:
            raise click.UsageError(f"no channel {channel_id}")
        site_row = session.get(Site, found.site_id)
        target, alert = channel_target(found, site_row), sample_alert(site_row, settings.base_url)
    result = channels.send(target, alert, settings.notify, message_id=0)
    if not result.delivered:
        click.echo(f"channel {channel_id} failed: {result.error}", err=True)
        raise SystemExit(1)
    click.echo(f"channel {channel_id}: test message delivered in {result.duration_ms} ms")


@channel.command("remove")
@click.option("--id", "channel_id", type=int, required=True)
def channel_remove(channel_id: int) -> None:
    """Stop and delete a channel, with its messages' history."""
    from shared.db import session_scope
    from shared.models import NotificationChannel

    with session_scope(get_settings().database_url) as session:
        found = session.get(NotificationChannel, channel_id)
        if found is None:
            raise click.UsageError(f"no channel {channel_id}")
        session.delete(found)
    click.echo(f"channel {channel_id} removed")


@cli.group()
def notifications() -> None:
    """Inspect and replay notifications (site callbacks)."""


@notifications.command("replay")
@click.option("--id", "ids", type=int, multiple=True, help="A dead notification's id (repeatable).")
@click.option("--all-dead", is_flag=True, help="Replay every dead notification.")
def notifications_replay(ids: tuple[int, ...], all_dead: bool) -> None:
    """Send dead notifications again, with a fresh retry budget."""
    from notify.service import delivery_task, revive_dead
    from shared.celery_app import create_celery
    from shared.db import session_scope

    if not ids and not all_dead:
        raise click.UsageError("name notifications with --id, or pass --all-dead")
    settings = get_settings()
    with session_scope(settings.database_url) as session:
        revived = revive_dead(session, list(ids) if ids else None)
    celery = create_celery(settings)
    for notification_id, kind in revived:
        celery.send_task(delivery_task(kind), args=[notification_id])
    listed = ", ".join(str(notification_id) for notification_id, _ in revived)
    click.echo(f"replaying {len(revived)} notification(s): {listed or '-'}")


def _exec(command: list[str]) -> None:
    os.execv(command[0], command)  # the process becomes the server: signals reach it directly


@cli.command("serve-api")
def serve_api() -> None:
    """Run the ingest API under gunicorn (MOD_HOST, MOD_PORT, MOD_WEB_WORKERS)."""
    _exec(processes.web_command())


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("queue", type=click.Choice(["moderation", "notify"]))
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(queue: str, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker for QUEUE; extra arguments go to `celery worker` (e.g. --concurrency 4)."""
    _exec(processes.worker_command(queue, celery_args))


@cli.command()
@click.option("--schedule-file", default="/tmp/celerybeat-schedule", show_default=True)
def beat(schedule_file: str) -> None:
    """Run the scheduler that sends the periodic sweeps (one per deployment)."""
    _exec(processes.beat_command(schedule_file))


@cli.command()
def run() -> None:
    """Run everything on this machine with no servers: migrate, demo site, API and workers.

    The database and broker are SQLite files under ./var unless MOD_DATABASE_URL / MOD_BROKER_URL say otherwise.
    """
    from services.embedded import run_embedded

    raise SystemExit(run_embedded(get_settings(), Path("var")))
