"""One Alembic history builds the schema the models describe, on PostgreSQL and SQLite."""

from shared.migrate import check, upgrade


def test_postgres_schema_matches_the_models(database_url):
    check(database_url)  # raises when a model change has no migration


def test_sqlite_builds_from_nothing_and_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'modsys.db'}"
    upgrade(url)
    check(url)
