"""The engine's pool on a real PostgreSQL: a connection the server closed is replaced, not handed out."""

import time

from sqlalchemy import text

from shared.db import make_engine


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _alive(connection, pid: int) -> bool:
    alive = connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar()
    connection.commit()
    return bool(alive)


def test_a_pooled_connection_the_server_closed_is_replaced_without_an_error(database_url):
    engine, admin = make_engine(database_url), make_engine(database_url)
    try:
        pooled = _backend_pid(engine)
        with admin.connect() as connection:  # as a server restart or idle_session_timeout would
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled})
            connection.commit()
            # The terminated backend is gone once no session of that pid remains. Each look is its
            # own transaction: pg_stat_activity is a snapshot fixed for the transaction that reads it.
            deadline = time.monotonic() + 10
            while _alive(connection, pooled):
                assert time.monotonic() < deadline, "the terminated backend did not go away"
                time.sleep(0.01)

        replacement = _backend_pid(engine)  # would raise OperationalError if the dead one came back

        assert replacement != pooled
    finally:
        engine.dispose()
        admin.dispose()


def test_a_live_pooled_connection_is_reused(database_url):
    engine = make_engine(database_url)
    try:
        assert _backend_pid(engine) == _backend_pid(engine)
    finally:
        engine.dispose()
