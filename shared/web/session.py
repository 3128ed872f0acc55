"""One database session per request, closed when the request ends."""

from flask import current_app, g
from sqlalchemy.orm import Session

from shared.db import get_sessionmaker


def get_session() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = get_sessionmaker(current_app.config["SETTINGS"].database_url)()
    session: Session = g.db_session  # flask.g holds anything: this is what the line above put there
    return session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back whatever was not committed: nothing half-stored
