"""A site's policy: thresholds per toxicity category and for spam turn scores into approve / review / reject."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


def decide(
    scores: Mapping[str, float], policy: Policy, evidence: Mapping[str, Sequence[str]] | None = None
) -> tuple[Decision, list[Reason]]:
    """The decision and the thresholds that made it (toxicity categories and spam alike).

    `evidence` (ToxicityResult.evidence) names what each score came from; its reasons say so.
    """
    reasons = []
    evidence = evidence or {}
    for category, score in scores.items():
        reject, review = policy.reject.get(category), policy.review.get(category)
        sources = evidence.get(category, ())
        if threshold_applies(reject) and score >= reject:
            reasons.append(threshold_reason(category, score, reject, Decision.REJECT, sources))
        elif threshold_applies(review) and score >= review:
            reasons.append(threshold_reason(category, score, review, Decision.REVIEW, sources))
    return Decision.strictest([r.decision for r in reasons if r.decision is not None]), reasons
