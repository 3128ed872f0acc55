"""modctl moderator: console accounts and the sites each works on."""

import sys

import click

from services.modctl.common import sites_named
from shared.console_urls import home_url
from shared.settings import get_settings
from shared.vocabulary import Language, ModeratorRole


@click.group()
def moderator() -> None:
    """Manage the people who log in to the moderators' console (/console/)."""


@moderator.command("create")
@click.option("--username", required=True)
@click.option(
    "--role",
    type=click.Choice([m.value for m in ModeratorRole]),
    default=ModeratorRole.MODERATOR.value,
    show_default=True,
    help="admin also edits sites' policies and sees the moderators.",
)
@click.option("--locale", type=click.Choice([m.value for m in Language]), default=Language.RU.value, show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
@click.option(
    "--site",
    "site_names",
    multiple=True,
    help="Limit a moderator to this site (repeat for several); without it, every site.",
)
def moderator_create(username: str, role: str, locale: str, password_stdin: bool, site_names: tuple[str, ...]) -> None:
    """Create a console account; only an argon2 hash of the password is kept."""
    from moderation.moderators.accounts import ModeratorError, create_moderator
    from shared.db import session_scope

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope(get_settings().database_url) as session:
            create_moderator(
                session,
                username=username,
                password=password,
                role=role,
                locale=locale,
                sites=sites_named(session, site_names),
            )
    except ModeratorError as exc:
        raise click.UsageError(str(exc)) from exc
    where = ", ".join(site_names) if site_names else "every site"
    click.echo(f"moderator {username} ({role}, {where}) created; log in at {home_url(get_settings().base_url)}")


@moderator.command("sites")
@click.option("--username", required=True)
@click.option("--site", "site_names", multiple=True, help="A site the moderator works on (repeat for several).")
@click.option("--every-site", is_flag=True, help="Lift the limit: the moderator sees every site.")
def moderator_sites(username: str, site_names: tuple[str, ...], every_site: bool) -> None:
    """Change which sites a moderator works on (from their next page on)."""
    from moderation.moderators.accounts import ModeratorError, find_moderator, set_sites
    from shared.db import session_scope

    if bool(site_names) == every_site:
        raise click.UsageError("give --site (one or more) or --every-site")
    try:
        with session_scope(get_settings().database_url) as session:
            moderator = find_moderator(session, username)
            if moderator is None:
                raise click.UsageError(f"no moderator named {username!r}")
            set_sites(moderator, sites_named(session, site_names))
    except ModeratorError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"moderator {username}: {', '.join(site_names) if site_names else 'every site'}")


@moderator.command("list")
def moderator_list() -> None:
    """Every console account: username, role, sites, language, active, last login."""
    from moderation.moderators.accounts import list_moderators
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        for m in list_moderators(session):
            last = m.last_login_at.isoformat(timespec="seconds") if m.last_login_at else "never"
            sites = ",".join(site.name for site in m.sites) if m.sites and m.role != "admin" else "every site"
            click.echo(
                f"{m.username}\t{m.role}\t{sites}\t{m.locale}\t{'active' if m.active else 'inactive'}\tlast login {last}"
            )
