"""Detoxify as a toxicity backend, loaded offline from local files (needs the [detoxify] extra).

Offline loading. Detoxify 0.5.4 builds its model with
``config_class.from_pretrained(config["arch"]["args"]["model_type"], num_labels=...)``, where
``model_type`` is a Hub name such as ``xlm-roberta-base``: even with ``huggingface_config_path``
that call goes to the Hub. And with ``huggingface_config_path`` it builds the model from that
folder's config.json alone, so a base model's config (2 labels) does not fit a checkpoint with 1
or 6 classes. So this loader reads the checkpoint's small ``config`` (tensors memory-mapped,
not copied), points ``arch.args.model_type`` at the local ``huggingface_config_path`` folder, and
hands the real ``detoxify.Detoxify`` that checkpoint (as an in-memory file) with
``huggingface_config_path=None``: Detoxify then reads config (with its own ``num_labels``) and
tokenizer from the folder, and the weights from the checkpoint. The hub is switched off first
(``HF_HUB_OFFLINE=1``), so a missing file is an error, never a download.

Category mapping. Detoxify names its classes toxicity, severe_toxicity, obscene, threat, insult,
identity_attack (it renames toxic, severe_toxic, identity_hate); the ``unbiased`` model's extra
classes (sexual_explicit, identity groups) are ignored. The ``multilingual`` model has
``toxicity`` alone: the other categories are not scored (absent, listed in ``not_scored``);
a category the model has is lifted to the lexicon floor on a hit
(``transformers_backend.combine``).
"""

import io
import pickle
from collections.abc import Sequence
from pathlib import Path

import torch
from detoxify import Detoxify

from moderation.scoring import ScorerLoadError, ToxicityResult
from moderation.scoring.transformers_backend import file_digest, input_limit, results, switch_hub_off
from shared.categories import CATEGORIES
from shared.settings import DetoxifySettings

FETCH_HINT = "prepare the files on a machine with internet (lab.toxicity.model_fetch.fetch_detoxify)"


def _checkpoint(settings: DetoxifySettings) -> Path:
    """The checkpoint file; without it Detoxify would download one."""
    if not settings.checkpoint:
        raise ScorerLoadError(f"MOD_TOXICITY__DETOXIFY__CHECKPOINT is not set: {FETCH_HINT}")
    path = Path(settings.checkpoint)
    if not path.is_file():
        raise ScorerLoadError(f"MOD_TOXICITY__DETOXIFY__CHECKPOINT={path}: no such file ({FETCH_HINT})")
    return path


def _config_dir(settings: DetoxifySettings) -> Path:
    """The folder with the base transformer's config.json and tokenizer files."""
    if not settings.huggingface_config_path:
        raise ScorerLoadError(f"MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH is not set: {FETCH_HINT}")
    path = Path(settings.huggingface_config_path)
    if not (path / "config.json").is_file():
        raise ScorerLoadError(
            f"MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH={path}: no config.json in that folder ({FETCH_HINT})"
        )
    return path


def _read(checkpoint: Path) -> dict:
    """torch.load with tensors memory-mapped where the file format allows it."""
    # weights_only=False as in Detoxify itself: its released checkpoints hold plain Python objects.
    try:
        return torch.load(checkpoint, map_location="cpu", mmap=True, weights_only=False)
    except RuntimeError as exc:
        if "mmap" not in str(exc):  # files older than torch 1.6's zip format cannot be mapped
            raise
        return torch.load(checkpoint, map_location="cpu", weights_only=False)


def local_checkpoint(checkpoint: Path, config_dir: Path) -> io.BytesIO:
    """The checkpoint's config and weights, its base model name replaced by the local config folder."""
    try:
        loaded = _read(checkpoint)
        config, state_dict = loaded["config"], loaded["state_dict"]
        config["arch"]["args"]["model_type"] = str(config_dir.resolve())
    except (KeyError, TypeError, RuntimeError, OSError, EOFError, ValueError, pickle.UnpicklingError) as exc:
        raise ScorerLoadError(
            f"MOD_TOXICITY__DETOXIFY__CHECKPOINT={checkpoint}: not a Detoxify checkpoint"
            f" with config and state_dict ({exc})"
        ) from exc
    buffer = io.BytesIO()
    # Only what Detoxify reads: a training checkpoint's optimizer state would double the copy.
    torch.save({"config": config, "state_dict": state_dict}, buffer)
    buffer.seek(0)
    return buffer


class DetoxifyScorer:
    """The real detoxify.Detoxify, loaded once per process, one predict() call per batch."""

    def __init__(self, settings: DetoxifySettings) -> None:
        checkpoint = _checkpoint(settings)
        config_dir = _config_dir(settings)
        switch_hub_off()
        self.detoxify = Detoxify(
            model_type=settings.model_type,
            checkpoint=local_checkpoint(checkpoint, config_dir),
            device=settings.device,
            huggingface_config_path=None,  # the folder is the checkpoint's model_type now
        )
        tokenizer = self.detoxify.tokenizer
        # Detoxify truncates at model_max_length, which tokenizer.json alone leaves unbounded.
        tokenizer.model_max_length = input_limit(tokenizer.model_max_length, self.detoxify.model.config)
        self.name = f"detoxify-{settings.model_type}"
        named = [c for c in self.detoxify.class_names if c in CATEGORIES and c != "toxicity"]
        self.scored = ("toxicity", *named)
        self.version = file_digest([checkpoint])

    def scored_categories(self, language: str) -> tuple[str, ...]:
        """Toxicity and the checkpoint's own categories, in any language (the others are not scored)."""
        return self.scored

    def score_batch(self, texts: Sequence[str]) -> list[ToxicityResult]:
        """Score the batch in one Detoxify.predict call."""
        texts = list(texts)
        if not texts:
            return []
        predicted = self.detoxify.predict(texts)
        # predict() squeezes a batch of one to plain floats.
        columns = {name: value if isinstance(value, list) else [value] for name, value in predicted.items()}
        ours = {name: column for name, column in columns.items() if name in CATEGORIES}
        per_text = [{name: float(column[i]) for name, column in ours.items()} for i in range(len(texts))]
        return results(texts, per_text)
