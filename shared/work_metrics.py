"""What the processes do, counted where it happens: verdicts, scoring batches, delivery tries.

Counters and histograms of prometheus_client; in gunicorn and in a prefork worker every process
writes its own file under PROMETHEUS_MULTIPROC_DIR and /metrics adds them up. Verdicts are
counted when their transaction commits (a rolled-back decision is no decision), wherever it was
taken: the moderation worker, the compatible APIs, a moderator, a site's own tools.
"""

from datetime import datetime

from prometheus_client import Counter, Histogram
from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.models import as_utc, utcnow

VERDICTS = Counter(
    "modsys_verdicts_total",
    "Decisions stored on comments, by decision and by who decided (auto, moderator, site, perspective)",
    ["decision", "decided_by"],
)
VERDICT_LATENCY = Histogram(
    "modsys_verdict_latency_seconds",
    "Seconds from a comment's POST (or edit) to its stored automatic verdict",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600),
)
SCORING_BATCH = Histogram(
    "modsys_scoring_batch_seconds",
    "Seconds to score one batch of comments (toxicity, spam, policy) in the moderation worker",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SCORING_BATCH_COMMENTS = Histogram(
    "modsys_scoring_batch_comments",
    "Comments in one scoring batch",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
)
COMMENTS_QUARANTINED = Counter(
    "modsys_comments_quarantined_total",
    "Comments set aside after their scoring failed MOD_QUARANTINE_AFTER_FAILURES times on their own",
)
DELIVERY_TRIES = Counter(
    "modsys_notification_tries_total",
    "Tries at delivering site callbacks and moderators' alerts, by kind and outcome (delivered, retried, dead)",
    ["kind", "outcome"],
)

_PENDING = "modsys.verdicts_to_count"


def decider(actor: str) -> str:
    """The kind of who decided, for a label: "moderator:olga" is "moderator" (names would be unbounded)."""
    return actor.partition(":")[0] or "unknown"


def count_verdict(session: Session, decision: str, actor: str, posted_at: datetime | None = None) -> None:
    """Count a decision once `session` commits; `posted_at` (automatic verdicts) also times POST to verdict."""
    latency = None if posted_at is None else (utcnow() - as_utc(posted_at)).total_seconds()
    session.info.setdefault(_PENDING, []).append((str(decision), decider(actor), latency))


@event.listens_for(Session, "after_commit")
def _count_committed(session: Session) -> None:
    for decision, decided_by, latency in session.info.pop(_PENDING, ()):
        VERDICTS.labels(decision, decided_by).inc()
        if latency is not None:
            VERDICT_LATENCY.observe(max(latency, 0.0))


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def count_try(kind: str, *, delivered: bool, retrying: bool) -> None:
    """One delivery try's outcome: delivered, retried later, or dead (no more tries)."""
    outcome = "delivered" if delivered else "retried" if retrying else "dead"
    DELIVERY_TRIES.labels(kind, outcome).inc()
