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


def test_an_embedded_database_keeps_its_comments_and_its_key_when_sites_get_several_keys(tmp_path):
    from sqlalchemy import create_engine, text

    from shared.site_lifecycle import hash_api_key

    url = f"sqlite:///{tmp_path / 'modsys.db'}"
    upgrade(url, "5c1e2d7a9b10")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, name, api_key_hash, signing_secret, policy, created_at) "
                "VALUES (1, 'luki', :hash, 's', '{}', '2026-11-30')"
            ),
            {"hash": hash_api_key("mk_the-old-key")},
        )
        conn.execute(
            text(
                "INSERT INTO comments (id, site_id, external_id, version, text, text_sha256, source, status, "
                "article_id, article_url, author_id, author_name, created_at, updated_at, queued_at) VALUES "
                "(1, 1, 'c-1', 1, 'Спасибо', 'x', 'api', 'approved', 'a', 'https://luki.ru/1', 'u', 'U', "
                "'2026-11-30', '2026-11-30', '2026-11-30')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO comment_versions (comment_id, version, text, created_at) VALUES (1, 1, 'Спасибо', '2026-11-30')"
            )
        )
    upgrade(url)  # the sites table is copied on SQLite: its children must survive it
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM comments")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM comment_versions")).scalar_one() == 1
        key = conn.execute(text("SELECT site_id, key_hash, expires_at FROM site_api_keys")).one()
    assert tuple(key) == (1, hash_api_key("mk_the-old-key"), None)


def test_actions_taken_before_versions_were_recorded_get_the_version_the_comment_had_then(tmp_path):
    from sqlalchemy import create_engine, text

    url = f"sqlite:///{tmp_path / 'modsys.db'}"
    upgrade(url, "5c1e2d7a9b10")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sites (id, name, api_key_hash, signing_secret, policy, created_at) "
                "VALUES (1, 'luki', 'h', 's', '{}', '2026-11-01 10:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO comments (id, site_id, external_id, version, text, text_sha256, source, status,"
                " article_id, article_url, author_id, author_name, created_at, updated_at, queued_at) VALUES"
                " (1, 1, 'c-1', 2, 'v2', 'x', 'api', 'review', 'a', 'https://luki.ru/1', 'u', 'U',"
                " '2026-11-01 10:00:00.000000', '2026-11-01 12:00:00.000000', '2026-11-01 12:00:00.000000')"
            )
        )
        for version, at in [(1, "2026-11-01 10:00:00.000000"), (2, "2026-11-01 12:00:00.000000")]:
            conn.execute(
                text("INSERT INTO comment_versions (comment_id, version, text, created_at) VALUES (1, :v, 't', :at)"),
                {"v": version, "at": at},
            )
        for action_id, comment_id, at in [
            (1, 1, "2026-11-01 11:00:00.000000"),  # between the versions: it decided version 1
            (2, 1, "2026-11-01 13:00:00.000000"),  # after the edit: version 2
            (3, None, "2026-11-01 13:00:00.000000"),  # a ban names no comment
        ]:
            conn.execute(
                text(
                    "INSERT INTO moderation_actions (id, site_id, comment_id, author_id, actor, action, undone,"
                    " created_at) VALUES (:id, 1, :comment_id, 'u', 'moderator:masha', 'reject', 0, :at)"
                ),
                {"id": action_id, "comment_id": comment_id, "at": at},
            )
    upgrade(url)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT id, version FROM moderation_actions ORDER BY id")).all()
    assert [tuple(row) for row in versions] == [(1, 1), (2, 2), (3, None)]
