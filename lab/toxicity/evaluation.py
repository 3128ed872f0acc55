"""Quality and speed reports for any ToxicityScorer (`modctl eval`, `make bench-quality/-speed`)."""

import hashlib
import json
import math
import random
import re
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from moderation.scoring import ToxicityScorer

TEXT_LIMIT = 200  # characters of a misclassified comment shown in the report
SINGLE_SAMPLE = 500  # texts scored one at a time for the single-comment speed


def score_texts(scorer: ToxicityScorer, texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """The toxicity score of each text, scored in batches of `batch`."""
    scores: list[float] = []
    for i in range(0, len(texts), batch):
        scores.extend(r.scores["toxicity"] for r in scorer.score_batch(list(texts[i : i + batch])))
    return np.asarray(scores, dtype=float)


def evaluate(
    scorer: ToxicityScorer,
    pairs: Sequence[tuple[str, int]],
    *,
    review_threshold: float,
    reject_threshold: float,
    worst: int = 10,
    batch: int = 64,
) -> dict:
    """ROC-AUC, precision/recall/F1 at both thresholds, and the worst errors of the scorer.

    A comment counts as predicted toxic when its toxicity >= the threshold. roc_auc is None
    when the data has only one class.
    """
    texts = [text for text, _ in pairs]
    labels = np.asarray([int(label) for _, label in pairs], dtype=int)
    scores = score_texts(scorer, texts, batch)
    return metrics_from_scores(
        texts,
        labels,
        scores,
        review_threshold=review_threshold,
        reject_threshold=reject_threshold,
        worst=worst,
    ) | {"scorer": getattr(scorer, "name", type(scorer).__name__), "version": getattr(scorer, "version", "")}


def metrics_from_scores(
    texts: Sequence[str],
    labels: np.ndarray,
    scores: np.ndarray,
    *,
    review_threshold: float,
    reject_threshold: float,
    worst: int = 10,
) -> dict:
    """The numbers of evaluate() for scores already computed."""
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    both_classes = 0 < labels.sum() < len(labels)
    auc = float(roc_auc_score(labels, scores)) if both_classes else None
    return {
        "n": len(labels),
        "n_toxic": int(labels.sum()),
        "roc_auc": auc,
        "review": {"threshold": review_threshold, **_at_threshold(labels, scores, review_threshold)},
        "reject": {"threshold": reject_threshold, **_at_threshold(labels, scores, reject_threshold)},
        # Errors at the review threshold, the most confident first.
        "false_positives": _worst(texts, scores, (labels == 0) & (scores >= review_threshold), -scores, worst),
        "false_negatives": _worst(texts, scores, (labels == 1) & (scores < review_threshold), scores, worst),
    }


def _at_threshold(labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict:
    """Confusion counts and precision/recall/F1 (0 where undefined) at one threshold."""
    predicted = scores >= threshold
    tp = int(np.sum(predicted & (labels == 1)))
    fp = int(np.sum(predicted & (labels == 0)))
    fn = int(np.sum(~predicted & (labels == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _worst(texts: Sequence[str], scores: np.ndarray, mask: np.ndarray, key: np.ndarray, k: int) -> list[dict]:
    """Up to k masked texts in order of key (stable), truncated, with their scores."""
    index = np.flatnonzero(mask)
    index = index[np.argsort(key[index], kind="stable")][: max(k, 0)]
    return [{"text": _truncate(texts[i]), "score": round(float(scores[i]), 4)} for i in index.tolist()]


def _truncate(text: str) -> str:
    """At most TEXT_LIMIT characters, one line."""
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def format_quality_report(report: dict) -> str:
    """Human-readable report; the last line is `roc_auc=<x.xxxx> f1=<y.yyyy> n=<rows>`."""
    lines = []
    if report.get("scorer"):
        lines.append(f"scorer: {report['scorer']} {report.get('version', '')}".rstrip())
    lines.append(f"comments: {report['n']} ({report['n_toxic']} toxic)")
    for name in ("review", "reject"):
        m = report[name]
        lines.append(
            f"at {name} threshold {m['threshold']:g}: precision {m['precision']:.4f} "
            f"recall {m['recall']:.4f} F1 {m['f1']:.4f} (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})"
        )
    for key, title in (("false_positives", "false positives"), ("false_negatives", "false negatives")):
        if report[key]:
            lines.append(f"worst {title} (at the review threshold):")
            lines.extend(f"  {e['score']:.4f}  {e['text']}" for e in report[key])
    auc = report["roc_auc"]
    auc_text = "nan" if auc is None or math.isnan(auc) else f"{auc:.4f}"
    lines.append(f"roc_auc={auc_text} f1={report['review']['f1']:.4f} n={report['n']}")
    return "\n".join(lines)


def training_records(model_dir: Path) -> list[dict]:
    """Each model file's record of its training: {"model", "data": {file, rows, sha256}, "metrics"}.

    Every JSON file in the folder that names its training data counts (the toxicity model, the
    category models, the cascade's heads).
    """
    records = []
    top = Path(model_dir) / "config.json"  # the main toxicity model first: the report's last line is its
    for path in sorted(Path(model_dir).rglob("*.json"), key=lambda p: (p != top, str(p))):
        config = json.loads(path.read_text(encoding="utf-8"))
        for name, part in _trained_parts(path.stem, config):
            records.append({"model": name, "data": part["data"], "metrics": part.get("metrics", {})})
    return records


def _trained_parts(stem: str, config: dict) -> list[tuple[str, dict]]:
    """The parts of one JSON file that record their training data (a file may hold several models)."""
    if isinstance(config.get("data"), dict):
        return [(config.get("name", stem), config)]
    models = config.get("models")
    if isinstance(models, dict):
        return [(f"{stem}/{name}", part) for name, part in models.items() if isinstance(part.get("data"), dict)]
    return []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def training_file_warning(data: Path, records: Sequence[dict]) -> str | None:
    """A warning when `data` is (byte for byte) a file the models were trained on, else None."""
    digest = _sha256(data)
    models = [r["model"] for r in records if r["data"].get("sha256") == digest]
    if not models:
        return None
    return (
        f"WARNING: {data.name} is the file {', '.join(models)} was trained on: the figures below score the "
        "model on its own training rows and say nothing about comments it never saw. "
        "Run `make bench-quality` without DATA for the cross-validated figures."
    )


def format_cross_validated(records: Sequence[dict]) -> str:
    """The cross-validated figures the model files record; the last line is the main model's."""
    if not records:
        return "no cross-validated figures: the configured scorer's model files record no training data\nroc_auc=nan"
    lines = [
        "cross-validated figures recorded by the model files (no held-out data was given; these are",
        "out-of-fold figures on the training files, reproduced by `make train`, see MODEL_CARD.md):",
    ]
    for r in records:
        m, d = r["metrics"], r["data"]
        extra = "".join(
            f" {key}={m[key]:.4f}"
            for key in ("roc_auc_cv_std", "roc_auc_cv_obfuscated")
            if isinstance(m.get(key), float)
        )
        auc = m.get("roc_auc_cv")
        auc_text = f"{auc:.4f}" if isinstance(auc, float) else "nan"
        lines.append(
            f"  {r['model']}: roc_auc_cv={auc_text}{extra} folds={m.get('folds', '?')} "
            f"n={m.get('n_samples', d.get('rows', '?'))} on {d.get('file', '?')} (sha256 {str(d.get('sha256', ''))[:12]})"
        )
    main = records[0]["metrics"]
    auc = main.get("roc_auc_cv")
    cascade = next((r["metrics"].get("roc_auc_cv") for r in records if r["model"].endswith("heads/ru")), None)
    lines.append(
        f"cross_validated roc_auc={auc:.4f} n={main.get('n_samples', '?')}"
        + (f" cascade_roc_auc={cascade:.4f}" if isinstance(cascade, float) else "")
        if isinstance(auc, float)
        else "cross_validated roc_auc=nan"
    )
    return "\n".join(lines)


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (ru_maxrss: KB on Linux, bytes on macOS)."""
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def speed_report(
    scorer_factory: Callable[[], ToxicityScorer],
    texts: Sequence[str],
    *,
    batch: int = 64,
    single_sample: int = SINGLE_SAMPLE,
) -> dict:
    """Load time, comments/s one at a time and in batches, and the process's peak RSS."""
    texts = list(texts)
    if not texts:
        raise ValueError("speed_report needs at least one text")
    started = time.perf_counter()
    scorer = scorer_factory()
    load_s = time.perf_counter() - started
    scorer.score_batch(texts[:batch])  # warm-up: lazy imports and caches are not throughput
    sample = texts[:single_sample]
    started = time.perf_counter()
    for text in sample:
        scorer.score_batch([text])
    single = len(sample) / max(time.perf_counter() - started, 1e-9)
    sent_before = getattr(scorer, "sent_on", None)
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        scorer.score_batch(texts[i : i + batch])
    batched = len(texts) / max(time.perf_counter() - started, 1e-9)
    # The cascade's scorers count the comments their second stage scored.
    sent_on = getattr(scorer, "sent_on", None)
    share = (sent_on - sent_before) / len(texts) if isinstance(sent_on, int) and isinstance(sent_before, int) else None
    return {
        "scorer": getattr(scorer, "name", type(scorer).__name__),
        "n_texts": len(texts),
        "n_single": len(sample),
        "batch": batch,
        "load_s": load_s,
        "single_per_s": single,
        "batched_per_s": batched,
        "rss_mb": peak_rss_mb(),
        "share_sent_on": share,
    }


def format_speed_report(report: dict) -> str:
    """Human-readable; the last line is `batched_per_s=<x> single_per_s=<y> load_s=<z> rss_mb=<m>`."""
    return "\n".join(
        [
            f"scorer: {report['scorer']}",
            f"load: {report['load_s']:.3f} s",
            f"one at a time: {report['single_per_s']:.0f} comments/s ({report['n_single']} comments)",
            f"batches of {report['batch']}: {report['batched_per_s']:.0f} comments/s ({report['n_texts']} comments)",
            f"peak RSS: {report['rss_mb']:.0f} MB",
            *(
                [f"sent on to the second stage (batched run): {report['share_sent_on']:.1%} of the comments"]
                if report.get("share_sent_on") is not None
                else []
            ),
            f"batched_per_s={report['batched_per_s']:.0f} single_per_s={report['single_per_s']:.0f} "
            f"load_s={report['load_s']:.3f} rss_mb={report['rss_mb']:.0f}",
        ]
    )


# Disguises that abusers use, for an obfuscated copy of a test set. Some of them normalize() undoes
# (look-alikes, spaced or dotted letters, stretched letters, masks, zero-width chars), some it
# does not (transliteration, a space or dot inside a word, a doubled or dropped letter).
_LOOKALIKE = dict(zip("аеорсхук", "aeopcxyk", strict=True))
_DIGIT_LOOKALIKE = dict(zip("озчби", "03461", strict=True))
_TRANSLIT = dict(zip("абвгдезийклмнопрстуфхцыэ", "abvgdeziyklmnoprstufhcye", strict=True))
_TRANSLIT.update({"ж": "zh", "ч": "ch", "ш": "sh", "щ": "sch", "ю": "yu", "я": "ya", "ь": "", "ъ": "", "ё": "yo"})
_VOWELS = frozenset("аеиоуыэюяё")
_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+")


DISGUISES = (
    "latin",
    "digits",
    "spaced",
    "stretched",
    "masked",
    "case_or_zero_width",
    "translit",
    "split",
    "doubled",
    "dropped_vowel",
)


def obfuscate(text: str, rng: random.Random, rate: float = 0.35, kinds: Sequence[str] = DISGUISES) -> str:
    """Disguise about `rate` of the Russian words of 3+ letters, each in one of `kinds` at random."""
    chosen = [DISGUISES.index(k) for k in kinds]
    return _RUSSIAN_WORD.sub(lambda m: _disguise(m.group(), rng, rate, chosen), text)


def obfuscate_pairs(
    pairs: Sequence[tuple[str, int]], seed: int = 0, rate: float = 0.35, kinds: Sequence[str] = DISGUISES
) -> list[tuple[str, int]]:
    """An obfuscated copy of (text, label) pairs, the same for the same seed."""
    rng = random.Random(seed)
    return [(obfuscate(text, rng, rate, kinds), label) for text, label in pairs]


def _disguise(word: str, rng: random.Random, rate: float, kinds: Sequence[int]) -> str:
    """One word, disguised in one of the chosen ways (or left alone)."""
    if len(word) < 3 or rng.random() >= rate:
        return word
    kind = rng.choice(kinds)
    lower = word.lower()
    i = rng.randrange(1, len(word) - 1)  # an inner position
    if kind == 0:  # Latin look-alikes: "дурак" -> "дypak"
        return "".join(_LOOKALIKE.get(c, c) if rng.random() < 0.7 else c for c in word)
    if kind == 1:  # digits: "тупой" -> "туп0й"
        return "".join(_DIGIT_LOOKALIKE.get(c, c) if rng.random() < 0.6 else c for c in word)
    if kind == 2:  # spaced or dotted letters: "х у й", "х.у.й"
        return rng.choice(" .-*").join(word) if len(word) <= 6 else word
    if kind == 3:  # stretched: "дууурак"
        return word[: i + 1] + word[i] * rng.randint(2, 4) + word[i + 1 :]
    if kind == 4:  # one letter masked: "бл*ть"
        return word[:i] + rng.choice("*#") + word[i + 1 :]
    if kind == 5:  # upper case or a zero-width space inside
        return word.upper() if rng.random() < 0.5 else word[:i] + "\u200b" + word[i:]
    if kind == 6:  # transliterated: "durak"
        return "".join(_TRANSLIT.get(c, c) for c in lower)
    if kind == 7:  # split inside: "иди от", "ид.иот"
        return word[:i] + rng.choice(" ._") + word[i:]
    if kind == 8:  # one letter doubled: "дурракк"
        return word[: i + 1] + word[i:]
    vowels = [j for j, c in enumerate(lower) if c in _VOWELS][1:]  # a vowel dropped: "дурк"
    if not vowels:
        return word
    j = rng.choice(vowels)
    return word[:j] + word[j + 1 :]


# Column names of category-labelled CSVs: ours, and the Jigsaw set's.
CATEGORY_COLUMNS = {
    "toxic": "toxicity",
    "toxicity": "toxicity",
    "severe_toxic": "severe_toxicity",
    "severe_toxicity": "severe_toxicity",
    "obscene": "obscene",
    "insult": "insult",
    "threat": "threat",
    "identity_hate": "identity_attack",
    "identity_attack": "identity_attack",
}


def category_report(scorer: ToxicityScorer, rows: Sequence[dict[str, str]], batch: int = 64) -> dict[str, dict]:
    """Per category, one against the rest: ROC-AUC, positives, and how many comments left it unscored."""
    texts = [row["text"] for row in rows]
    results = []
    for i in range(0, len(texts), batch):
        results.extend(scorer.score_batch(texts[i : i + batch]))
    report: dict[str, dict] = {}
    for column, category in CATEGORY_COLUMNS.items():
        if not rows or column not in rows[0]:
            continue
        labels = np.array([int(row[column]) for row in rows])
        scored = np.array([category in r.scores for r in results])
        scores = np.array([r.scores.get(category, np.nan) for r in results])
        kept = labels[scored]
        auc = (
            float(roc_auc_score(kept, scores[scored])) if scored.any() and 0 < kept.sum() < len(kept) else float("nan")
        )
        report[category] = {"roc_auc": auc, "positives": int(labels.sum()), "not_scored": int((~scored).sum())}
    return report


def format_category_report(report: dict[str, dict], source: str) -> str:
    """One line per category; the last line is `<category>=<auc> ...` for all of them."""
    lines = [f"categories, one against the rest, on {source}:"]
    for category, m in report.items():
        note = f", {m['not_scored']} comments not scored" if m["not_scored"] else ""
        lines.append(f"  {category}: ROC-AUC {m['roc_auc']:.4f} ({m['positives']} positive{note})")
    lines.append(" ".join(f"{c}={m['roc_auc']:.4f}" for c, m in report.items()))
    return "\n".join(lines)
