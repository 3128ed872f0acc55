"""Secrets generated once per installation and kept in the database, so every process agrees on them."""

import secrets

from sqlalchemy.orm import Session

from shared.db import insert_many_ignoring_conflicts
from shared.models import InstanceSecret, utcnow


def get_or_create_secret(session: Session, name: str) -> str:
    """The named secret; the first process to ask creates it, the others read the winner's."""
    row = {"name": name, "value": secrets.token_urlsafe(48), "created_at": utcnow()}
    insert_many_ignoring_conflicts(session, InstanceSecret, [row], InstanceSecret.name)
    return session.get_one(InstanceSecret, name).value  # inserted above, or by the process that won
