"""Quality and speed reports: the metric arithmetic, checked by hand on a fake scorer."""

import re
from collections.abc import Sequence

import pytest

from lab.toxicity.evaluation import (
    DISGUISES,
    evaluate,
    format_quality_report,
    format_speed_report,
    obfuscate_pairs,
    speed_report,
)
from moderation.scoring import ToxicityResult
from shared.categories import CATEGORIES

# text -> toxicity. Toxic: 0.9, 0.5, 0.4; non-toxic: 0.8, 0.3, 0.1.
SCORES = {"a": 0.9, "b": 0.8, "c": 0.5, "d": 0.4, "e": 0.3, "f": 0.1}
PAIRS = [("a", 1), ("b", 0), ("c", 1), ("d", 1), ("e", 0), ("f", 0)]


class FakeScorer:
    """Deterministic: looks each text up in SCORES (or 0.0), counts the batches it saw."""

    name = "fake"
    version = "0"

    def __init__(self) -> None:
        self.batches: list[int] = []

    def score_batch(self, texts: Sequence[str]) -> list[ToxicityResult]:
        self.batches.append(len(texts))
        return [
            ToxicityResult({c: SCORES.get(t, 0.0) if c == "toxicity" else 0.0 for c in CATEGORIES}, ("ru",))
            for t in texts
        ]


@pytest.fixture
def report() -> dict:
    return evaluate(FakeScorer(), PAIRS, review_threshold=0.5, reject_threshold=0.85, worst=10)


def test_counts_and_auc(report: dict) -> None:
    assert report["n"] == 6 and report["n_toxic"] == 3
    # Positive/negative pairs ranked right: 0.9 beats 3, 0.5 beats 2, 0.4 beats 2 -> 7 of 9.
    assert report["roc_auc"] == pytest.approx(7 / 9)


def test_threshold_metrics_count_equal_scores_as_toxic(report: dict) -> None:
    # At 0.5: a, b and c (0.5 itself) are flagged -> tp 2 (a, c), fp 1 (b), fn 1 (d).
    review = report["review"]
    assert (review["tp"], review["fp"], review["fn"]) == (2, 1, 1)
    assert review["precision"] == pytest.approx(2 / 3)
    assert review["recall"] == pytest.approx(2 / 3)
    assert review["f1"] == pytest.approx(2 / 3)
    # At 0.85 only a: precision 1, recall 1/3, F1 = 2 * 1 * 1/3 / (4/3) = 0.5.
    reject = report["reject"]
    assert (reject["precision"], reject["recall"], reject["f1"]) == pytest.approx((1.0, 1 / 3, 0.5))


def test_worst_errors(report: dict) -> None:
    assert report["false_positives"] == [{"text": "b", "score": 0.8}]
    assert report["false_negatives"] == [{"text": "d", "score": 0.4}]


def test_worst_is_limited_and_texts_truncated() -> None:
    long_text = "слово " * 100
    SCORES[long_text] = 0.99
    try:
        pairs = [*PAIRS, (long_text, 0)]
        report = evaluate(FakeScorer(), pairs, review_threshold=0.5, reject_threshold=0.85, worst=1)
    finally:
        del SCORES[long_text]
    (fp,) = report["false_positives"]
    assert fp["score"] == 0.99 and len(fp["text"]) <= 200


def test_no_positive_predictions_give_zero_not_an_error() -> None:
    report = evaluate(FakeScorer(), PAIRS, review_threshold=0.95, reject_threshold=0.99)
    assert report["review"]["precision"] == 0.0 and report["review"]["f1"] == 0.0


def test_quality_report_last_line(report: dict) -> None:
    text = format_quality_report(report)
    assert text.splitlines()[-1] == "roc_auc=0.7778 f1=0.6667 n=6"
    assert "b" in text and "d" in text


def test_speed_report_and_last_line() -> None:
    made: list[FakeScorer] = []

    def factory() -> FakeScorer:
        made.append(FakeScorer())
        return made[-1]

    texts = [t for t, _ in PAIRS] * 30  # 180 texts
    report = speed_report(factory, texts, batch=64, single_sample=20)
    assert len(made) == 1
    # warm-up batch, 20 single calls, then 180 texts in batches of 64.
    assert made[0].batches == [64] + [1] * 20 + [64, 64, 52]
    assert report["load_s"] >= 0 and report["single_per_s"] > 0 and report["batched_per_s"] > 0
    assert report["rss_mb"] > 1
    last = format_speed_report(report).splitlines()[-1]
    assert re.fullmatch(r"batched_per_s=\d+ single_per_s=\d+ load_s=\d+\.\d{3} rss_mb=\d+", last)


def test_obfuscated_copy_is_deterministic_and_keeps_labels() -> None:
    pairs = [("Ты тупой урод и дебил, заткнись уже", 1), ("Хорошая новость про дорогу на Садовой", 0)] * 20
    first = obfuscate_pairs(pairs, seed=3, rate=1.0)
    assert first == obfuscate_pairs(pairs, seed=3, rate=1.0)
    assert [label for _, label in first] == [label for _, label in pairs]
    assert sum(a != b for (a, _), (b, _) in zip(first, pairs, strict=True)) >= 30
    assert obfuscate_pairs(pairs, seed=3, rate=0.0) == pairs


@pytest.mark.parametrize("kind", DISGUISES)
def test_each_disguise_changes_words(kind: str) -> None:
    pairs = [("Совершенно обычный текст про дом и сад", 0)] * 10
    assert any(text != pairs[0][0] for text, _ in obfuscate_pairs(pairs, seed=0, rate=1.0, kinds=[kind]))
