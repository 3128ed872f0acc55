"""/readyz's question about the workers: has a moderation worker been seen lately?"""

from sqlalchemy.orm import Session

from shared.heartbeats import last_seen_s
from shared.task_names import MODERATION_QUEUE


def worker_check(session: Session, stale_s: float) -> str:
    """ "ok", or why not: without a moderation worker comments are accepted but never decided."""
    try:
        age = last_seen_s(session, MODERATION_QUEUE)
    except Exception:  # noqa: BLE001 (the database check reports the database)
        session.rollback()
        return "unknown: the database cannot be read"
    if age is None:
        return "no moderation worker is running (none has reported)"
    if age > stale_s:
        return f"no moderation worker seen for {age:.0f} s (MOD_WORKER_STALE_S is {stale_s:.0f})"
    return "ok"
