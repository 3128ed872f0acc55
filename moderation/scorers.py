"""The toxicity backend a worker uses, chosen by settings and loaded once per process."""

from functools import cache
from pathlib import Path

from moderation.scoring import ToxicityScorer, load_embedded_scorer
from shared.settings import ToxicitySettings


class UnknownBackend(ValueError):
    pass


@cache
def _load(backend: str, model_dir: str | None) -> ToxicityScorer:
    if backend == "embedded":
        return load_embedded_scorer(Path(model_dir) if model_dir else None)
    raise UnknownBackend(f"unknown toxicity backend {backend!r} (known: embedded)")


def get_scorer(settings: ToxicitySettings) -> ToxicityScorer:
    """The process's scorer for these settings; the model is read from disk only once."""
    return _load(settings.backend, settings.model_dir)
