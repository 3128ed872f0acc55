"""Any local Hugging Face sequence-classification model as a toxicity backend (needs the [detoxify] extra).

Category mapping (shared with the Detoxify backend, which imports the helpers below):

- ``MOD_TOXICITY__TRANSFORMERS__LABEL_MAP`` maps the model's ``id2label`` names to our categories,
  e.g. ``{"toxic": "toxicity", "insult": "insult"}``; labels it does not name are ignored.
- A category the model provides is the model's probability, lifted to the lexicon floor
  (``embedded.HIT_FLOOR``) when the lexicon matched a word of that category: the lexicon sees
  through look-alike letters that the model's tokenizer does not.
- A category the model lacks is not scored: it is absent from the result and listed in
  ``not_scored`` (never a share of toxicity).
- ``toxicity`` itself, if the model lacks it, is the highest of the model's mapped categories.

Probabilities: sigmoid per label for ``problem_type == "multi_label_classification"`` or a
single-logit model, softmax across labels otherwise. The hub is switched off before loading and
every file is read with ``local_files_only=True``: nothing is downloaded.
"""

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PretrainedConfig

from moderation.scoring import ScorerLoadError, ToxicityResult
from moderation.scoring.embedded import HIT_FLOOR
from moderation.scoring.language import detect_languages
from moderation.scoring.lexicon import Match, find_matches
from moderation.scoring.normalize import normalize
from shared.categories import CATEGORIES
from shared.settings import TransformersSettings

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")
_CHUNK = 1 << 20


def switch_hub_off() -> None:
    """Make any Hugging Face Hub lookup fail fast instead of reaching the network."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # huggingface_hub reads the variable once, at import; transformers is imported by now.
    import huggingface_hub.constants

    huggingface_hub.constants.HF_HUB_OFFLINE = True


def file_digest(paths: Iterable[Path]) -> str:
    """Short sha256 over the files' bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()[:12]


def input_limit(tokenizer_max: int, config: PretrainedConfig) -> int:
    """Tokens a text may have: tokenizers saved without model_max_length allow any length."""
    positions = getattr(config, "max_position_embeddings", None)
    # RoBERTa-style models reserve the first positions for padding; 2 fits BERT and RoBERTa.
    return min(tokenizer_max, positions - 2) if positions else tokenizer_max


def combine(model_scores: Mapping[str, float], matches: Sequence[Match]) -> dict[str, float]:
    """The model's own categories, lifted by the lexicon (see module docstring); the others are absent."""
    toxicity = model_scores.get("toxicity", max(model_scores.values(), default=0.0))
    hit = {m.category for m in matches}
    scores = {"toxicity": toxicity}
    for category in CATEGORIES:
        if category not in model_scores:
            continue
        if category in hit and category in HIT_FLOOR:
            scores[category] = max(model_scores[category], HIT_FLOOR[category])
        else:
            scores[category] = model_scores[category]
    return {c: round(min(1.0, max(0.0, float(s))), 4) for c, s in scores.items()}


def results(texts: Sequence[str], model_scores: Sequence[Mapping[str, float]]) -> list[ToxicityResult]:
    """One result per text: combined scores, languages and lexicon matches."""
    out = []
    for text, scores in zip(texts, model_scores, strict=True):
        norm = normalize(text)
        matches = find_matches(text, norm)
        combined = combine(scores, matches)
        not_scored = tuple(c for c in CATEGORIES if c not in combined)
        out.append(ToxicityResult(combined, detect_languages(norm.text), matches, not_scored=not_scored))
    return out


def _model_dir(settings: TransformersSettings) -> Path:
    """The configured folder, checked for a config.json."""
    if not settings.model_path:
        raise ScorerLoadError("MOD_TOXICITY__TRANSFORMERS__MODEL_PATH is not set: point it at a local model folder")
    path = Path(settings.model_path)
    if not (path / "config.json").is_file():
        raise ScorerLoadError(f"MOD_TOXICITY__TRANSFORMERS__MODEL_PATH={path}: no config.json in that folder")
    return path


def _checked_label_map(label_map: Mapping[str, str], labels: Iterable[str]) -> dict[str, str]:
    """The label map, refused if it names a label the model lacks or a category we lack."""
    if not label_map:
        raise ScorerLoadError("MOD_TOXICITY__TRANSFORMERS__LABEL_MAP is empty: map model labels to categories")
    unknown_labels = sorted(set(label_map) - set(labels))
    unknown_categories = sorted(set(label_map.values()) - set(CATEGORIES))
    if unknown_labels:
        raise ScorerLoadError(
            f"MOD_TOXICITY__TRANSFORMERS__LABEL_MAP names labels the model lacks: {unknown_labels}"
            f" (model labels: {sorted(labels)})"
        )
    if unknown_categories:
        raise ScorerLoadError(
            f"MOD_TOXICITY__TRANSFORMERS__LABEL_MAP maps to unknown categories: {unknown_categories}"
            f" (categories: {list(CATEGORIES)})"
        )
    return dict(label_map)


class TransformersScorer:
    """A local sequence-classification model, loaded once per process, scoring batches."""

    def __init__(self, settings: TransformersSettings) -> None:
        path = _model_dir(settings)
        switch_hub_off()
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
        self.model.to(settings.device).eval()
        config = self.model.config
        self.labels = [config.id2label[i] for i in range(config.num_labels)]
        self.label_map = _checked_label_map(settings.label_map, self.labels)
        self.max_length = input_limit(self.tokenizer.model_max_length, config)
        self.name = f"transformers:{path.resolve().name}"
        self.scored = ("toxicity", *dict.fromkeys(c for c in self.label_map.values() if c != "toxicity"))
        self.version = file_digest(_versioned_files(path))

    def scored_categories(self, language: str) -> tuple[str, ...]:
        """Toxicity and the categories the label map names, in any language."""
        return self.scored

    def score_batch(self, texts: Sequence[str]) -> list[ToxicityResult]:
        """Score the batch in one model call."""
        texts = list(texts)
        if not texts:
            return []
        probs = self._probabilities(texts)
        per_text = [
            {
                self.label_map[label]: float(p)
                for label, p in zip(self.labels, row, strict=True)
                if label in self.label_map
            }
            for row in probs.tolist()
        ]
        return results(texts, per_text)

    @torch.no_grad()
    def _probabilities(self, texts: list[str]) -> torch.Tensor:
        """Label probabilities, one row per text."""
        inputs = self.tokenizer(
            texts, return_tensors="pt", truncation=True, padding=True, max_length=self.max_length
        ).to(self.model.device)
        logits = self.model(**inputs).logits.float().cpu()
        multi_label = self.model.config.problem_type == "multi_label_classification"
        return torch.sigmoid(logits) if multi_label or logits.shape[1] == 1 else torch.softmax(logits, dim=1)


def _versioned_files(path: Path) -> list[Path]:
    """config.json and the weight files, in a stable order."""
    weights = sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith(WEIGHT_SUFFIXES))
    return [path / "config.json", *weights]
