"""Alembic environment: one history for the shared schema, on PostgreSQL and SQLite alike."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import text

import shared.models  # noqa: F401  (registers the tables on Base.metadata)
from shared.db import Base, make_engine
from shared.settings import get_settings

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

# Any constant works; it only has to be the same for every process that migrates.
MIGRATION_LOCK_ID = 0x6D6F6473


def _database_url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_database_url(), target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_database_url())
    with engine.connect() as connection:
        is_postgres = connection.dialect.name == "postgresql"
        if is_postgres:
            # Two `migrate` runs at once (say, scaled containers) take turns instead of colliding.
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            connection.execute(text("SET lock_timeout = '10s'"))
            connection.commit()
        else:
            # SQLite alters a table by copying it, dropping the original and renaming the copy. With
            # foreign keys on, dropping `sites` would delete (cascade) or refuse every row that refers
            # to it, so they are off while migrating, as Alembic's batch documentation advises. The
            # pragma only takes effect outside a transaction, hence before the first one.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=not is_postgres,  # SQLite alters tables by copying them
            transaction_per_migration=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if is_postgres:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
            connection.commit()
        else:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
