"""Train, cross-validate and benchmark the embedded Russian toxicity model."""

import csv
import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from lab.toxicity.evaluation import obfuscate_pairs
from moderation.scoring import ToxicityScorer
from moderation.scoring.embedded import ARRAYS_FILE, CONFIG_FILE, SCORER_NAME, make_vectorizer, tfidf
from moderation.scoring.normalize import normalize_text

VECTORIZER = {"analyzer": "char_wb", "ngram_range": [2, 5], "n_features": 2**20}
# Chosen by 5-fold CV on ru_toxic_dev.csv (see MODEL_CARD.md): the average of a plain logistic
# regression and an NB-weighted one (NB-LR) over the same features scored 0.957 ROC-AUC, either
# alone 0.953. Both are linear in the same TF-IDF vector, so the average is one weight vector
# and costs nothing at inference. C in {3, 10, 30}, n-grams 1-5 / 2-5 / 1-6, word n-grams,
# lexicon features, SGD and complement NB did not help.
C = 10.0  # for both regressions
NB_ALPHA = 1.0  # smoothing of the NB log-count ratios
MIN_DF = 2  # a bucket seen in one comment only is noise, and dropping it halves the files
# Every training set gets a disguised copy of itself (lab.toxicity.evaluation.obfuscate: half the
# words disguised): abusers on the news site disguise words more than the forum users did.
AUGMENT_SEED = 7
AUGMENT_RATE = 0.5
# The disguised copy of each held-out fold that roc_auc_cv_obfuscated is measured on.
OBFUSCATION_SEED = 1
OBFUSCATION_RATE = 0.35


def read_pairs(csv_path: Path) -> list[tuple[str, int]]:
    """Rows of a text,label CSV as (text, label) pairs."""
    with open(csv_path, encoding="utf-8", newline="") as f:
        return [(row["text"], int(row["label"])) for row in csv.DictReader(f)]


def data_provenance(csv_path: Path, rows: int) -> dict:
    """What the model card and `make bench-quality` need to recognise the training file: name, rows, digest."""
    return {"file": Path(csv_path).name, "rows": rows, "sha256": file_digest(Path(csv_path))}


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def train_toxicity_model(csv_path: Path, out_dir: Path, *, folds: int = 5, seed: int = 0) -> dict:
    """Train from a text,label CSV (label 1 = toxic), write the model files, return metrics."""
    pairs = read_pairs(Path(csv_path))
    return train_from_pairs(pairs, out_dir, folds=folds, seed=seed, data=data_provenance(csv_path, len(pairs)))


def train_from_pairs(
    pairs: Iterable[tuple[str, int]],
    out_dir: Path,
    *,
    folds: int = 5,
    seed: int = 0,
    data: dict | None = None,
    augment: bool = True,
    name: str = SCORER_NAME,
) -> dict:
    """Train from (text, label) pairs, write config.json + weights.npz to out_dir, return metrics.

    `data` (see data_provenance) is recorded in config.json, so a benchmark can tell its training file.
    `augment` adds the disguised copy of the Russian words (pointless for English data).
    """
    pairs = list(pairs)
    labels = np.array([int(label) for _, label in pairs], dtype=np.int8)
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs both toxic and non-toxic examples")
    vectorizer = make_vectorizer(VECTORIZER)
    counts = _counts(vectorizer, pairs)
    augmented = _counts(vectorizer, obfuscate_pairs(pairs, seed=AUGMENT_SEED, rate=AUGMENT_RATE)) if augment else None
    obfuscated = (
        _counts(vectorizer, obfuscate_pairs(pairs, seed=OBFUSCATION_SEED, rate=OBFUSCATION_RATE)) if augment else None
    )
    started = time.perf_counter()
    metrics = _cross_validate(counts, labels, folds, seed, obfuscated, augmented)
    metrics["out_of_fold"] = metrics.pop("logits", None)
    buckets, idf, coef, intercept = _fit(counts, labels, seed, augmented)
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    metrics["n_buckets"] = len(buckets)
    calibration = metrics.pop("calibration")
    metrics["calibration_ab"] = calibration
    config = _config(calibration, metrics, folds, seed, data) | {"name": name}
    _write(Path(out_dir), config, buckets, idf, coef, intercept)
    metrics["file_bytes"] = {name: (Path(out_dir) / name).stat().st_size for name in (CONFIG_FILE, ARRAYS_FILE)}
    return metrics


def benchmark(scorer: ToxicityScorer, texts: Sequence[str], batch: int = 64) -> float:
    """Comments per second through scorer.score_batch in batches of `batch`."""
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        scorer.score_batch(texts[i : i + batch])
    return len(texts) / max(time.perf_counter() - started, 1e-9)


def _counts(vectorizer: HashingVectorizer, pairs: Sequence[tuple[str, int]]) -> sp.csr_matrix:
    """Hashed n-gram counts of the normalised texts."""
    return vectorizer.transform([normalize_text(text) for text, _ in pairs]).tocsr()


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf per bucket; 0 for buckets seen in fewer than MIN_DF comments."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    n = counts.shape[0]
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    idf[df < MIN_DF] = 0.0
    return idf


def _nb_ratio(counts: sp.csr_matrix, labels: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Smoothed log-ratio of each bucket's presence in toxic vs non-toxic comments (NB-LR)."""
    present = counts.copy()
    present.data = np.ones_like(present.data)
    toxic = NB_ALPHA + np.asarray(present[labels == 1].sum(axis=0), dtype=np.float64).ravel()
    clean = NB_ALPHA + np.asarray(present[labels == 0].sum(axis=0), dtype=np.float64).ravel()
    ratio = np.log((toxic / toxic.sum()) / (clean / clean.sum())).astype(np.float32)
    ratio[idf == 0] = 0.0
    return ratio


def _fit_fold(
    counts: sp.csr_matrix, labels: np.ndarray, seed: int, augmented: sp.csr_matrix | None = None
) -> tuple[np.ndarray, np.ndarray, float]:
    """Fit idf and the model on one training set; returns idf, coef (per bucket) and intercept.

    `augmented` (counts of a disguised copy of the same rows, same labels) is added to the set.

    The model is the average of two logistic regressions on the same TF-IDF features: a plain
    one, and one on features scaled by their NB log-count ratios (NB-LR). The second one's
    weights times the ratios are weights on the plain features, so the average is one linear model.
    """
    if augmented is not None:
        counts = sp.vstack([counts, augmented]).tocsr()
        labels = np.concatenate([labels, labels])
    idf = _idf(counts)
    features = tfidf(counts, idf)
    plain = LogisticRegression(C=C, solver="liblinear", max_iter=2000, random_state=seed)
    plain.fit(features, labels)
    ratio = _nb_ratio(counts, labels, idf)
    nb = LogisticRegression(C=C, solver="liblinear", max_iter=2000, random_state=seed)
    nb.fit(features @ sp.diags(ratio), labels)
    coef = (plain.coef_.ravel() + ratio * nb.coef_.ravel()) / 2
    intercept = float(plain.intercept_[0] + nb.intercept_[0]) / 2
    return idf, coef.astype(np.float32), intercept


def _fit(
    counts: sp.csr_matrix, labels: np.ndarray, seed: int, augmented: sp.csr_matrix | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Final fit on all data; returns the used buckets, their idf and coef, and the intercept."""
    idf, coef, intercept = _fit_fold(counts, labels, seed, augmented)
    buckets = np.flatnonzero(idf).astype(np.int32)
    return buckets, idf[buckets], coef[buckets], intercept


def _decision(counts: sp.csr_matrix, idf: np.ndarray, coef: np.ndarray, intercept: float) -> np.ndarray:
    """Logits of the linear model for raw counts."""
    return tfidf(counts, idf) @ coef.astype(np.float64) + intercept


def _cross_validate(
    counts: sp.csr_matrix,
    labels: np.ndarray,
    folds: int,
    seed: int,
    obfuscated: sp.csr_matrix | None = None,
    augmented: sp.csr_matrix | None = None,
) -> dict:
    """Stratified k-fold: out-of-fold logits -> ROC-AUC, calibration, F1 at 0.5.

    With `obfuscated` (counts of a disguised copy of the same texts), also the ROC-AUC on the
    disguised copy of each held-out fold. `augmented` rows of the training folds only are used.
    """
    folds = min(folds, int(labels.sum()), int((1 - labels).sum()))
    if folds < 2:
        return {"n_samples": len(labels), "n_toxic": int(labels.sum()), "calibration": (1.0, 0.0)}
    logits = np.zeros(len(labels))
    aucs, obfuscated_aucs = [], []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        extra_rows = augmented[train] if augmented is not None else None
        fitted = _fit_fold(counts[train], labels[train], seed, extra_rows)
        logits[test] = _decision(counts[test], *fitted)
        aucs.append(roc_auc_score(labels[test], logits[test]))
        if obfuscated is not None:
            obfuscated_aucs.append(roc_auc_score(labels[test], _decision(obfuscated[test], *fitted)))
    calibration = _calibrate(logits, labels, seed)
    extra = {}
    if obfuscated_aucs:
        extra["roc_auc_cv_obfuscated"] = round(float(np.mean(obfuscated_aucs)), 4)
    return {
        "n_samples": len(labels),
        "n_toxic": int(labels.sum()),
        "folds": folds,
        "roc_auc_cv": round(float(np.mean(aucs)), 4),
        "roc_auc_cv_std": round(float(np.std(aucs)), 4),
        **extra,
        "raw": _threshold_metrics(labels, _sigmoid(logits)),
        "calibrated": _threshold_metrics(labels, _sigmoid(calibration[0] * logits + calibration[1])),
        "calibration": calibration,
        "logits": logits,
    }


def _calibrate(logits: np.ndarray, labels: np.ndarray, seed: int) -> tuple[float, float]:
    """Platt scaling of out-of-fold logits: p = sigmoid(a * logit + b)."""
    platt = LogisticRegression(C=1e6, solver="lbfgs", random_state=seed)
    platt.fit(logits.reshape(-1, 1), labels)
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def _threshold_metrics(labels: np.ndarray, probs: np.ndarray) -> dict:
    """F1/precision/recall at 0.5, expected calibration error and the reliability table."""
    predicted = probs >= 0.5
    return {
        "f1_at_0_5": round(float(f1_score(labels, predicted)), 4),
        "precision_at_0_5": round(float(precision_score(labels, predicted, zero_division=0)), 4),
        "recall_at_0_5": round(float(recall_score(labels, predicted)), 4),
        "brier": round(float(np.mean((probs - labels) ** 2)), 4),
        **_reliability(labels, probs),
    }


def _reliability(labels: np.ndarray, probs: np.ndarray, bins: int = 10) -> dict:
    """Per-bin mean predicted vs observed toxic share, and their weighted gap (ECE)."""
    which = np.minimum((probs * bins).astype(int), bins - 1)
    table, ece = [], 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            predicted, observed = float(probs[mask].mean()), float(labels[mask].mean())
            ece += mask.mean() * abs(predicted - observed)
            table.append([round(predicted, 3), round(observed, 3), int(mask.sum())])
    return {"ece": round(ece, 4), "reliability": table}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function."""
    return 1.0 / (1.0 + np.exp(-z))


def _config(calibration: tuple[float, float], metrics: dict, folds: int, seed: int, data: dict | None) -> dict:
    """The JSON half of the model: how to rebuild features, calibration, provenance."""
    return {
        "format": 1,
        "name": SCORER_NAME,
        "trained": date.today().isoformat(),
        **({"data": data} if data else {}),
        "vectorizer": VECTORIZER,
        "features": "normalize() -> hashed char_wb n-gram counts -> 1+log(tf) * idf -> L2",
        "classifier": {
            "type": "average of logistic regression and NB-LR, merged into one weight vector",
            "C": C,
            "nb_alpha": NB_ALPHA,
            "min_df": MIN_DF,
        },
        "calibration": {"a": calibration[0], "b": calibration[1]},
        "training": {
            "folds": folds,
            "seed": seed,
            "augment": {"seed": AUGMENT_SEED, "rate": AUGMENT_RATE},
            "obfuscated_test": {"seed": OBFUSCATION_SEED, "rate": OBFUSCATION_RATE},
        },
        "metrics": {k: v for k, v in metrics.items() if k not in ("raw", "out_of_fold", "calibration_ab")},
    }


def _write(
    out_dir: Path, config: dict, buckets: np.ndarray, idf: np.ndarray, coef: np.ndarray, intercept: float
) -> None:
    """Write weights.npz (float32, used buckets only) and config.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / ARRAYS_FILE,
        buckets=buckets,
        idf=idf.astype(np.float32),
        coef=coef.astype(np.float32),
        intercept=np.array([intercept], dtype=np.float32),
    )
    text = json.dumps(config, ensure_ascii=False, indent=2) + "\n"
    (out_dir / CONFIG_FILE).write_text(text, encoding="utf-8")
