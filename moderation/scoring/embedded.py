"""The embedded scorer: char n-gram TF-IDF linear model (ru) + alt-profanity-check (en)."""

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from moderation.scoring import ToxicityResult
from moderation.scoring.language import detect_languages
from moderation.scoring.lexicon import Match, find_matches
from moderation.scoring.normalize import normalize
from shared.categories import CATEGORIES

DEFAULT_MODEL_DIR = Path(__file__).parent / "model"
CONFIG_FILE = "config.json"
ARRAYS_FILE = "weights.npz"
SCORER_NAME = "embedded-charngram"
_WORDY = re.compile(r"[^\W_]")

# What a lexicon hit lifts its category to at least. Obscenity is near-certain and must go
# (Russian media law forbids mat in published comments); the others ask for a human look.
HIT_FLOOR = {"obscene": 0.95, "insult": 0.8, "threat": 0.8, "identity_attack": 0.8}
# Without a hit a category is this share of toxicity: the model does not tell categories apart.
NO_HIT_SHARE = 0.5
SEVERE_NO_HIT_SHARE = 0.4
SEVERE_HIT_CATEGORIES = ("obscene", "threat")
# Words whose n-gram counts are kept between batches. Comments repeat their words, and the
# pure-Python char_wb analyzer is the slowest step; 50,000 words take about 30 MB.
WORD_CACHE_SIZE = 50_000


def make_vectorizer(vectorizer_config: dict) -> HashingVectorizer:
    """Rebuild the stateless hashing vectorizer from its JSON config (raw counts, no norm)."""
    return HashingVectorizer(
        analyzer=vectorizer_config["analyzer"],
        ngram_range=tuple(vectorizer_config["ngram_range"]),
        n_features=vectorizer_config["n_features"],
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )


def tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf times idf, rows scaled to unit L2 norm; buckets with idf 0 drop out."""
    x = counts.tocsr(copy=True).astype(np.float32)
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    squares = x.multiply(x).sum(axis=1)
    norms = np.sqrt(np.asarray(squares, dtype=np.float32).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


class NgramCounter:
    """Hashed char_wb n-gram counts, computed once per distinct word.

    char_wb n-grams never cross whitespace, so a text's counts are the sum of its words' counts:
    the result equals vectorizer.transform(texts) exactly, and does not depend on the batch or
    on what was scored before.
    """

    def __init__(self, vectorizer: HashingVectorizer, cache_size: int = WORD_CACHE_SIZE) -> None:
        self.vectorizer = vectorizer
        self.cache_size = cache_size
        self._words: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Counts per (text, hash bucket), like HashingVectorizer.transform."""
        words = [text.split() for text in texts]
        cache = self._words
        missing = list(dict.fromkeys(w for ws in words for w in ws if w not in cache))
        if len(cache) + len(missing) > self.cache_size:
            # Start afresh (simpler than LRU; refilled within a few batches). A new dict rather
            # than clear(): a thread still reading the old one keeps what it looked up.
            self._words = cache = {}
            missing = list(dict.fromkeys(w for ws in words for w in ws))
        if missing:
            counts = self.vectorizer.transform(missing).tocsr()
            for i, word in enumerate(missing):
                part = slice(counts.indptr[i], counts.indptr[i + 1])
                cache[word] = (counts.indices[part], counts.data[part])
        indices, data, lengths = [], [], []
        for ws in words:
            length = 0
            for word in ws:
                word_indices, word_data = cache[word]
                indices.append(word_indices)
                data.append(word_data)
                length += len(word_indices)
            lengths.append(length)
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        matrix = sp.csr_matrix(
            (
                np.concatenate(data) if data else np.zeros(0, dtype=np.float32),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32),
                indptr,
            ),
            shape=(len(texts), self.vectorizer.n_features),
        )
        matrix.sum_duplicates()
        return matrix


@dataclass(frozen=True)
class CharNgramModel:
    """Russian toxicity model: hashed char n-grams -> TF-IDF -> linear model -> calibration."""

    vectorizer: HashingVectorizer
    idf: np.ndarray  # float32, one per hash bucket; 0 where the bucket is unused
    coef: np.ndarray  # float32, one per hash bucket
    intercept: float
    calibration: tuple[float, float]  # p = sigmoid(a * logit + b)
    counter: NgramCounter = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "counter", NgramCounter(self.vectorizer))

    def logits(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Raw decision values; equal to tfidf(counts, idf) @ coef + intercept, without the matrix."""
        counts = self.counter.transform(normalized_texts)
        n = counts.shape[0]
        rows = np.repeat(np.arange(n), np.diff(counts.indptr))
        weights = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        dots = np.bincount(rows, weights * self.coef[counts.indices], minlength=n)
        norms = np.sqrt(np.bincount(rows, weights * weights, minlength=n))
        norms[norms == 0] = 1.0
        return dots / norms + self.intercept

    def predict(self, normalized_texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability that each (already normalised) text is toxic."""
        a, b = self.calibration
        z = a * self.logits(normalized_texts) + b
        return 1.0 / (1.0 + np.exp(-z))


def load_model(model_dir: Path) -> tuple[CharNgramModel, dict]:
    """Read config.json and weights.npz (no pickle) into a model."""
    config = json.loads((model_dir / CONFIG_FILE).read_text(encoding="utf-8"))
    vec_config = config["vectorizer"]
    with np.load(model_dir / ARRAYS_FILE, allow_pickle=False) as arrays:
        buckets = arrays["buckets"]
        idf = _scatter(buckets, arrays["idf"], vec_config["n_features"])
        coef = _scatter(buckets, arrays["coef"], vec_config["n_features"])
        intercept = float(arrays["intercept"][0])
    calibration = (float(config["calibration"]["a"]), float(config["calibration"]["b"]))
    model = CharNgramModel(make_vectorizer(vec_config), idf, coef, intercept, calibration)
    return model, config


def model_version(model_dir: Path) -> str:
    """Short hash of the model files: changes whenever the model does."""
    digest = hashlib.sha256()
    for name in (CONFIG_FILE, ARRAYS_FILE):
        digest.update((model_dir / name).read_bytes())
    return digest.hexdigest()[:12]


def _scatter(buckets: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Expand values kept for the used buckets into a dense per-bucket array."""
    full = np.zeros(size, dtype=np.float32)
    full[buckets] = values
    return full


class EmbeddedScorer:
    """Scores batches of comments offline; one instance per worker process."""

    name = SCORER_NAME

    def __init__(self, model_dir: Path | None = None) -> None:
        model_dir = model_dir or DEFAULT_MODEL_DIR
        self.model, self.config = load_model(model_dir)
        self.version = model_version(model_dir)
        # alt-profanity-check loads its own model on import: do it once, here.
        from profanity_check import predict_prob

        self._english = predict_prob

    def score_batch(self, texts: Sequence[str]) -> list[ToxicityResult]:
        """Score each text: toxicity from the models, categories from lexicon + toxicity."""
        texts = list(texts)
        if not texts:
            return []
        normalized = [normalize(t) for t in texts]
        # On normalised text look-alikes are already Cyrillic, so "xуй" or "cyka блять" is not English.
        languages = [detect_languages(n.text) for n in normalized]
        toxicity = self._toxicity(texts, [n.text for n in normalized], languages)
        return [
            _result(float(tox), langs, find_matches(text, norm))
            for text, norm, langs, tox in zip(texts, normalized, languages, toxicity, strict=True)
        ]

    def _toxicity(self, texts: list[str], normalized: list[str], languages: list[tuple[str, ...]]) -> np.ndarray:
        """Max over the comment's languages of each language's model probability."""
        scores = np.zeros(len(texts))
        # With no letters or digits the model would return its prior (~0.5): nothing to judge.
        ru = [i for i, langs in enumerate(languages) if "ru" in langs and _WORDY.search(normalized[i])]
        en = [i for i, langs in enumerate(languages) if "en" in langs]
        if ru:
            scores[ru] = self.model.predict([normalized[i] for i in ru])
        if en:
            en_scores = np.asarray(self._english([texts[i] for i in en]), dtype=float)
            scores[en] = np.maximum(scores[en], en_scores)
        return np.clip(scores, 0.0, 1.0)


def category_scores(toxicity: float, matches: Sequence[Match]) -> dict[str, float]:
    """Derive every category from toxicity and the lexicon hits (see MODEL_CARD.md)."""
    hit = {m.category for m in matches}
    scores = {"toxicity": toxicity}
    for category, floor in HIT_FLOOR.items():
        scores[category] = max(toxicity, floor) if category in hit else NO_HIT_SHARE * toxicity
    severe_hit = any(c in hit for c in SEVERE_HIT_CATEGORIES)
    scores["severe_toxicity"] = toxicity if severe_hit else SEVERE_NO_HIT_SHARE * toxicity
    return {c: round(float(min(1.0, max(0.0, scores[c]))), 4) for c in CATEGORIES}


def _result(toxicity: float, languages: tuple[str, ...], matches: tuple[Match, ...]) -> ToxicityResult:
    """Assemble one result."""
    return ToxicityResult(category_scores(toxicity, matches), languages, matches)
