"""What the on-call asks about the state of things, read from the database at scrape time.

The review backlog per site, the scoring backlog, messages not yet delivered, workers alive and the models they use.
Every process reads the same rows, so any web process answers the same (dashboards take max()
across instances). Each collector answers nothing, rather than failing the scrape, while the
database is down; /readyz says why.
"""

import logging
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import get_sessionmaker
from shared.heartbeats import last_seen_s, live_workers
from shared.models import Comment, CommentReport, Notification, Site, SpamModelVersion, as_utc, utcnow
from shared.settings import Settings
from shared.vocabulary import CommentStatus, NotificationStatus, Queue

log = logging.getLogger(__name__)


class _DatabaseCollector(Collector):
    """Runs `families(session)` on a fresh session at each scrape."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        try:
            with get_sessionmaker(self.settings.database_url)() as session:
                families = list(self.families(session))
        except Exception as exc:  # noqa: BLE001 (a scrape must still answer while the database is down)
            log.warning("%s unavailable: %s", type(self).__name__, exc)
            return
        yield from families

    def families(self, session: Session) -> Iterator[Metric]:
        raise NotImplementedError


class ReviewBacklogCollector(_DatabaseCollector):
    """Comments waiting for a human, per site: held for review, and reported by readers."""

    def families(self, session: Session) -> Iterator[Metric]:
        size = GaugeMetricFamily(
            "modsys_review_backlog_comments", "Comments waiting for a moderator", labels=["site", "queue"]
        )
        oldest = GaugeMetricFamily(
            "modsys_review_backlog_oldest_age_seconds",
            "How long the oldest comment waiting for a moderator has waited",
            labels=["site", "queue"],
        )
        now = utcnow()
        held = (
            select(Site.name, func.count(), func.min(Comment.updated_at))
            .join(Site, Site.id == Comment.site_id)
            .where(Comment.status == CommentStatus.REVIEW)
            .group_by(Site.name)
        )
        reported = (
            select(Site.name, func.count(func.distinct(CommentReport.comment_id)), func.min(CommentReport.created_at))
            .join(Site, Site.id == CommentReport.site_id)
            .where(CommentReport.resolved_at.is_(None))
            .group_by(Site.name)
        )
        for queue, query in ((Queue.REVIEW, held), (Queue.REPORTED, reported)):
            for site, count, since in session.execute(query):
                size.add_metric([site, queue], count)
                oldest.add_metric([site, queue], max((now - as_utc(since)).total_seconds(), 0.0))
        yield size
        yield oldest


class PendingCollector(_DatabaseCollector):
    """The scoring backlog as the database holds it: the broker's queue length misses what a worker
    has prefetched, and what a broker outage dropped (until the sweeper re-sends it)."""

    def families(self, session: Session) -> Iterator[Metric]:
        waiting = Comment.status == CommentStatus.PENDING
        count, since = session.execute(
            select(func.count(), func.min(Comment.updated_at)).where(waiting, Comment.quarantined_at.is_(None))
        ).one()
        quarantined = session.scalar(select(func.count()).where(waiting, Comment.quarantined_at.is_not(None)))
        yield GaugeMetricFamily(
            "modsys_comments_pending", "Comments waiting for an automatic verdict (quarantined ones apart)", count
        )
        age = max((utcnow() - as_utc(since)).total_seconds(), 0.0) if since is not None else 0.0
        yield GaugeMetricFamily(
            "modsys_oldest_pending_comment_age_seconds",
            "Seconds since the oldest comment waiting for an automatic verdict was posted or edited",
            age,
        )
        yield GaugeMetricFamily(
            "modsys_comments_quarantined",
            "Pending comments set aside because their scoring kept failing (the console shows them)",
            quarantined or 0,
        )


class UndeliveredCollector(_DatabaseCollector):
    """Site callbacks and moderators' alerts still retrying, and dead ones waiting for a replay."""

    def families(self, session: Session) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "modsys_undelivered_notifications",
            "Callbacks and alerts not delivered: pending (retrying) or dead (given up, until replayed)",
            labels=["kind", "status"],
        )
        counts = session.execute(
            select(Notification.kind, Notification.status, func.count())
            .where(Notification.status.in_([NotificationStatus.PENDING, NotificationStatus.DEAD]))
            .group_by(Notification.kind, Notification.status)
        )
        for kind, status, count in counts:
            gauge.add_metric([kind, status], count)
        yield gauge


class WorkerCollector(_DatabaseCollector):
    """Workers alive per queue (from their heartbeats), and the models in use."""

    QUEUES = ("moderation", "notify")

    def families(self, session: Session) -> Iterator[Metric]:
        stale_s = self.settings.worker_stale_s
        alive = GaugeMetricFamily("modsys_workers", "Workers seen within MOD_WORKER_STALE_S", labels=["queue"])
        seen = GaugeMetricFamily(
            "modsys_worker_last_seen_seconds", "Seconds since a worker of the queue was last seen", labels=["queue"]
        )
        models = GaugeMetricFamily(
            "modsys_model_info", "Live moderation workers scoring with each toxicity model", labels=["model", "version"]
        )
        workers = live_workers(session, stale_s=stale_s)
        in_use: dict[tuple[str, str], int] = {}
        for queue in self.QUEUES:
            alive.add_metric([queue], sum(1 for w in workers if w.queue == queue))
            age = last_seen_s(session, queue)
            if age is not None:
                seen.add_metric([queue], max(age, 0.0))
        for worker in workers:
            if worker.model_name:
                key = (worker.model_name, worker.model_version or "")
                in_use[key] = in_use.get(key, 0) + 1
        for (name, version), count in sorted(in_use.items()):
            models.add_metric([name, version], count)
        spam = GaugeMetricFamily(
            "modsys_spam_model_version", "The latest version of each site's spam model", labels=["site"]
        )
        latest = select(Site.name, func.max(SpamModelVersion.version)).join(Site, Site.id == SpamModelVersion.site_id)
        for site_name, spam_version in session.execute(latest.group_by(Site.name)):
            spam.add_metric([site_name], spam_version)
        yield from (alive, seen, models, spam)


def state_collectors(settings: Settings) -> list[Collector]:
    """Every collector of this module, for shared/metrics.py's render."""
    return [
        ReviewBacklogCollector(settings),
        PendingCollector(settings),
        UndeliveredCollector(settings),
        WorkerCollector(settings),
    ]
