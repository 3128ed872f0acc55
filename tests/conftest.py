"""Infrastructure fixtures: a real PostgreSQL database and a real Redis broker, claimed on first use.

TEST_DATABASE_URL names a PostgreSQL database the tests may use to create their own
(`modsys_tests_<pid>`, dropped at the end); TEST_REDIS_URL a Redis server (default 127.0.0.1:6379)
of whose databases 9 to 15 each run claims a free one to flush and use as its broker. Nothing is
claimed or connected at import: a test that asks for neither (marked "not servers" at collection)
runs with both servers down.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.web import create_app
from shared.celery_app import create_celery
from shared.db import Base, get_sessionmaker
from shared.migrate import upgrade
from shared.settings import Settings
from tests.support.sites import SiteCredentials, make_site

ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_SERVER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
# Two runs on one machine (a developer's and CI's) must not flush each other's queues: each claims
# a database of its own, marked in database 0 with an expiring key.
REDIS_DATABASES = range(9, 16)
CLAIM_S = 3600
# The fixtures that reach a server: a test that uses any of them (directly or through another
# fixture) is marked "servers", and `make test-fast` runs the others.
SERVER_FIXTURES = frozenset({"database_url", "redis_url"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)


def _claim_redis_database() -> int:
    marks = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    for database in REDIS_DATABASES:
        if marks.set(f"modsys-tests:redis-db:{database}", os.getpid(), nx=True, ex=CLAIM_S):
            return database
    raise RuntimeError(
        f"every Redis database {REDIS_DATABASES.start}-{REDIS_DATABASES.stop - 1} is claimed by a "
        "test run; wait for one to end, or delete its modsys-tests:redis-db:* key in database 0"
    )


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis database of this run's own, claimed on first use and released at the end."""
    database = _claim_redis_database()
    yield f"{REDIS_SERVER}/{database}"
    redis.Redis.from_url(f"{REDIS_SERVER}/0").delete(f"modsys-tests:redis-db:{database}")


# One database per test run, so two runs on one machine (a developer's and CI's) never truncate each other's rows.
TEST_DB = f"modsys_tests_{os.getpid()}"


def _recreate_database(name: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh PostgreSQL database, built by the migrations (not by create_all)."""
    url = _recreate_database(TEST_DB)
    upgrade(url)
    yield url
    get_sessionmaker(url).kw["bind"].dispose()
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database built by the migrations once per run; tests copy it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "modsys.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.servers), "sqlite"])
def any_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The production database and the embedded default in turn, each built by the migrations:
    what must behave the same on both runs twice (the SQLite run needs no server)."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("database_url"))
    path = tmp_path / "modsys.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def settings(database_url: str, redis_url: str, redis_client: redis.Redis) -> Settings:
    # site_cache_s=0: every test truncates with RESTART IDENTITY, so the next test's site 1 is a
    # new site that a process-wide cache would mistake for the old one. tests/compat/test_site_cache.py
    # covers the cache itself.
    # allow_private_targets: the tests' callback and webhook receivers listen on loopback.
    return Settings(database_url=database_url, broker_url=redis_url, site_cache_s=0, allow_private_targets=True)


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    # Tests that touch the database start from empty tables and an empty broker. Truncation,
    # not a rolled-back transaction: worker processes must see the tests' committed rows.
    yield
    if "database_url" in request.fixturenames:
        url = request.getfixturevalue("database_url")
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with get_sessionmaker(url)() as session:
            session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            session.commit()
    if "redis_client" in request.fixturenames:
        request.getfixturevalue("redis_client").flushdb()


@pytest.fixture
def db(settings: Settings) -> Iterator[Session]:
    with get_sessionmaker(settings.database_url)() as session:
        yield session


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings, create_celery(settings))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def site(settings: Settings) -> SiteCredentials:
    return make_site(settings.database_url, name="luki")
