"""The SQLAlchemy engine, session factory and unit-of-work scope, one of each per process."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from select import POLLIN, poll
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, exc, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names, so Alembic migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Several processes share the embedded database: WAL lets readers run beside one writer,
    # and busy_timeout makes a writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's own lower() folds ASCII only, so a search for "Сизов" missed "СИЗОВ"; Python's folds
    # every script, as PostgreSQL's does under a UTF-8 locale. Same name, so queries stay portable.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _drop_if_closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # An idle connection has nothing to read: if its socket is readable, the server closed it
    # (a restart, idle_session_timeout, a proxy's cut) and said goodbye. One poll of the socket,
    # not pool_pre_ping's round trip (a SELECT 1 before every request's first statement: a fifth
    # of a POST's time). DisconnectionError makes the pool open a fresh connection instead.
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return
    socket = poll()  # not select(), which fails on descriptors past 1023 in a busy process
    socket.register(fileno(), POLLIN)
    if socket.poll(0):
        raise exc.DisconnectionError("the server closed this pooled connection")


def make_engine(database_url: str) -> Engine:
    """An engine for the URL; SQLite files get their folder created and are tuned for sharing.

    Server connections are checked when taken from the pool by polling their socket, not by a
    round trip; a connection cut without a word (a network partition) fails its statement, and
    SQLAlchemy then drops the whole pool. pool_recycle retires connections before the usual
    firewall and proxy idle timeouts cut them.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)
        event.listen(engine, "checkout", _drop_if_closed_by_server)
        return engine
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 10})
    event.listen(engine, "connect", _tune_sqlite)
    return engine


@cache
def get_sessionmaker(database_url: str) -> sessionmaker[Session]:
    """The process-wide session factory for a database URL."""
    return sessionmaker(make_engine(database_url), expire_on_commit=False)


@contextmanager
def session_scope(database_url: str) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error, always close."""
    session = get_sessionmaker(database_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_many_ignoring_conflicts(
    session: Session, model: type[Base], rows: list[dict[str, Any]], *returning: Any
) -> list[Any]:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING for many rows: the inserted rows' columns."""
    if not rows:
        return []
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # Without `returning`, the model's `id` column: Base declares no columns, its table has them by name.
    stmt = dialect.insert(model).on_conflict_do_nothing().returning(*(returning or (model.__table__.c.id,)))
    # The rows go as parameters, not baked into the statement, so SQLAlchemy compiles this INSERT once
    # per process instead of once per call (it was a third of a POST's time); many rows still travel
    # as one multi-row INSERT ("insertmanyvalues").
    return list(session.connection().execute(stmt, rows))


def insert_ignoring_conflicts(session: Session, model: type[Base], values: dict[str, Any]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the id when inserted, None when it existed."""
    inserted = insert_many_ignoring_conflicts(session, model, [values])
    return inserted[0].id if inserted else None
