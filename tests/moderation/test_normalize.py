"""Normalisation: what the model and the lexicon read, and the map back to the original text."""

import pytest

from moderation.scoring.language import detect_languages
from moderation.scoring.normalize import normalize


def _original(text: str, fragment: str) -> str:
    """The original characters behind a fragment of the normalised text."""
    norm = normalize(text)
    start = norm.text.index(fragment)
    o_start, o_end = norm.original_span(start, start + len(fragment))
    return text[o_start:o_end]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ёжик В ТУМАНЕ", "ежик в тумане"),
        ("х.у.й", "хуй"),
        ("х у й л о", "хуйло"),
        ("х-у-й", "хуй"),
        ("xуй", "хуй"),
        ("П1ЗДА", "пизда"),
        ("д@лбоеб", "далбоеб"),
        ("ду\u200bрак", "дурак"),
        ("дууурак", "дурак"),
        ("бляяяяя!", "бля!"),
        ("x.y.й", "хуй"),  # Latin look-alikes split by dots
        ("х*у*й", "хуй"),  # one letter a piece: a split word, not a censored one
        ("бл*ть", "бл*ть"),  # a censored word keeps its mask for the lexicon
        ("п#здец", "п*здец"),  # every mask symbol becomes "*"
        ("е**ть", "е**ть"),
        ("Х%Й", "х*й"),
    ],
)
def test_evasions_are_undone(text: str, expected: str) -> None:
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "the weather is nice today",
        "Цена выросла на 1.5% в 2023 году",
        "Из-за ремонта дорога закрыта, но не надолго",
        "длинношеее? нет, просто длинный",
        "т.е. вот так",
        "т.к. дорогу закрыли, и.о. мэра извинился",
        "и т.д. и т.п.",
        "курс у.е. вырос",
    ],
)
def test_ordinary_text_only_gets_lowercased(text: str) -> None:
    lowered = text.lower()
    if "еее" in lowered:  # three identical letters are squeezed, whatever the word
        lowered = lowered.replace("еее", "е")
    assert normalize(text).text == lowered


def test_english_words_in_russian_text_stay_english() -> None:
    assert "economist" in normalize("The Economist пишет про рубль").text


def test_lookalike_only_word_in_russian_text_becomes_cyrillic() -> None:
    assert normalize("ну ты и cyka, конечно").text == "ну ты и сука, конечно"


def test_offsets_point_into_original_text() -> None:
    text = "Ну ты Х.у.Й, конечно"
    assert _original(text, "хуй") == "Х.у.Й"
    assert _original("ой бляяяя", "бля") == "бляяяя"
    assert _original("ду\u200bрак", "дурак") == "ду\u200bрак"


def test_censored_word_offsets_point_into_original_text() -> None:
    text = "Полный П#ЗДЕЦ, т.е. беда"
    assert _original(text, "п*здец") == "П#ЗДЕЦ"
    assert _original(text, "т.е.") == "т.е."


def test_every_normalised_char_has_an_original_span() -> None:
    text = "ПрИвЕт, x у й\u200b, İstanbul!!!"
    norm = normalize(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.starts, norm.ends, strict=True))


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("Спасибо за статью", ("ru",)),
        ("Thanks for the article", ("en",)),
        ("Спасибо большое, thanks a lot", ("ru", "en")),
        ("xoрoшaя cтaтья, cпacибo", ("ru",)),  # Latin look-alikes inside Russian words
        ("", ("ru",)),
    ],
)
def test_language_decision(text: str, languages: tuple[str, ...]) -> None:
    assert detect_languages(text) == languages
