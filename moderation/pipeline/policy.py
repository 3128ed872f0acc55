"""A site's policy: thresholds per toxicity category and for spam turn scores into approve / review / reject."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moderation.scoring import ToxicityResult
from shared.models import Decision
from shared.settings import PolicySettings
from shared.site_policy import SitePolicy


@dataclass(frozen=True)
class Policy:
    review: dict[str, float]
    reject: dict[str, float]


def site_policy(defaults: PolicySettings, site: SitePolicy) -> Policy:
    """The defaults from settings, with the site's own thresholds laid over them."""
    return Policy(review={**defaults.review, **site.review}, reject={**defaults.reject, **site.reject})


def _threshold_reason(category: str, score: float, threshold: float, decision: str) -> dict[str, Any]:
    return {
        "code": "category_threshold", "category": category, "decision": decision,
        "score": round(score, 4), "threshold": threshold,
        "message": f"{category} {score:.2f} ≥ {decision} threshold {threshold:.2f}",
    }


def matched_words_reasons(result: ToxicityResult) -> list[dict[str, Any]]:
    """The lexicon's hits, per category, as written in the comment."""
    by_category: dict[str, list[dict[str, Any]]] = {}
    for match in result.matches:
        by_category.setdefault(match.category, []).append({"word": match.word, "start": match.start, "end": match.end})
    return [
        {"code": "matched_words", "category": category, "words": words,
         "message": f"{category}: " + ", ".join(w["word"] for w in words)}
        for category, words in by_category.items()
    ]


def decide(scores: Mapping[str, float], policy: Policy) -> tuple[str, list[dict[str, Any]]]:
    """The decision and the thresholds that made it (toxicity categories and spam alike)."""
    reasons = []
    for category, score in scores.items():
        if score >= policy.reject.get(category, 2.0):
            reasons.append(_threshold_reason(category, score, policy.reject[category], Decision.REJECT))
        elif score >= policy.review.get(category, 2.0):
            reasons.append(_threshold_reason(category, score, policy.review[category], Decision.REVIEW))
    decisions = {reason["decision"] for reason in reasons}
    decision = next((d for d in (Decision.REJECT, Decision.REVIEW) if d in decisions), Decision.APPROVE)
    return decision, reasons
