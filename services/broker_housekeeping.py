"""Pruning the embedded SQLite broker, which kombu never prunes itself.

kombu's SQLAlchemy transport marks a message invisible when a worker takes it and never deletes
it, so broker.db would grow by one row per task forever. Messages taken long ago are either
done or belong to a dead worker, in which case the sweepers re-enqueue their work from the rows.
"""

from datetime import datetime, timedelta

from sqlalchemy import create_engine, inspect, text


def broker_database_url(broker_url: str) -> str | None:
    """The SQLAlchemy URL inside a `sqla+…` broker URL; None for other brokers."""
    return broker_url.removeprefix("sqla+") if broker_url.startswith("sqla+") else None


def prune_taken_messages(broker_url: str, *, older_than_s: float) -> int:
    """Delete messages taken by a worker more than `older_than_s` ago; returns how many."""
    url = broker_database_url(broker_url)
    if url is None:
        return 0
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table("kombu_message"):
            return 0
        # kombu stamps the `timestamp` column with naive local time (datetime.now) when a worker
        # takes the message; SQLite keeps it as ISO text, so compare text with text.
        cutoff = (datetime.now() - timedelta(seconds=older_than_s)).isoformat(sep=" ")
        delete = text('DELETE FROM kombu_message WHERE visible = 0 AND "timestamp" < :cutoff')
        with engine.begin() as conn:
            result = conn.execute(delete, {"cutoff": cutoff})
            return result.rowcount
    finally:
        engine.dispose()
