"""The spam model learns from feedback (moderators' decisions, the site's reports), per site.

Incremental: each run reads the feedback rows it has not seen (ids above the latest version's
last_feedback_id) and stores the updated model as a new version. Retraining starts over from
every row. Versions are unique per site, so two workers learning at once store one new version;
the other's examples are picked up by the next run.
"""

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from moderation.spam.classifier import SpamModel, train_spam_model
from moderation.spam.fingerprint import KnownSpam
from moderation.spam.prior import shipped_prior
from moderation.spam.scorer import PRIOR_LOGIT
from moderation.spam.signals import text_signals
from shared.db import insert_many_ignoring_conflicts
from shared.models import Comment, SpamFeedback, SpamModelVersion, Verdict, as_utc, utcnow
from shared.reasons import ReasonCode, SpamSignalCode
from shared.vocabulary import SpamLabel

Example = tuple[str, list[str], int]
Examples = tuple[list[Example], list[float], int]  # examples, their offsets, the last feedback id


def latest_version(session: Session, site_id: int) -> SpamModelVersion | None:
    return session.scalar(
        select(SpamModelVersion)
        .where(SpamModelVersion.site_id == site_id)
        .order_by(SpamModelVersion.version.desc())
        .limit(1)
    )


def _signals(text: str, reasons: list[dict[str, Any]] | None) -> tuple[list[str], float]:
    """The spam signals the verdict saw (duplicates and rates included) and the log-odds they gave
    with PRIOR_LOGIT; from the text alone for a comment not scored yet. The shipped prior's reason is
    left out: its log-odds are recomputed with the rest of the offsets (it is not always shown)."""
    if reasons is None:
        signals = text_signals(text)
        return [s.code for s in signals], PRIOR_LOGIT + sum(s.weight for s in signals)
    # The verdict row's reasons are stored JSON: a spam signal is {"code": "spam_signal", "signal", "weight", ...}.
    spam = [
        r for r in reasons if r.get("code") == ReasonCode.SPAM_SIGNAL and r.get("signal") != SpamSignalCode.SPAM_MODEL
    ]
    return [r["signal"] for r in spam], PRIOR_LOGIT + sum(r["weight"] for r in spam)


def feedback_examples(session: Session, site_id: int, after_id: int = 0) -> Examples:
    """Labelled examples from feedback rows above `after_id`, in order, with their offsets: the
    model learns what the signals missed, not the signals again."""
    rows = session.execute(
        select(SpamFeedback.id, SpamFeedback.label, Comment.text, Verdict.reasons)
        .join(Comment, Comment.id == SpamFeedback.comment_id)
        .outerjoin(Verdict, and_(Verdict.comment_id == Comment.id, Verdict.version == Comment.version))
        .where(SpamFeedback.site_id == site_id, SpamFeedback.id > after_id)
        .order_by(SpamFeedback.id)
    ).all()
    examples, offsets = [], []
    for _, label, text, reasons in rows:
        codes, offset = _signals(text, reasons)
        examples.append((text, codes, int(label == SpamLabel.SPAM)))
        offsets.append(offset)
    if examples:  # the site's model learns on top of the shipped prior: its log-odds are part of the offset
        prior = shipped_prior().logits([t for t, _, _ in examples], [c for _, c, _ in examples])
        offsets = [o + float(p) for o, p in zip(offsets, prior, strict=True)]
    return examples, offsets, (rows[-1].id if rows else after_id)


def _store(session: Session, site_id: int, model: SpamModel, version: int, last_feedback_id: int) -> int | None:
    stored = insert_many_ignoring_conflicts(
        session,
        SpamModelVersion,
        [
            {
                "site_id": site_id,
                "version": version,
                "examples": model.examples,
                "last_feedback_id": last_feedback_id,
                "weights": model.to_bytes(),
                "created_at": utcnow(),
            }
        ],
    )
    return version if stored else None


def _remember_spam(session: Session, site_id: int, after_id: int, known: KnownSpam) -> None:
    """Remember the texts newly labelled spam, so that their reworded copies are found at once."""
    rows = session.execute(
        select(Comment.id, Comment.text, SpamFeedback.created_at)
        .join(Comment, Comment.id == SpamFeedback.comment_id)
        .where(SpamFeedback.site_id == site_id, SpamFeedback.id > after_id, SpamFeedback.label == SpamLabel.SPAM)
    ).all()
    known.remember([(site_id, comment_id, text, as_utc(when).timestamp()) for comment_id, text, when in rows])


def learn_site(session: Session, site_id: int, known: KnownSpam | None = None) -> int | None:
    """Learn the feedback not yet learnt; the new version, or None when there was nothing new.

    With `known`, the comments newly labelled spam are also remembered there (near-duplicates of
    rejected spam): that, more than the model's small steps, makes a campaign's next copy score high."""
    latest = latest_version(session, site_id)
    after_id = latest.last_feedback_id if latest else 0
    examples, offsets, last_id = feedback_examples(session, site_id, after_id)
    if not examples:
        return None
    if known is not None:
        _remember_spam(session, site_id, after_id, known)
    model = SpamModel.from_bytes(latest.weights) if latest else SpamModel.empty()
    model.learn_many(examples, offsets)
    return _store(session, site_id, model, (latest.version if latest else 0) + 1, last_id)


def retrain_site(session: Session, site_id: int, known: KnownSpam | None = None) -> int | None:
    """Train from all of the site's feedback from scratch; the new version, or None without feedback.
    With `known`, every comment labelled spam is remembered again (a Redis that lost its memory is refilled
    from the database's labels)."""
    examples, offsets, last_id = feedback_examples(session, site_id)
    if not examples:
        return None
    if known is not None:
        _remember_spam(session, site_id, 0, known)
    latest = latest_version(session, site_id)
    return _store(
        session, site_id, train_spam_model(examples, offsets=offsets), (latest.version if latest else 0) + 1, last_id
    )
