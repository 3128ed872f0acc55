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
]


class ScorerLoadError(ValueError):
    """A backend cannot load; the message names the setting (MOD_...) to fix."""


class UnknownBackendError(ValueError):
    """MOD_TOXICITY__BACKEND names no backend."""


@dataclass(frozen=True)
class ToxicityResult:
    """Scores 0..1 for each name in CATEGORIES, the comment's languages and lexicon hits."""

    scores: dict[str, float]
    languages: tuple[str, ...]
    matches: tuple[Match, ...] = field(default=())


class ToxicityScorer(Protocol):
    """What the moderation worker calls; name and version are stored with every score."""

    name: str
    version: str

    def score_batch(self, texts: Sequence[str]) -> list[ToxicityResult]:
        """One result per text, in order."""
        ...


def load_embedded_scorer(model_dir: Path | None = None) -> ToxicityScorer:
    """Load the committed model (default: moderation/scoring/model/). Called once per worker process."""
    from moderation.scoring.embedded import EmbeddedScorer  # heavy imports only when used

    return EmbeddedScorer(model_dir)
