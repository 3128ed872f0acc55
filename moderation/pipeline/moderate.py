"""Moderating one comment: score, decide, record the verdict and the callback owed to the site.

Functions take the session and never commit: the task that calls them owns the transaction.
"""

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import case, select, tuple_, update
from sqlalchemy.orm import Session, joinedload

from moderation.pipeline.policy import decide, matched_words_reasons, site_policy
from moderation.pipeline.site_rules import RuleFacts, rule_facts, rule_reasons, strictest
from moderation.scoring import ToxicityResult, ToxicityScorer
from moderation.spam.scorer import SpamResult, SpamScorer, spam_reasons
from moderation.spam.signals import Signal
from shared.categories import SPAM
from shared.db import insert_many_ignoring_conflicts
from shared.models import Comment, Notification, Verdict, utcnow
from shared.moderation_events import record_events
from shared.reasons import Reason
from shared.settings import PolicySettings
from shared.site_policy import SitePolicy, load_site_policy, publishable
from shared.vocabulary import CommentStatus, Decision, EventKind, ModerationMode, NotificationKind, NotificationStatus
from shared.work_metrics import SCORING_BATCH, SCORING_BATCH_COMMENTS, count_verdict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decided:
    """A scored comment and what the policy made of it."""

    comment: Comment
    scores: dict[str, float]
    spam_model_version: int | None
    decision: Decision
    reasons: list[Reason]
    mode: str  # the site's moderation mode: whether a comment waiting for a human is shown meanwhile
    toxicity: ToxicityResult  # the scorer's own result: languages, lexicon matches with their spans

    @cached_property
    def reasons_json(self) -> list[dict[str, Any]]:
        """The reasons as the verdict row stores them and the callback sends them."""
        return [reason.as_json() for reason in self.reasons]


def _pending(session: Session, comment_ids: Sequence[int]) -> list[Comment]:
    """The comments still waiting, in the given order; decided, quarantined or unknown ids drop out."""
    rows = session.scalars(
        select(Comment)
        .where(Comment.id.in_(comment_ids), Comment.status == CommentStatus.PENDING, Comment.quarantined_at.is_(None))
        .options(joinedload(Comment.site))
    ).unique()
    by_id = {comment.id: comment for comment in rows}
    return [by_id[i] for i in dict.fromkeys(comment_ids) if i in by_id]


def _decide(
    comment: Comment,
    toxicity: ToxicityResult,
    spam: SpamResult,
    defaults: PolicySettings,
    policy: SitePolicy,
    facts: RuleFacts,
) -> Decided:
    scores = {**{k: round(v, 4) for k, v in toxicity.scores.items()}, SPAM: round(spam.score, 4)}
    decision, reasons = decide(scores, site_policy(defaults, policy), toxicity.evidence)
    rules = rule_reasons(comment, policy, facts)
    reasons += rules + matched_words_reasons(toxicity) + spam_reasons(spam)
    # What a moderator rejected is not shown again before one looks at the new text, whatever the mode.
    mode = ModerationMode.PRE if comment.id in facts.rejected_earlier else policy.mode
    return Decided(comment, scores, spam.model_version, strictest(decision, rules), reasons, mode, toxicity)


def _record_verdicts(session: Session, batch: list[Decided], scorer: ToxicityScorer) -> dict[int, int]:
    """Insert the verdicts; {comment id: verdict id} for those no other worker stored first."""
    now = utcnow()
    rows = [
        {
            "comment_id": d.comment.id,
            "version": d.comment.version,
            "decision": d.decision,
            "scores": d.scores,
            "reasons": d.reasons_json,
            "spam_model_version": d.spam_model_version,
            "decided_by": "auto",
            "model_name": scorer.name,
            "model_version": scorer.version,
            "created_at": now,
        }
        for d in batch
    ]
    inserted = insert_many_ignoring_conflicts(session, Verdict, rows, Verdict.comment_id, Verdict.id)
    return {row.comment_id: row.id for row in inserted}


def _claim_statuses(session: Session, batch: list[Decided]) -> list[Decided]:
    """Set each comment's status, only where it is still pending at the version scored; those set.

    Conditional, so a moderator's decision taken while the batch was scored is never overwritten,
    and a newer edit stays pending for its own verdict. The UPDATE locks the rows it matches: a
    concurrent worker (or moderator) waits for this transaction and then finds the row decided.
    """
    claimed: set[int] = set()
    for decision in {d.decision for d in batch}:
        scored = [(d.comment.id, d.comment.version) for d in batch if d.decision == decision]
        claimed.update(
            session.scalars(
                update(Comment)
                .where(tuple_(Comment.id, Comment.version).in_(scored), Comment.status == CommentStatus.PENDING)
                .values(status=decision.status, updated_at=utcnow())
                .returning(Comment.id)
                .execution_options(synchronize_session=False)
            )
        )
    return [d for d in batch if d.comment.id in claimed]


def _callback_payload(d: Decided, verdict_id: int) -> dict[str, Any]:
    return {
        "event": "comment.decided",
        "comment_id": d.comment.id,
        "external_id": d.comment.external_id,
        "version": d.comment.version,
        "status": d.decision.status,
        "decision": d.decision,
        "decided_by": "auto",
        "verdict_id": verdict_id,
        "reasons": d.reasons_json,
        "publish": publishable(d.decision.status, d.mode),
    }


def _owe_callbacks(session: Session, batch: list[Decided], verdict_ids: dict[int, int]) -> list[int]:
    """Record the site callbacks in the verdicts' transaction (outbox rows); their ids."""
    now = utcnow()
    rows = [
        {
            "kind": NotificationKind.SITE_CALLBACK,
            "site_id": d.comment.site_id,
            "comment_id": d.comment.id,
            "verdict_id": verdict_ids[d.comment.id],
            "target_url": d.comment.site.callback_url,
            "payload": _callback_payload(d, verdict_ids[d.comment.id]),
            "status": NotificationStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for d in batch
        if d.comment.site.callback_url
    ]
    return [row.id for row in insert_many_ignoring_conflicts(session, Notification, rows)]


def score_and_decide(
    session: Session,
    comments: Sequence[Comment],
    *,
    scorer: ToxicityScorer,
    spam: SpamScorer,
    defaults: PolicySettings,
    record: bool = True,
    unknown_authors: Collection[tuple[int, str]] = (),
    reported: Mapping[Comment, Sequence[Signal]] | None = None,
) -> list[Decided]:
    """Score comments (one model call) and apply their sites' policies; stores nothing but spam counters.

    The comments need `site` loaded. They may be transient (the synchronous compatible APIs score
    comments they are asked not to store): then record=False keeps them out of the spam counters too.
    `unknown_authors` (site, author) are ids made up for these comments: their past is not looked up.
    `reported`: spam signals the client reported with a comment (see SpamScorer.score).
    """
    toxicity = scorer.score_batch([comment.text for comment in comments])
    spam_results = spam.score(session, comments, record=record, unknown_authors=unknown_authors, reported=reported)
    policies = {c.site_id: load_site_policy(c.site.policy) for c in comments}
    facts = rule_facts(session, comments, policies, unknown_authors)
    return [
        _decide(c, t, s, defaults, policies[c.site_id], facts)
        for c, t, s in zip(comments, toxicity, spam_results, strict=True)
    ]


@dataclass(frozen=True)
class Moderated:
    """What a batch left for after the commit: callbacks to deliver, sites whose moderators to alert."""

    callbacks: list[int]
    alert_sites: list[int]


def _record_events(session: Session, batch: list[Decided]) -> list[int]:
    """Comments held for a human (or rejected) are events the sites' channels may want."""
    events = [(d.comment.site_id, d.comment.id, EventKind.of_decision(d.decision)) for d in batch]
    return record_events(session, [(site_id, comment_id, kind) for site_id, comment_id, kind in events if kind])


def moderate_comments(
    session: Session,
    comment_ids: Sequence[int],
    *,
    scorer: ToxicityScorer,
    spam: SpamScorer,
    defaults: PolicySettings,
    unknown_authors: Collection[tuple[int, str]] = (),
    reported: Mapping[Comment, Sequence[Signal]] | None = None,
) -> Moderated:
    """Decide a batch of pending comments with one model call each."""
    comments = _pending(session, comment_ids)  # redeliveries and sweeper copies of decided ones drop out
    if not comments:
        return Moderated([], [])
    with SCORING_BATCH.time():
        batch = score_and_decide(
            session,
            comments,
            scorer=scorer,
            spam=spam,
            defaults=defaults,
            unknown_authors=unknown_authors,
            reported=reported,
        )
    SCORING_BATCH_COMMENTS.observe(len(batch))
    posted_at = {d.comment.id: d.comment.updated_at for d in batch}  # before the UPDATE moves it
    claimed = _claim_statuses(session, batch)  # the rest: a moderator or another worker was first
    verdict_ids = _record_verdicts(session, claimed, scorer)
    recorded = [d for d in claimed if d.comment.id in verdict_ids]
    for d in recorded:
        log.info("comment %s v%s: %s", d.comment.id, d.comment.version, d.decision)
        # updated_at: when the text being scored was posted (an edit moves it; nothing else does while pending)
        count_verdict(session, d.decision, "auto", posted_at=posted_at[d.comment.id])
    return Moderated(_owe_callbacks(session, recorded, verdict_ids), _record_events(session, recorded))


def record_scoring_failure(session: Session, comment_id: int, *, quarantine_after: int) -> bool:
    """Count a failure to score this comment alone; True when this one quarantined it.

    Written without reading the row: the failure may be that the row cannot be read.
    """
    failures = Comment.scoring_failures + 1
    quarantined = session.scalar(
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == CommentStatus.PENDING, Comment.quarantined_at.is_(None))
        .values(
            scoring_failures=failures,
            quarantined_at=case((failures >= quarantine_after, utcnow()), else_=None),
        )
        .returning(Comment.quarantined_at)
        .execution_options(synchronize_session=False)
    )
    return quarantined is not None


def claim_stale_pending(session: Session, *, older_than_s: int, limit: int = 1000) -> list[int]:
    """Pending comments nobody has queued for a while; marks them queued now."""
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    ids = list(
        session.scalars(
            select(Comment.id)
            .where(
                Comment.status == CommentStatus.PENDING, Comment.queued_at < cutoff, Comment.quarantined_at.is_(None)
            )
            .order_by(Comment.queued_at)
            .limit(limit)
        )
    )
    if ids:
        session.execute(update(Comment).where(Comment.id.in_(ids)).values(queued_at=utcnow()))
    return ids
