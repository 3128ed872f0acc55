"""Replaying a labelled stream through the real spam scorer: what `bench-spam` and `eval-spam` measure.

Each replay gets its own SQLite database (built by the migrations) and in-process counters, so
history, duplicates and rates build up exactly as they would on a live site; moderators'
feedback goes through the same learner the worker runs.
"""

import secrets
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import fakeredis
import numpy as np
import redis
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from lab.spam.stream import StreamItem
from moderation.spam.learning import learn_site
from moderation.spam.prior import SpamPrior
from moderation.spam.scorer import SpamScorer, spam_reasons
from shared.categories import SPAM
from shared.db import session_scope
from shared.feedback import record_spam_feedback
from shared.migrate import upgrade
from shared.models import Comment, Site, Verdict
from shared.settings import SpamSettings
from shared.vocabulary import CommentStatus, SpamLabel


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float
    roc_auc: float | None
    n: int

    def line(self) -> str:
        auc = f"{self.roc_auc:.4f}" if self.roc_auc is not None else "n/a"
        return f"precision={self.precision:.4f} recall={self.recall:.4f} f1={self.f1:.4f} roc_auc={auc} n={self.n}"


def figures(labels: Sequence[int], scores: Sequence[float], threshold: float) -> Figures:
    """Precision, recall and F1 of `score >= threshold` as spam, and ROC-AUC."""
    y, s = np.asarray(labels), np.asarray(scores)
    predicted = (s >= threshold).astype(int)
    auc = float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else None
    return Figures(
        float(precision_score(y, predicted, zero_division=0)),
        float(recall_score(y, predicted, zero_division=0)),
        float(f1_score(y, predicted, zero_division=0)),
        auc,
        len(y),
    )


class Replay:
    """One site on a fresh database, scored batch by batch in stream order."""

    def __init__(
        self,
        *,
        review: float,
        reject: float,
        batch: int = 64,
        prior: SpamPrior | None = None,
        client: redis.Redis | None = None,
    ) -> None:
        """`client`: a real Redis to count in (the speed run); the site then gets an id of its own,
        so that its keys (which expire) meet no other run's. Without it, an in-process Redis."""
        self._folder = tempfile.TemporaryDirectory(prefix="modsys-replay-")
        self.database_url = f"sqlite:///{Path(self._folder.name) / 'replay.db'}"
        upgrade(self.database_url)
        self.review, self.reject, self.batch = review, reject, batch
        self.scorer = SpamScorer(client or fakeredis.FakeRedis(), SpamSettings(), prior=prior)
        self.scoring_s = 0.0  # time in SpamScorer.score alone: what a worker spends per batch on spam
        self.scoring_cpu_s = 0.0  # its CPU time in this process: the rate a worker with a core to itself gets
        with session_scope(self.database_url) as session:
            site_id = secrets.randbelow(2**31 - 10**6) + 10**6 if client is not None else None
            site = Site(id=site_id, name="replay", signing_secret="-", policy={})
            session.add(site)
            session.flush()
            self.site_id = site.id
        self._n = 0

    def _comment(self, item: StreamItem) -> Comment:
        self._n += 1
        when = datetime.fromtimestamp(item.created_at, UTC)
        return Comment(
            site_id=self.site_id,
            external_id=f"r-{self._n}",
            text=item.text,
            text_sha256="-",
            status=CommentStatus.PENDING,
            article_id=item.article_id,
            article_url="https://example.org/a",
            author_id=item.author_id,
            author_name=item.author_id,
            author_ip=item.ip or None,
            created_at=when,
            updated_at=when,
            queued_at=when,
        )

    def _status(self, score: float) -> str:
        # What the pipeline would have decided, so author history builds up as on a live site.
        return (
            CommentStatus.REJECTED
            if score >= self.reject
            else CommentStatus.REVIEW
            if score >= self.review
            else CommentStatus.APPROVED
        )

    def score(self, items: Sequence[StreamItem]) -> tuple[list[int], list[float]]:
        """Store and score the items in batches; their comment ids and spam scores."""
        ids, scores = [], []
        for start in range(0, len(items), self.batch):
            with session_scope(self.database_url) as session:
                comments = [self._comment(item) for item in items[start : start + self.batch]]
                session.add_all(comments)
                session.flush()
                began, began_cpu = time.perf_counter(), time.process_time()
                results = self.scorer.score(session, comments)
                self.scoring_s += time.perf_counter() - began
                self.scoring_cpu_s += time.process_time() - began_cpu
                for comment, result in zip(comments, results, strict=True):
                    comment.status = self._status(result.score)
                    # Stored like the worker's verdicts: the learner reads the signals' weights from them.
                    session.add(
                        Verdict(
                            comment_id=comment.id,
                            version=1,
                            decision=comment.status,
                            scores={SPAM: result.score},
                            reasons=[r.as_json() for r in spam_reasons(result)],
                            model_name="replay",
                            model_version="-",
                            spam_model_version=result.model_version,
                        )
                    )
                    ids.append(comment.id)
                    scores.append(result.score)
        return ids, scores

    def teach(self, comment_ids: Sequence[int], labels: Sequence[int]) -> int | None:
        """Moderators decide these comments; the spam model learns, as the learn task does."""
        with session_scope(self.database_url) as session:
            for comment_id, label in zip(comment_ids, labels, strict=True):
                record_spam_feedback(
                    session,
                    site_id=self.site_id,
                    comment_id=comment_id,
                    source="moderator",
                    label=SpamLabel.SPAM if label else SpamLabel.HAM,
                )
            return learn_site(session, self.site_id, self.scorer.known)

    def close(self) -> None:
        self._folder.cleanup()


def learning_run(
    items: Sequence[StreamItem],
    *,
    teach_share: float,
    review: float,
    reject: float,
    seed: int = 0,
    prior: SpamPrior | None = None,
) -> tuple[list[float], float]:
    """Score the stream in order; moderators decide `teach_share` of each batch and the model learns.

    Returns every item's score and the scoring rate in comments per second (learning excluded).
    """
    rng = np.random.default_rng(seed)
    replay = Replay(review=review, reject=reject, prior=prior)
    scores: list[float] = []
    spent = 0.0
    try:
        for start in range(0, len(items), replay.batch):
            chunk = items[start : start + replay.batch]
            began = time.perf_counter()
            ids, chunk_scores = replay.score(chunk)
            spent += time.perf_counter() - began
            scores += chunk_scores
            taught = [i for i in range(len(chunk)) if rng.random() < teach_share]
            if taught:
                replay.teach([ids[i] for i in taught], [chunk[i].label for i in taught])
    finally:
        replay.close()
    return scores, len(items) / max(spent, 1e-9)


def scoring_rate(items: Sequence[StreamItem], client: redis.Redis, *, batch: int = 64) -> tuple[float, float]:
    """Comments per second through SpamScorer.score, in batches, counting in a real Redis (its round
    trips included) and reading the site and author history from the replay's database: by the
    clock, and by this process's CPU time (what it gets on a machine whose cores are not shared)."""
    replay = Replay(review=1.0, reject=1.0, batch=batch, client=client)
    try:
        replay.score(items[:batch])  # warm-up: the prior's file, the n-gram counter, the connection
        replay.scoring_s = replay.scoring_cpu_s = 0.0
        replay.score(items)
    finally:
        replay.close()
    return len(items) / max(replay.scoring_s, 1e-9), len(items) / max(replay.scoring_cpu_s, 1e-9)
