"""Workers' signs of life, kept in the database so every web process on every host reads the same.

A worker writes its row every `worker_heartbeat_s`; /readyz and /metrics count a worker alive while
its row is fresher than `worker_stale_s`. A worker that stops cleanly deletes its row.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.models import WorkerHeartbeat, as_utc, utcnow


def beat(
    session: Session,
    *,
    name: str,
    queue: str,
    pid: int,
    started_at: datetime,
    model: tuple[str, str] | None = None,
) -> None:
    """Record that the worker `name` is alive now (and which toxicity model it scores with)."""
    session.merge(
        WorkerHeartbeat(
            name=name,
            queue=queue,
            pid=pid,
            started_at=started_at,
            seen_at=utcnow(),
            model_name=model[0] if model else None,
            model_version=model[1] if model else None,
        )
    )


def forget(session: Session, name: str) -> None:
    """The worker stopped cleanly: it is gone, not late."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == name))


def live_workers(session: Session, *, stale_s: float, queue: str | None = None) -> list[WorkerHeartbeat]:
    """Workers seen within `stale_s` seconds (of one queue, or all), freshest first."""
    query = select(WorkerHeartbeat).where(WorkerHeartbeat.seen_at > utcnow() - timedelta(seconds=stale_s))
    if queue is not None:
        query = query.where(WorkerHeartbeat.queue == queue)
    return list(session.scalars(query.order_by(WorkerHeartbeat.seen_at.desc())))


def last_seen_s(session: Session, queue: str) -> float | None:
    """Seconds since any worker of the queue was last seen; None if none ever was (or all stopped cleanly)."""
    latest = session.scalar(
        select(WorkerHeartbeat.seen_at)
        .where(WorkerHeartbeat.queue == queue)
        .order_by(WorkerHeartbeat.seen_at.desc())
        .limit(1)
    )
    return None if latest is None else (utcnow() - as_utc(latest)).total_seconds()
