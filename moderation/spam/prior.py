"""The shipped spam prior: a model trained offline on public real spam and ham (see prior/MODEL_CARD.md).

It reads the same features as each site's learnt model (moderation.spam.classifier: hashed char
n-grams of the normalised text plus the signal codes, one unit-norm row) and adds its log-odds to
the hand-weighted signals. It was trained with those signals' log-odds as an offset, so it adds
what they miss (job-offer wording without a link, "пишите в лс") and does not count them twice.
A site's own model learns on top of both: its offsets include the prior's log-odds.

Stored as npz arrays (allow_pickle=False): the feature config, the intercept and the nonzero
weights as bucket gaps and values.
"""

import io
import json
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from moderation.spam.classifier import DEFAULT_N_FEATURES, SpamModel, feature_config

PRIOR_FILE = Path(__file__).parent / "prior" / "weights.npz"
# The prior only raises a score. It was trained on text alone, so it must not talk down what it never
# saw: a filled honeypot, a flood of duplicates, a fresh account (it gave an ordinary comment about
# -2). Cross-validated, the floor changes nothing on text (F1 0.913 either way, MODEL_CARD.md).
FLOOR = 0.0


class SpamPrior:
    """Log-odds of spam from text and signal codes, on top of the hand-weighted signals."""

    def __init__(self, weights: np.ndarray, intercept: float = 0.0, *, meta: dict | None = None) -> None:
        self.features = SpamModel(weights)  # the same feature space as the site models: one matrix for both
        self.intercept = float(intercept)
        self.meta = meta or {}

    @property
    def weights(self) -> np.ndarray:
        return self.features.weights

    @classmethod
    def empty(cls, n_features: int = DEFAULT_N_FEATURES) -> "SpamPrior":
        """A prior that adds nothing (for tests and for measuring the signals alone)."""
        return cls(np.zeros(n_features, dtype=np.float32))

    def logits_of(self, x: sp.csr_matrix) -> np.ndarray:
        """Log-odds for feature rows made by SpamModel.features of the same size (never below FLOOR)."""
        return np.maximum(np.asarray(x @ self.weights, dtype=np.float64) + self.intercept, FLOOR)

    def logits(self, texts: list[str], signal_codes: list[list[str]]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.logits_of(self.features.features(texts, signal_codes))

    def to_bytes(self) -> bytes:
        buckets = np.flatnonzero(self.weights)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            config=np.array(json.dumps(feature_config(self.weights.shape[0]), sort_keys=True)),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
            intercept=np.array([self.intercept], dtype=np.float64),
            bucket_gaps=np.diff(buckets, prepend=0).astype(np.uint32),
            values=self.weights[buckets],
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "SpamPrior":
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            config = json.loads(str(arrays["config"]))
            n_features = int(config.get("n_features", 0))
            if config != feature_config(n_features):
                raise ValueError(f"spam prior made with other features ({config}); retrain it")
            weights = np.zeros(n_features, dtype=np.float32)
            weights[np.cumsum(arrays["bucket_gaps"].astype(np.int64))] = arrays["values"]
            return cls(weights, float(arrays["intercept"][0]), meta=json.loads(str(arrays["meta"])))


@cache
def shipped_prior() -> SpamPrior:
    """The prior committed with the code (read once per process)."""
    return SpamPrior.from_bytes(PRIOR_FILE.read_bytes())
