"""The toxicity backend a worker uses, chosen by settings and loaded once per process."""

from functools import cache
from pathlib import Path

from moderation.scoring import ScorerLoadError, ToxicityScorer, UnknownBackendError, load_embedded_scorer
from shared.settings import DetoxifySettings, ToxicitySettings, TransformersSettings

EXTRA_HINT = "install the [detoxify] extra (pip install -e '.[detoxify]') to use MOD_TOXICITY__BACKEND={backend}"


@cache
def _load(backend: str, model_dir: str | None, detoxify_json: str, transformers_json: str) -> ToxicityScorer:
    if backend == "embedded":
        return load_embedded_scorer(Path(model_dir) if model_dir else None)
    if backend == "detoxify":
        return _load_detoxify(DetoxifySettings.model_validate_json(detoxify_json))
    if backend == "transformers":
        return _load_transformers(TransformersSettings.model_validate_json(transformers_json))
    raise UnknownBackendError(f"unknown toxicity backend {backend!r} (known: embedded, detoxify, transformers)")


def _load_detoxify(settings: DetoxifySettings) -> ToxicityScorer:
    """Import torch-dependent code only here: the default install has no torch."""
    try:
        from moderation.scoring.detoxify_backend import DetoxifyScorer
    except ImportError as exc:
        raise ScorerLoadError(f"{EXTRA_HINT.format(backend='detoxify')} ({exc})") from exc
    return DetoxifyScorer(settings)


def _load_transformers(settings: TransformersSettings) -> ToxicityScorer:
    """Import torch-dependent code only here: the default install has no torch."""
    try:
        from moderation.scoring.transformers_backend import TransformersScorer
    except ImportError as exc:
        raise ScorerLoadError(f"{EXTRA_HINT.format(backend='transformers')} ({exc})") from exc
    return TransformersScorer(settings)


def get_scorer(settings: ToxicitySettings) -> ToxicityScorer:
    """The process's scorer for these settings; the model is read from disk only once."""
    return _load(
        settings.backend,
        settings.model_dir,
        settings.detoxify.model_dump_json(),
        settings.transformers.model_dump_json(),
    )
