"""What stops a command before it can do its work, said in one line: bad settings, no database."""

from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

# The commands that read or write the service's rows: they need a database that exists.
NEEDS_DATABASE = frozenset({"site", "moderator", "channel", "notifications", "train-spam"})
_NO_TABLES = ("no such table", "does not exist")  # SQLite's and PostgreSQL's words for a missing table


def shown(database_url: str) -> str:
    """The database URL without its password."""
    return make_url(database_url).render_as_string(hide_password=True)


def settings_problem(exc: ValidationError) -> str:
    """ "MOD_PORT='abc': input should be a valid integer" for each bad setting."""
    lines = []
    for error in exc.errors():
        name = "MOD_" + "__".join(str(part) for part in error["loc"]).upper()
        lines.append(f"{name}={error.get('input')!r}: {error['msg'][:1].lower()}{error['msg'][1:]}")
    return "bad setting: " + "; ".join(lines)


def database_problem(exc: OperationalError | ProgrammingError, database_url: str) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if any(words in reason for words in _NO_TABLES):
        return (
            f"the database {shown(database_url)} has no tables yet: run `modctl migrate` (or `make run` "
            "from the repository) first, or set MOD_DATABASE_URL to the service's database"
        )
    return f"cannot use the database {shown(database_url)}: {reason}"


def missing_sqlite_file(database_url: str) -> Path | None:
    """The SQLite file the URL names when it does not exist yet (commands other than migrate and run would
    create an empty one where they stand, then fail on it)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    path = Path(url.database)
    return None if path.exists() else path.resolve()


class Modctl(click.Group):
    """The modctl group: a bad setting or an unusable database is one line and exit 1, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from shared.settings import get_settings

        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            if exc.title != "Settings":
                raise
            raise click.ClickException(settings_problem(exc)) from None
        except (OperationalError, ProgrammingError) as exc:
            raise click.ClickException(database_problem(exc, get_settings().database_url)) from None
        except IntegrityError as exc:  # e.g. a second site of the same name
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            raise click.ClickException(f"nothing changed, it would repeat what exists: {reason}") from None
