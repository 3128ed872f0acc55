"""`modctl moderator create/list` and the account rules behind them: argon2 hashes, rehash at login."""

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import select

from moderation.moderators import accounts as moderators
from moderation.moderators.accounts import ModeratorError, authenticate, create_moderator
from services.modctl import cli
from shared.models import Moderator
from tests.console.conftest import PASSWORD, login
from tests.support.sites import make_site


@pytest.fixture
def modctl(settings, monkeypatch):
    from shared.settings import get_settings

    monkeypatch.setenv("MOD_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield lambda *args, stdin=None: CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    get_settings.cache_clear()


def test_create_from_stdin_then_log_in_to_the_console(modctl, client, db):
    result = modctl(
        "moderator", "create", "--username", "olga", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )

    assert result.exit_code == 0 and "/console/" in result.output
    stored = db.scalar(select(Moderator).where(Moderator.username == "olga"))
    assert (
        stored.role == "admin"
        and stored.password_hash.startswith("$argon2id$")
        and PASSWORD not in stored.password_hash
    )
    assert login(client, "olga").status_code == 302


def test_create_prompts_twice_for_the_password(modctl, db):
    result = modctl("moderator", "create", "--username", "ivan", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0
    assert db.scalar(select(Moderator.role).where(Moderator.username == "ivan")) == "moderator"


def test_refused_accounts_are_usage_errors(modctl):
    short = CliRunner().invoke(cli, ["moderator", "create", "--username", "a", "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    modctl("moderator", "create", "--username", "dup", "--password-stdin", stdin=PASSWORD + "\n")
    again = CliRunner().invoke(
        cli, ["moderator", "create", "--username", "dup", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert again.exit_code == 2 and "already exists" in again.output
    long_name = CliRunner().invoke(
        cli, ["moderator", "create", "--username", "x" * 41, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert long_name.exit_code == 2 and "1 to 40 characters" in long_name.output


def test_list_shows_every_account(modctl):
    modctl("moderator", "create", "--username", "olga", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    modctl("moderator", "create", "--username", "ivan", "--password-stdin", stdin=PASSWORD + "\n")

    lines = modctl("moderator", "list").output.splitlines()

    assert [line.split("\t")[:2] for line in lines] == [["ivan", "moderator"], ["olga", "admin"]]
    assert "never" in lines[0]


def test_a_hash_with_old_parameters_is_replaced_at_login(db, monkeypatch):
    monkeypatch.setattr(moderators, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192))
    create_moderator(db, username="old", password=PASSWORD)
    weak = db.scalar(select(Moderator.password_hash).where(Moderator.username == "old"))
    monkeypatch.setattr(moderators, "_hasher", PasswordHasher())

    assert authenticate(db, "old", PASSWORD) is not None
    assert db.scalar(select(Moderator.password_hash).where(Moderator.username == "old")) != weak
    assert authenticate(db, "old", PASSWORD) is not None  # the new hash checks too


def test_unknown_roles_are_refused(db):
    with pytest.raises(ModeratorError):
        create_moderator(db, username="x", password=PASSWORD, role="owner")


def test_a_moderator_can_be_limited_to_named_sites(modctl, db, settings, site):
    make_site(settings.database_url, name="pskov")

    made = modctl(
        "moderator",
        "create",
        "--username",
        "anna",
        "--site",
        "luki",
        "--site",
        "pskov",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    unknown = CliRunner().invoke(
        cli, ["moderator", "create", "--username", "ivan", "--site", "tver", "--password-stdin"], input=PASSWORD + "\n"
    )
    admin = CliRunner().invoke(
        cli,
        ["moderator", "create", "--username", "olga", "--role", "admin", "--site", "luki", "--password-stdin"],
        input=PASSWORD + "\n",
    )

    assert made.exit_code == 0 and "(moderator, luki, pskov)" in made.output
    assert unknown.exit_code == 2 and "no site named tver" in unknown.output
    assert admin.exit_code == 2 and "an admin sees every site" in admin.output
    assert modctl("moderator", "list").output.split("\t")[:3] == ["anna", "moderator", "luki,pskov"]


def test_a_moderators_sites_can_be_changed_and_the_limit_lifted(modctl, db, settings, site, client):
    make_site(settings.database_url, name="pskov")
    modctl("moderator", "create", "--username", "anna", "--site", "luki", "--password-stdin", stdin=PASSWORD + "\n")

    moved = modctl("moderator", "sites", "--username", "anna", "--site", "pskov")
    assert moved.exit_code == 0 and moved.output.strip() == "moderator anna: pskov"
    assert modctl("moderator", "list").output.split("\t")[2] == "pskov"

    lifted = modctl("moderator", "sites", "--username", "anna", "--every-site")
    assert lifted.exit_code == 0 and modctl("moderator", "list").output.split("\t")[2] == "every site"

    neither = CliRunner().invoke(cli, ["moderator", "sites", "--username", "anna"])
    nobody = CliRunner().invoke(cli, ["moderator", "sites", "--username", "nobody", "--every-site"])
    assert neither.exit_code == 2 and "give --site (one or more) or --every-site" in neither.output
    assert nobody.exit_code == 2 and "no moderator named 'nobody'" in nobody.output
