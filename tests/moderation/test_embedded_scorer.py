"""The embedded scorer as the moderation worker sees it: load once, score batches."""

import json
from pathlib import Path

import numpy as np
import pytest

from lab.toxicity.training import train_from_pairs
from moderation.scoring import ToxicityResult, load_embedded_scorer
from moderation.scoring.embedded import DEFAULT_MODEL_DIR, NgramCounter, make_vectorizer
from shared.categories import CATEGORIES

FRIENDLY = "Спасибо за статью, очень интересно про кластер"
ABUSIVE = "Ты тупой урод и дебил, заткнись уже, мразь"


@pytest.fixture(scope="module")
def scorer():
    return load_embedded_scorer()


def _toxicity(scorer, text: str) -> float:
    return scorer.score_batch([text])[0].scores["toxicity"]


def test_model_files_are_arrays_and_json_not_pickle() -> None:
    config = json.loads((DEFAULT_MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    assert config["vectorizer"]["analyzer"] == "char_wb"
    with np.load(DEFAULT_MODEL_DIR / "weights.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].dtype == np.float32
        assert len(arrays["coef"]) == len(arrays["buckets"]) == len(arrays["idf"])


def test_names_itself_with_a_version_that_follows_the_files() -> None:
    # Load time is measured by `make bench`, not asserted here.
    scorer = load_embedded_scorer()
    assert scorer.name == "embedded-charngram"
    assert len(scorer.version) == 12


def test_results_have_every_scored_category_in_range(scorer) -> None:
    results = scorer.score_batch([FRIENDLY, ABUSIVE, "", "🙂", "Nice article"])
    assert len(results) == 5
    for result in results:
        assert isinstance(result, ToxicityResult)
        assert set(result.scores) | set(result.not_scored) == set(CATEGORIES)
        assert not set(result.scores) & set(result.not_scored)
        assert all(0.0 <= v <= 1.0 for v in result.scores.values())


def test_empty_batch(scorer) -> None:
    assert scorer.score_batch([]) == []


def test_text_without_words_is_not_flagged(scorer) -> None:
    for result in scorer.score_batch(["", "   ", "👍👍", "!!!"]):
        assert result.scores["toxicity"] < 0.5


def test_friendly_russian_comment_is_low(scorer) -> None:
    result = scorer.score_batch([FRIENDLY])[0]
    assert result.scores["toxicity"] < 0.2
    assert max(result.scores.values()) < 0.2
    assert result.languages == ("ru",)


def test_abusive_russian_comment_is_high(scorer) -> None:
    result = scorer.score_batch([ABUSIVE])[0]
    assert result.scores["toxicity"] > 0.8
    assert result.scores["insult"] > 0.8


@pytest.mark.parametrize(
    "text",
    ["Хорошая новость, наконец-то починят дорогу на Садовой", "Подскажите, во сколько открывается новая поликлиника?"],
)
def test_ordinary_news_comments_are_below_review(scorer, text: str) -> None:
    assert _toxicity(scorer, text) < 0.5


def test_obfuscated_obscenity_is_caught_with_original_span(scorer) -> None:
    text = "да пошёл ты на х.у.й"
    result = scorer.score_batch([text])[0]
    assert result.scores["obscene"] >= 0.95
    (hit,) = [m for m in result.matches if m.category == "obscene"]
    assert (hit.word, text[hit.start : hit.end]) == ("х.у.й", "х.у.й")


@pytest.mark.parametrize(("text", "word"), [("опять бл*ть пробки", "бл*ть"), ("ну и п#здец у вас", "п#здец")])
def test_self_censored_mat_is_obscene(scorer, text: str, word: str) -> None:
    result = scorer.score_batch([text])[0]
    assert result.scores["obscene"] >= 0.95
    assert [m.word for m in result.matches if m.category == "obscene"] == [word]


def test_ngram_counter_equals_the_vectorizer_and_survives_eviction() -> None:
    vectorizer = make_vectorizer({"analyzer": "char_wb", "ngram_range": [2, 5], "n_features": 2**18})
    counter = NgramCounter(vectorizer, cache_size=5)
    batches = [
        ["мама мыла раму", "раму мыла мама мама", ""],
        ["  новые   слова\tи\nпробелы ", "мама", "х*й с ним, т.е. ладно"],
        ["одно"],
    ]
    for texts in batches * 2:
        expected = vectorizer.transform(texts).toarray()
        assert np.array_equal(counter.transform(texts).toarray(), expected)
    assert counter.transform([]).shape == (0, 2**18)


def test_english_abusive_vs_clean(scorer) -> None:
    abusive, clean = scorer.score_batch(["You are a stupid fucking moron", "Thanks, a very useful article"])
    assert abusive.languages == ("en",) and clean.languages == ("en",)
    assert abusive.scores["toxicity"] > 0.8
    assert clean.scores["toxicity"] < 0.2


def test_mixed_comment_takes_the_worse_language(scorer) -> None:
    mixed = scorer.score_batch(["Отличная статья про город, you are a fucking idiot"])[0]
    assert mixed.languages == ("ru", "en")
    assert mixed.scores["toxicity"] > 0.8


def test_threat_is_flagged(scorer) -> None:
    result = scorer.score_batch(["Я найду тебя и убью, понял?"])[0]
    assert result.scores["threat"] >= 0.9
    assert "severe_toxicity" in result.not_scored  # nothing measures it in Russian


def test_deterministic_and_batch_independent(scorer) -> None:
    texts = [FRIENDLY, ABUSIVE, "ну ты и х у й л о", "Nice article"]
    batch = scorer.score_batch(texts)
    assert batch == scorer.score_batch(texts)
    assert batch == [scorer.score_batch([t])[0] for t in texts]


def test_train_from_pairs_writes_a_loadable_model(tmp_path: Path) -> None:
    good = [f"спасибо за новость номер {i}, очень полезно" for i in range(20)]
    bad = [f"ты тупой урод номер {i}, заткнись" for i in range(20)]
    pairs = [(t, 0) for t in good] + [(t, 1) for t in bad]
    metrics = train_from_pairs(pairs, tmp_path, folds=3)
    assert metrics["n_samples"] == 40 and metrics["n_toxic"] == 20
    assert metrics["roc_auc_cv"] > 0.9
    scorer = load_embedded_scorer(tmp_path)
    low, high = scorer.score_batch(["спасибо за новость", "ты тупой урод"])
    assert low.scores["toxicity"] < high.scores["toxicity"]
