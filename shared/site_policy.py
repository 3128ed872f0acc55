"""A site's own policy, as stored in sites.policy: validated the same way by the console, modctl and workers."""

from typing import Annotated, Any, Final, Literal, TypeGuard

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.categories import POLICY_SCORES
from shared.vocabulary import CommentStatus, Language, ModerationMode

# Scores are 0..1, so a threshold above 1 is never reached: it turns the category off for the site.
# THRESHOLD_OFF is the largest value stored for "off".
THRESHOLD_OFF: Final = 2.0
Threshold = Annotated[float, Field(ge=0.0, le=THRESHOLD_OFF)]
MAX_WORDS = 2000


def threshold_applies(threshold: float | None) -> TypeGuard[float]:
    """Whether a score can reach this threshold (None: no threshold for the score)."""
    return threshold is not None and threshold <= 1.0


def _clean_words(words: list[str]) -> list[str]:
    """Trimmed, without blanks and repeats, in the order given (case is ignored when matching)."""
    seen: dict[str, None] = {}
    for word in words:
        word = word.strip()
        if word and word.lower() not in {w.lower() for w in seen}:
            seen[word] = None
    return list(seen)


class SitePolicy(BaseModel):
    """What a site decides for itself; anything left out falls back to the service's defaults."""

    model_config = ConfigDict(extra="forbid")

    mode: ModerationMode = ModerationMode.PRE
    # Per category (and "spam"): at or above `review` a human looks, at or above `reject` it is rejected.
    review: dict[str, Threshold] = Field(default_factory=dict)
    reject: dict[str, Threshold] = Field(default_factory=dict)
    # Matched through the scorer's normalisation, so "к.а.з.и.н.о" is "казино". A word ending in "*"
    # matches every word it begins ("казино*" also catches "казиношка"); otherwise whole words only.
    banned_words: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=MAX_WORDS)
    suspect_words: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=MAX_WORDS)
    # The first N comments of every author go to a human, whatever their scores.
    new_author_review: int = Field(default=0, ge=0, le=1000)
    # A new version of a comment a moderator rejected goes to a human (review), or stays rejected.
    # (Decision values; written out because a Literal of enum members words its errors badly.)
    edit_after_reject: Literal["review", "reject"] = "review"
    language: Language = Language.RU  # what moderators of this site read by default

    @field_validator("review", "reject")
    @classmethod
    def _known_categories(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(POLICY_SCORES))
        if unknown:
            raise ValueError(f"unknown categories {unknown}; known: {', '.join(POLICY_SCORES)}")
        return value

    @field_validator("banned_words", "suspect_words")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return _clean_words(value)


def load_site_policy(stored: dict[str, Any] | None) -> SitePolicy:
    """The site's stored policy; rows written before a field existed get its default."""
    return SitePolicy.model_validate(stored or {})


def publishable(status: str, mode: str) -> bool:
    """Whether the site should show a comment in this status: approved always, rejected never,
    and one still waiting (pending or in review) only under post-moderation."""
    if status in (CommentStatus.APPROVED, CommentStatus.REJECTED):
        return status == CommentStatus.APPROVED
    return mode == ModerationMode.POST
