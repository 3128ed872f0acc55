"""Lexicon: obscene roots and their evasions are found, ordinary words that contain them are not."""

import pytest

from moderation.scoring.lexicon import find_matches


def _categories(text: str) -> set[str]:
    return {m.category for m in find_matches(text)}


@pytest.mark.parametrize(
    "word",
    ["потребляет", "страхуй", "употреблять", "рубля", "хулиган", "небеса", "корабля",
     "оскорблять", "ребенок", "хлебал", "себестоимость", "мудрый", "похуже", "выхухоль",
     "застрахуется", "Херсон", "мандат", "жидкий", "хачапури", "спидран", "учебник"],
)
def test_ordinary_words_are_not_obscene(word: str) -> None:
    assert "obscene" not in _categories(f"Вчера в новостях было слово {word} и ещё одно")


def test_friendly_comment_has_no_matches() -> None:
    assert find_matches("Спасибо за статью, очень интересно про кластер") == ()


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("ну ты и х у й л о", "х у й л о"),
        ("xуй тебе", "xуй"),  # Latin x
        ("иди на х.у.й", "х.у.й"),
        ("бляяяя, опять", "бляяяя"),
        ("какая пи\u200bзда", "пи\u200bзда"),  # zero-width space inside
        ("ну п1здец", "п1здец"),
        ("совсем ЗАЕБАЛИ уже", "ЗАЕБАЛИ"),
        ("вот уебок", "уебок"),
        ("долбоёб какой-то", "долбоёб"),
        ("съебался в закат", "съебался"),
        ("он мудак", "мудак"),
        ("fucking hell", "fucking"),
    ],
)
def test_obscene_words_and_evasions_match_with_original_span(text: str, word: str) -> None:
    hits = [m for m in find_matches(text) if m.category == "obscene"]
    assert [m.word for m in hits] == [word]
    assert text[hits[0].start : hits[0].end] == word


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("ты просто дурак", "insult"),
        ("какой же ты идиот", "insult"),
        ("you are an idiot", "insult"),
        ("я тебя убью", "threat"),
        ("найду тебя и зарежу", "threat"),
        ("i will kill you", "threat"),
        ("опять эти хохлы", "identity_attack"),
    ],
)
def test_other_categories(text: str, category: str) -> None:
    assert category in _categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "синдром Дауна лечат у нас в области",
        "пытался убить время в очереди",
        "фермер повесил объявление",
        "дурачиться на празднике",
    ],
)
def test_near_misses_in_news_are_clean(text: str) -> None:
    assert find_matches(text) == ()


def test_matches_are_in_text_order_and_spans_are_exact() -> None:
    text = "Ты ТУПОЙ, x у й л о, и я тебя убью"
    hits = find_matches(text)
    assert [m.category for m in hits] == ["insult", "obscene", "threat"]
    assert all(text[m.start : m.end] == m.word for m in hits)
