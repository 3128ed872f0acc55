"""Toxicity scoring: the interface every backend implements, and the embedded default."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from moderation.scoring.lexicon import Match
from shared.categories import CATEGORIES

__all__ = [
    "CATEGORIES",
    "Match",
    "ScorerLoadError",
    "ToxicityResult",
    "ToxicityScorer",
    "UnknownBackendError",
    "load_embedded_scorer",
    "scored_categories",
]


class ScorerLoadError(ValueError):
    """A backend cannot load; the message names the setting (MOD_...) to fix."""


class UnknownBackendError(ValueError):
    """MOD_TOXICITY__BACKEND names no backend."""


@dataclass(frozen=True)
class ToxicityResult:
    """Scores 0..1 for the categories scored, the comment's languages and lexicon hits.

    A category the backend cannot score for the comment's language is absent from `scores` and
    listed in `not_scored`. `evidence` names, per score, what it came from: "words" (the lexicon's
    words and patterns), "model" (a model of the comment's language), "encoder" (the cascade's
    second stage).
    """

    scores: dict[str, float]
    languages: tuple[str, ...]
    matches: tuple[Match, ...] = field(default=())
    not_scored: tuple[str, ...] = field(default=())
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)


class ToxicityScorer(Protocol):
    """What the moderation worker calls; name and version are stored with every score."""

    name: str
    version: str

    def score_batch(self, texts: Sequence[str]) -> list[ToxicityResult]:
        """One result per text, in order."""
        ...


def scored_categories(scorer: ToxicityScorer, language: str) -> tuple[str, ...]:
    """The scores `scorer` gives comments in `language`; all of CATEGORIES unless it says otherwise."""
    declared = getattr(scorer, "scored_categories", None)
    return tuple(declared(language)) if callable(declared) else tuple(str(c) for c in CATEGORIES)


def load_embedded_scorer(model_dir: Path | None = None) -> ToxicityScorer:
    """Load the committed model (default: moderation/scoring/model/). Called once per worker process."""
    from moderation.scoring.embedded import EmbeddedScorer  # heavy imports only when used

    return EmbeddedScorer(model_dir)
