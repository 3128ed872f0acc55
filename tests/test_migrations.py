"""One Alembic history builds the schema the models describe, on PostgreSQL and SQLite."""

from shared.migrate import check, upgrade


def test_postgres_schema_matches_the_models(database_url):
    check(database_url)  # raises when a model change has no migration


def test_sqlite_builds_from_nothing_and_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'modsys.db'}"
    upgrade(url)
    check(url)


def test_domain_rules_written_before_normalisation_become_one_rule_each_the_latest_winning(tmp_path):
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'modsys.db'}"
    upgrade(url, "3df0d19d102d")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, name, api_key_hash, signing_secret, policy, created_at) "
                "VALUES (1, 'luki', 'h', 's', '{}', '2026-11-30')"
            )
        )
        for rule_id, domain, rule in [
            (1, "https://kazino.ru/", "block"),
            (2, "kazino.ru", "allow"),
            (3, "WWW.Pskov.ru", "allow"),
            (4, "https://", "block"),
        ]:
            conn.execute(
                text(
                    "INSERT INTO site_domain_rules (id, site_id, domain, rule, created_at) "
                    "VALUES (:id, 1, :domain, :rule, '2026-11-30')"
                ),
                {"id": rule_id, "domain": domain, "rule": rule},
            )
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT domain, rule FROM site_domain_rules ORDER BY domain")).all()
    assert [tuple(row) for row in rows] == [("kazino.ru", "allow"), ("pskov.ru", "allow")]
