"""Running the Alembic migrations from code (modctl migrate, tests)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def alembic_config(database_url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database's schema up to `revision` (head by default)."""
    command.upgrade(alembic_config(database_url), revision)


def check(database_url: str) -> None:
    """Fail if the models and the migrations disagree (alembic check)."""
    command.check(alembic_config(database_url))
