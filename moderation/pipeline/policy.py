"""A site's policy: thresholds per toxicity category and for spam turn scores into approve / review / reject."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from moderation.scoring import ToxicityResult
from shared.reasons import Reason, WordSpan, matched_words_reason, threshold_reason
from shared.settings import PolicySettings
from shared.site_policy import SitePolicy, threshold_applies
from shared.vocabulary import Decision


@dataclass(frozen=True)
class Policy:
    review: dict[str, float]
    reject: dict[str, float]


def site_policy(defaults: PolicySettings, site: SitePolicy) -> Policy:
    """The defaults from settings, with the site's own thresholds laid over them."""
    return Policy(review={**defaults.review, **site.review}, reject={**defaults.reject, **site.reject})


def matched_words_reasons(result: ToxicityResult) -> list[Reason]:
    """The lexicon's hits, per category, as written in the comment."""
    by_category: dict[str, list[WordSpan]] = {}
    for match in result.matches:
        by_category.setdefault(match.category, []).append(WordSpan(word=match.word, start=match.start, end=match.end))
    return [matched_words_reason(category, words) for category, words in by_category.items()]


def crossed(score: float, category: str, policy: Policy) -> tuple[Decision, float] | None:
    """The threshold a score reaches for its category, and what it calls for; None below both."""
    reject, review = policy.reject.get(category), policy.review.get(category)
    if threshold_applies(reject) and score >= reject:
        return Decision.REJECT, reject
    if threshold_applies(review) and score >= review:
        return Decision.REVIEW, review
    return None


def decide(
    scores: Mapping[str, float], policy: Policy, evidence: Mapping[str, Sequence[str]] | None = None
) -> tuple[Decision, list[Reason]]:
    """The decision and the thresholds that made it (toxicity categories and spam alike).

    `evidence` (ToxicityResult.evidence) names what each score came from; its reasons say so.
    """
    reasons = []
    evidence = evidence or {}
    for category, score in scores.items():
        if (reached := crossed(score, category, policy)) is not None:
            decision, threshold = reached
            reasons.append(threshold_reason(category, score, threshold, decision, evidence.get(category, ())))
    return Decision.strictest([r.decision for r in reasons if r.decision is not None]), reasons


def threshold_decisions(scores: np.ndarray, names: Sequence[str], policy: Policy) -> np.ndarray:
    """decide()'s decision alone, for many comments at once: `scores` has a row per comment and a column per
    name in `names` (NaN where a verdict has no such score); each row's decision as its index in
    DECISIONS_BY_SEVERITY (0 approve, 1 review, 2 reject)."""

    def limits(thresholds: dict[str, float]) -> np.ndarray:
        values = [thresholds.get(name) for name in names]
        return np.array([value if threshold_applies(value) else np.inf for value in values])

    if not len(scores):
        return np.zeros(0, dtype=np.int8)
    rejected = (scores >= limits(policy.reject)).any(axis=1)
    reviewed = (scores >= limits(policy.review)).any(axis=1)
    return np.where(rejected, 2, np.where(reviewed, 1, 0)).astype(np.int8)
