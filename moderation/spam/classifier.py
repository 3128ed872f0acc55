"""The per-site spam classifier that learns from moderators: online logistic regression on hashed features.

Features: char_wb 3-5 gram counts of the normalised text (1 + log tf, unit L2 norm) plus one hashed
feature per spam signal code ("sig=phone"), the whole row scaled to unit L2 norm. No intercept: an
empty model adds exactly 0 to the spam log-odds, and the moderators' queue is a biased sample of the
site's comments whose spam rate says nothing about the stream.
"""

import io
import json
import math
import random
from collections.abc import Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from moderation.scoring.embedded import NgramCounter
from moderation.scoring.normalize import normalize

FORMAT = 1
DEFAULT_N_FEATURES = 2**18
NGRAM_RANGE = (3, 5)
# A signal code's value next to the text's unit-norm n-grams: signals generalise across campaigns
# (a phone number is a phone number), so each one counts for a quarter of the text's squared norm.
SIGNAL_VALUE = 0.5
SIGNAL_PREFIX = "sig="
# Step size of one SGD step. One step on a new text at logit 0 moves that text by LEARNING_RATE / 2;
# with ONLINE_PASSES steps, 5 postings of a new campaign lift its next posting by about 2 (see tests).
LEARNING_RATE = 1.0
ONLINE_PASSES = 3
# Online, a spam label steps this much more than a ham one: the site's labels are mostly ham, and a
# new campaign's first few rejections must move its next copies (the known-spam memory matches the
# reworded copies; this carries over to what shares their words).
SPAM_STEP = 2.0
# L2 weight decay per step (times LEARNING_RATE): keeps a handful of examples from making any weight
# large, and lets campaigns nobody reports any more fade (half-life ~7,000 steps, ~2,300 examples).
L2 = 1e-4
# Weights this small change no logit by more than ~0.02 and only grow the stored size: set to 0.
PRUNE_BELOW = 1e-3
# Rescale the lazily decayed weights before the decay factor underflows float precision.
MIN_SCALE = 1e-3

Example = tuple[str, Sequence[str], int]


def feature_config(n_features: int) -> dict:
    """What the features depend on; a stored model is only valid with the same config."""
    return {
        "format": FORMAT,
        "n_features": n_features,
        "analyzer": "char_wb",
        "ngram_range": list(NGRAM_RANGE),
        "tf": "1+log",
        "signal_value": SIGNAL_VALUE,
        "signal_prefix": SIGNAL_PREFIX,
    }


@cache
def _counter(n_features: int) -> NgramCounter:
    """Hashed char_wb n-gram counts of normalised text, shared by every model of this size.

    Shared because the counts do not depend on the model, and its word cache (up to ~30 MB) would
    otherwise be paid again for every site and every version a worker holds.
    """
    vectorizer = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        n_features=n_features,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )
    return NgramCounter(vectorizer)


class SpamModel:
    """Per-site online logistic regression over hashed char n-grams of normalised text plus signal codes.

    Starts at zero (contributes nothing until it has learnt), learns one labelled example at a time
    (moderator approve = ham 0, reject-as-spam = spam 1), serialises to bytes (numpy npz,
    allow_pickle=False: no pickle).
    """

    def __init__(self, weights: np.ndarray, *, version: int = 0, examples: int = 0) -> None:
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.version = version  # increments with every learn_many() call that has examples
        self.examples = examples  # how many labelled examples it has seen

    @property
    def n_features(self) -> int:
        """Number of hash buckets."""
        return int(self.weights.shape[0])

    @classmethod
    def empty(cls, n_features: int = DEFAULT_N_FEATURES) -> "SpamModel":
        """A model that has learnt nothing: every logit is 0."""
        return cls(np.zeros(n_features, dtype=np.float32))

    def features(self, texts: Sequence[str], signal_codes: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """One unit-norm row per text: its n-grams and its signal codes."""
        if len(texts) != len(signal_codes):
            raise ValueError(f"{len(texts)} texts but {len(signal_codes)} signal code lists")
        counts = _counter(self.n_features).transform([normalize(t).text for t in texts])
        counts.data = 1.0 + np.log(counts.data)
        text_part = _scale_rows(counts, _row_norms(counts))
        signals = _signal_matrix(signal_codes, self.n_features)
        rows = (text_part + signals).tocsr()
        rows.sum_duplicates()
        return _scale_rows(rows, _row_norms(rows))

    def logit(self, text: str, signal_codes: Sequence[str] = ()) -> float:
        """The model's log-odds contribution for one comment (0.0 when empty)."""
        return float(self.logits([text], [signal_codes])[0])

    def logits(self, texts: Sequence[str], signal_codes: Sequence[Sequence[str]]) -> np.ndarray:
        """Log-odds contributions for a batch of comments."""
        if not texts:
            return np.zeros(0)
        return self.logits_of(self.features(texts, signal_codes))

    def logits_of(self, x: sp.csr_matrix) -> np.ndarray:
        """Log-odds contributions for rows made by `features` (shared with the prior: one matrix for both)."""
        return np.asarray(x @ self.weights, dtype=np.float64)

    def learn_many(self, examples: Sequence[Example], offsets: Sequence[float] | None = None) -> None:
        """Learn (text, signal_codes, label) examples in order: ONLINE_PASSES SGD passes over the batch.

        `offsets` are the log-odds each example already had without this model (prior plus signal
        weights): the model then learns only what they miss, instead of counting signals twice.
        """
        if not examples:
            return
        x, y = self._matrix(examples)
        order = np.tile(np.arange(len(y)), ONLINE_PASSES)
        _sgd(self.weights, x, y, order, _offsets(offsets, len(y)), np.where(y == 1, SPAM_STEP, 1.0))
        self.version += 1
        self.examples += len(y)

    def _matrix(self, examples: Sequence[Example]) -> tuple[sp.csr_matrix, np.ndarray]:
        """Feature rows and 0/1 labels of examples."""
        labels = np.array([int(label) for _, _, label in examples], dtype=np.float64)
        if not np.isin(labels, (0, 1)).all():
            raise ValueError("labels must be 0 (ham) or 1 (spam)")
        return self.features([t for t, _, _ in examples], [list(c) for _, c, _ in examples]), labels

    def to_bytes(self) -> bytes:
        """The model as npz bytes: config, counters and the nonzero weights only (no pickle)."""
        buckets = np.flatnonzero(self.weights)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            config=np.array(json.dumps(feature_config(self.n_features), sort_keys=True)),
            counters=np.array([self.version, self.examples], dtype=np.int64),
            # Gaps between sorted bucket numbers are small and compress far better than the numbers.
            bucket_gaps=np.diff(buckets, prepend=0).astype(np.uint32),
            values=self.weights[buckets],
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "SpamModel":
        """Load what to_bytes wrote; ValueError if it was made with other features."""
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            config = json.loads(str(arrays["config"]))
            n_features = int(config.get("n_features", 0))
            if config != feature_config(n_features):
                raise ValueError(f"spam model made with other features ({config}); retrain it")
            version, examples = (int(v) for v in arrays["counters"])
            buckets = np.cumsum(arrays["bucket_gaps"].astype(np.int64))
            weights = np.zeros(n_features, dtype=np.float32)
            weights[buckets] = arrays["values"]
        return cls(weights, version=version, examples=examples)


def train_spam_model(
    examples: Sequence[Example],
    *,
    offsets: Sequence[float] | None = None,
    n_features: int = DEFAULT_N_FEATURES,
    epochs: int = 5,
    seed: int = 0,
) -> SpamModel:
    """Retrain from scratch from all labelled examples (what `modctl train-spam` runs from the database)."""
    model = SpamModel.empty(n_features)
    if not examples:
        return model
    x, y = model._matrix(examples)
    rng = random.Random(seed)
    order: list[int] = []
    for _ in range(epochs):
        epoch = list(range(len(y)))
        rng.shuffle(epoch)
        order += epoch
    _sgd(model.weights, x, y, np.array(order, dtype=np.int64), _offsets(offsets, len(y)))
    model.version = 1
    model.examples = len(y)
    return model


def _offsets(offsets: Sequence[float] | None, n: int) -> np.ndarray:
    if offsets is None:
        return np.zeros(n)
    if len(offsets) != n:
        raise ValueError(f"{len(offsets)} offsets for {n} examples")
    return np.asarray(offsets, dtype=np.float64)


def _sgd(
    weights: np.ndarray,
    x: sp.csr_matrix,
    y: np.ndarray,
    order: np.ndarray,
    offsets: np.ndarray,
    steps: np.ndarray | None = None,
) -> None:
    """SGD steps on the logistic loss with L2 decay, rows visited in `order`; updates weights in place.
    `steps`: each row's step size as a multiple of LEARNING_RATE (1 for all by default).

    The decay is kept as one scale factor (weights = scale * w) so that a step costs only the row's
    nonzeros, not a pass over every bucket.
    """
    w = weights.astype(np.float64)  # float64 while learning: many small steps would round away in float32
    scale = 1.0
    decay = 1.0 - LEARNING_RATE * L2
    indptr, indices, data = x.indptr, x.indices, x.data.astype(np.float64)
    for i in order:
        part = slice(indptr[i], indptr[i + 1])
        idx, val = indices[part], data[part]
        z = offsets[i] + scale * float(w[idx] @ val)
        gradient = _sigmoid(z) - y[i]
        scale *= decay
        step = LEARNING_RATE if steps is None else LEARNING_RATE * steps[i]
        w[idx] -= (step * gradient / scale) * val
        if scale < MIN_SCALE:
            w *= scale
            scale = 1.0
    w *= scale
    w[np.abs(w) < PRUNE_BELOW] = 0.0
    weights[:] = w


def _sigmoid(z: float) -> float:
    """Logistic function, safe for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _signal_matrix(signal_codes: Sequence[Sequence[str]], n_features: int) -> sp.csr_matrix:
    """SIGNAL_VALUE in the bucket of each distinct "sig=<code>" of each row."""
    rows, cols = [], []
    for row, codes in enumerate(signal_codes):
        for code in dict.fromkeys(codes):  # a code repeated is still one signal
            rows.append(row)
            cols.append(_bucket(SIGNAL_PREFIX + code, n_features))
    values = np.full(len(rows), SIGNAL_VALUE, dtype=np.float32)
    return sp.csr_matrix((values, (rows, cols)), shape=(len(signal_codes), n_features), dtype=np.float32)


def _bucket(feature: str, n_features: int) -> int:
    """Hash bucket of a named feature, stable across processes."""
    return murmurhash3_32(feature, seed=0, positive=True) % n_features


def _row_norms(x: sp.csr_matrix) -> np.ndarray:
    """L2 norm of each row; 1 for empty rows so they stay empty."""
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1), dtype=np.float32).ravel())
    norms[norms == 0] = 1.0
    return norms


def _scale_rows(x: sp.csr_matrix, norms: np.ndarray) -> sp.csr_matrix:
    """Divide each row by its norm."""
    out = x.tocsr(copy=True)
    out.data /= np.repeat(norms, np.diff(out.indptr)).astype(out.data.dtype)
    return out
