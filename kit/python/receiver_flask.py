"""A news site's callback endpoint in Flask: verify, drop replays and stale deliveries, publish or hide.

    app = create_receiver(signing_secret="whsec_...", database="/var/lib/site/modsys.sqlite")
    # mount it, or run it: flask --app "receiver_flask:create_receiver('whsec_...', 'state.sqlite')" run

The state is two tables in SQLite: the deliveries already handled, and each comment's visibility with the
delivery that set it. A real site would publish or hide in its own comments table, in the same transaction.
"""

import json
import sqlite3
from pathlib import Path

from flask import Flask, Response, request
from modsys_client import verify_callback

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY);
CREATE TABLE IF NOT EXISTS comments (
    external_id TEXT PRIMARY KEY, published INTEGER NOT NULL, status TEXT NOT NULL, delivery INTEGER NOT NULL
);
"""


def _connect(database: str) -> sqlite3.Connection:
    connection = sqlite3.connect(database, timeout=10, isolation_level="IMMEDIATE")  # one writer at a time
    connection.executescript(SCHEMA)
    return connection


def _apply(connection: sqlite3.Connection, delivery: int, event: dict) -> None:
    """Publish or hide the comment, unless a later delivery already decided it (retries arrive out of order)."""
    if event.get("event") != "comment.decided":
        return  # author.banned / author.unbanned name the comments they change in their own comment events
    current = connection.execute("SELECT delivery FROM comments WHERE external_id = ?", (event["external_id"],))
    row = current.fetchone()
    if row is not None and row[0] > delivery:
        return  # stale: a newer decision is already applied
    connection.execute(
        "INSERT INTO comments (external_id, published, status, delivery) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (external_id) DO UPDATE SET published = excluded.published, status = excluded.status, "
        "delivery = excluded.delivery",
        (event["external_id"], int(bool(event["publish"])), event["status"], delivery),
    )


def create_receiver(signing_secret: str, database: str | Path) -> Flask:
    app = Flask(__name__)

    @app.post("/hooks/moderation")
    def moderation_callback() -> Response:
        body = request.get_data()  # the raw bytes: the signature covers them exactly
        if not verify_callback(signing_secret, dict(request.headers), body):
            return Response("signature or timestamp not valid\n", status=401)
        delivery = int(request.headers["X-Modsys-Delivery"])
        with _connect(str(database)) as connection:  # one transaction: the delivery and its effect together
            if connection.execute("SELECT 1 FROM deliveries WHERE id = ?", (delivery,)).fetchone():
                return Response("already handled\n", status=200)
            connection.execute("INSERT INTO deliveries (id) VALUES (?)", (delivery,))
            _apply(connection, delivery, json.loads(body))
        return Response("ok\n", status=200)

    return app
