"""Train, cross-validate and benchmark the embedded Russian toxicity model."""

import csv
import json
import time
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from moderation.scoring import ToxicityScorer
from moderation.scoring.embedded import ARRAYS_FILE, CONFIG_FILE, SCORER_NAME, make_vectorizer, tfidf
from moderation.scoring.normalize import normalize_text

VECTORIZER = {"analyzer": "char_wb", "ngram_range": [2, 5], "n_features": 2**20}
# Chosen by 5-fold CV on ru_toxic_dev.csv: C in {3, 10, 30}, n-grams 1-5 / 2-5 / 1-6,
# with and without word n-grams and NB weighting: all within 0.003 ROC-AUC; 2-5 is the fastest.
C = 10.0
MIN_DF = 2  # a bucket seen in one comment only is noise, and dropping it halves the files


def read_pairs(csv_path: Path) -> list[tuple[str, int]]:
    """Rows of a text,label CSV as (text, label) pairs."""
    with open(csv_path, encoding="utf-8", newline="") as f:
        return [(row["text"], int(row["label"])) for row in csv.DictReader(f)]


def train_toxicity_model(csv_path: Path, out_dir: Path, *, folds: int = 5, seed: int = 0) -> dict:
    """Train from a text,label CSV (label 1 = toxic), write the model files, return metrics."""
    return train_from_pairs(read_pairs(Path(csv_path)), out_dir, folds=folds, seed=seed)


def train_from_pairs(
    pairs: Iterable[tuple[str, int]], out_dir: Path, *, folds: int = 5, seed: int = 0
) -> dict:
    """Train from (text, label) pairs, write config.json + weights.npz to out_dir, return metrics."""
    pairs = list(pairs)
    labels = np.array([int(label) for _, label in pairs], dtype=np.int8)
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs both toxic and non-toxic examples")
    vectorizer = make_vectorizer(VECTORIZER)
    counts = vectorizer.transform([normalize_text(text) for text, _ in pairs]).tocsr()
    started = time.perf_counter()
    metrics = _cross_validate(counts, labels, folds, seed)
    buckets, idf, model = _fit(counts, labels, seed)
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    metrics["n_buckets"] = int(len(buckets))
    calibration = metrics.pop("calibration")
    config = _config(calibration, metrics, folds, seed)
    _write(Path(out_dir), config, buckets, idf, model)
    metrics["file_bytes"] = {
        name: (Path(out_dir) / name).stat().st_size for name in (CONFIG_FILE, ARRAYS_FILE)
    }
    return metrics


def benchmark(scorer: ToxicityScorer, texts: Sequence[str], batch: int = 64) -> float:
    """Comments per second through scorer.score_batch in batches of `batch`."""
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        scorer.score_batch(texts[i : i + batch])
    return len(texts) / max(time.perf_counter() - started, 1e-9)


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf per bucket; 0 for buckets seen in fewer than MIN_DF comments."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    n = counts.shape[0]
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    idf[df < MIN_DF] = 0.0
    return idf


def _fit_fold(counts: sp.csr_matrix, labels: np.ndarray, seed: int) -> tuple[np.ndarray, LogisticRegression]:
    """Fit idf and the logistic regression on one training set."""
    idf = _idf(counts)
    model = LogisticRegression(C=C, solver="liblinear", max_iter=2000, random_state=seed)
    model.fit(tfidf(counts, idf), labels)
    return idf, model


def _fit(
    counts: sp.csr_matrix, labels: np.ndarray, seed: int
) -> tuple[np.ndarray, np.ndarray, LogisticRegression]:
    """Final fit on all data; returns the used buckets, their idf, and the model."""
    idf, model = _fit_fold(counts, labels, seed)
    buckets = np.flatnonzero(idf).astype(np.int32)
    return buckets, idf[buckets], model


def _cross_validate(counts: sp.csr_matrix, labels: np.ndarray, folds: int, seed: int) -> dict:
    """Stratified k-fold: out-of-fold logits -> ROC-AUC, calibration, F1 at 0.5."""
    folds = min(folds, int(labels.sum()), int((1 - labels).sum()))
    if folds < 2:
        return {"n_samples": len(labels), "n_toxic": int(labels.sum()), "calibration": (1.0, 0.0)}
    logits = np.zeros(len(labels))
    aucs = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(labels)), labels):
        idf, model = _fit_fold(counts[train], labels[train], seed)
        logits[test] = model.decision_function(tfidf(counts[test], idf))
        aucs.append(roc_auc_score(labels[test], logits[test]))
    calibration = _calibrate(logits, labels, seed)
    return {
        "n_samples": len(labels),
        "n_toxic": int(labels.sum()),
        "folds": folds,
        "roc_auc_cv": round(float(np.mean(aucs)), 4),
        "roc_auc_cv_std": round(float(np.std(aucs)), 4),
        "raw": _threshold_metrics(labels, _sigmoid(logits)),
        "calibrated": _threshold_metrics(labels, _sigmoid(calibration[0] * logits + calibration[1])),
        "calibration": calibration,
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


def _config(calibration: tuple[float, float], metrics: dict, folds: int, seed: int) -> dict:
    """The JSON half of the model: how to rebuild features, calibration, provenance."""
    return {
        "format": 1,
        "name": SCORER_NAME,
        "trained": date.today().isoformat(),
        "vectorizer": VECTORIZER,
        "features": "normalize() -> hashed char_wb n-gram counts -> 1+log(tf) * idf -> L2",
        "classifier": {"type": "logistic_regression", "C": C, "min_df": MIN_DF},
        "calibration": {"a": calibration[0], "b": calibration[1]},
        "training": {"folds": folds, "seed": seed},
        "metrics": {k: v for k, v in metrics.items() if k not in ("raw",)},
    }


def _write(
    out_dir: Path, config: dict, buckets: np.ndarray, idf: np.ndarray, model: LogisticRegression
) -> None:
    """Write weights.npz (float32, used buckets only) and config.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    coef = model.coef_.ravel()[buckets].astype(np.float32)
    np.savez_compressed(
        out_dir / ARRAYS_FILE,
        buckets=buckets,
        idf=idf.astype(np.float32),
        coef=coef,
        intercept=np.array([model.intercept_[0]], dtype=np.float32),
    )
    text = json.dumps(config, ensure_ascii=False, indent=2) + "\n"
    (out_dir / CONFIG_FILE).write_text(text, encoding="utf-8")
