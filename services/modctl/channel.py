"""modctl channel: where a site's moderators hear about comments that need them."""

import click

from services.modctl.common import checked_target, site_named
from shared.settings import get_settings
from shared.vocabulary import DEFAULT_CHANNEL_EVENTS, ChannelKind, EventKind


@click.group()
def channel() -> None:
    """Where a site's moderators hear about comments that need them: webhook, Slack, Telegram, e-mail."""


@channel.command("add")
@click.option("--site", "site_name", required=True)
@click.option("--kind", required=True, type=click.Choice([m.value for m in ChannelKind]))
@click.option(
    "--target",
    required=True,
    help="webhook/slack: the URL; telegram: the chat id (-100…, @channel); email: addresses, comma-separated.",
)
@click.option("--secret", help="telegram: the bot token; webhook: a signing key (default: the site's secret).")
@click.option(
    "--events",
    default=",".join(DEFAULT_CHANNEL_EVENTS),
    show_default=True,
    help=f"Which of {', '.join(EventKind)} to hear about, comma-separated.",
)
@click.option(
    "--digest-interval", type=int, help="Seconds: at most one message per interval; more comments wait for a digest."
)
@click.option("--digest-max", type=int, help="How many comments a digest shows (the worst first).")
def channel_add(
    site_name: str,
    kind: str,
    target: str,
    secret: str | None,
    events: str,
    digest_interval: int | None,
    digest_max: int | None,
) -> None:
    """Add a channel; `modctl channel test --id N` then sends it a test message."""
    from notify.channel_admin import add_channel
    from shared.db import session_scope

    settings = get_settings()
    if kind in ("webhook", "slack"):
        checked_target(target, settings)
    with session_scope(settings.database_url) as session:
        try:
            added = add_channel(
                session,
                site_named(session, site_name),
                kind=kind,
                target=target,
                secret=secret,
                events=tuple(e.strip() for e in events.split(",") if e.strip()),
                settings=settings.notify,
                digest_interval_s=digest_interval,
                digest_max_items=digest_max,
            )
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        summary = (
            f"channel {added.id}: {kind} → {target} for {site_name}, events {', '.join(added.events)}, "
            f"digest every {added.digest_interval_s}s, up to {added.digest_max_items} comments"
        )
    click.echo(summary)


@channel.command("list")
@click.option("--site", "site_name", help="Only this site's channels.")
def channel_list(site_name: str | None) -> None:
    """Every channel with its delivered, pending and dead messages and the last error."""
    from notify.channel_admin import list_channels
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        health = list_channels(session, site_named(session, site_name) if site_name else None)
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
    from notify.alerts.dispatch import channel_target
    from notify.channel_admin import sample_alert
    from shared.db import session_scope
    from shared.models import NotificationChannel, Site

    settings = get_settings()
    with session_scope(settings.database_url) as session:
        found = session.get(NotificationChannel, channel_id)
        if found is None:
            raise click.UsageError(f"no channel {channel_id}")
        site_row = session.get_one(Site, found.site_id)  # a channel goes with its site
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
