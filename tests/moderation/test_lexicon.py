"""Lexicon: obscene roots and their evasions are found, ordinary words that contain them are not."""

from pathlib import Path

import pytest

from moderation.scoring.lexicon import find_matches


def _categories(text: str) -> set[str]:
    return {m.category for m in find_matches(text)}


@pytest.mark.parametrize(
    "word",
    [
        "потребляет",
        "страхуй",
        "употреблять",
        "рубля",
        "хулиган",
        "небеса",
        "корабля",
        "оскорблять",
        "ребенок",
        "хлебал",
        "себестоимость",
        "мудрый",
        "похуже",
        "выхухоль",
        "застрахуется",
        "Херсон",
        "мандат",
        "жидкий",
        "хачапури",
        "спидран",
        "учебник",
    ],
)
def test_ordinary_words_are_not_obscene(word: str) -> None:
    assert "obscene" not in _categories(f"Вчера в новостях было слово {word} и ещё одно")


def _innocent_words() -> list[str]:
    path = Path(__file__).with_name("innocent_words.txt")
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


INNOCENT_WORDS = _innocent_words()


def test_the_innocent_word_list_is_big_and_has_no_duplicates() -> None:
    assert len(INNOCENT_WORDS) >= 50
    assert len(set(INNOCENT_WORDS)) == len(INNOCENT_WORDS)


@pytest.mark.parametrize("word", INNOCENT_WORDS)
@pytest.mark.parametrize("template", ["{}", "Вчера в новостях было слово {} и ещё одно", "{}!"])
def test_innocent_words_are_not_obscene(word: str, template: str) -> None:
    assert "obscene" not in _categories(template.format(word))
    assert "obscene" not in _categories(template.format(word.upper()))


@pytest.mark.parametrize(
    "text",
    [
        "Hue and saturation of the photo",
        "a huge human effort",
        "Nguyen Huynh won",
        "his debut",
        "the ebony piano",
        "Nahum said so",
        "global markets",
        "Pisces season",
        "sukiyaki recipe",
        "the gondola lift",
        "a green sepal",
        "epic poet",
    ],
)
def test_english_words_that_look_like_transliterated_mat_are_clean(text: str) -> None:
    assert "obscene" not in _categories(text)


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
        # self-censored with symbols: the whole word, symbols included, is reported
        ("ну ты бл*ть даёшь", "бл*ть"),
        ("какой х*й это писал", "х*й"),
        ("полный п#здец на дороге", "п#здец"),
        ("да е**ть вас всех", "е**ть"),
        ("иди на**й отсюда", "на**й"),
        ("опять б**дь пробки", "б**дь"),
        ("ну и х**", "х**"),
        ("П%ЗДЕЦ какой-то", "П%ЗДЕЦ"),
        ("ты за*бал уже", "за*бал"),
        ("ху*ня полная", "ху*ня"),
        ("это е*аный стыд", "е*аный"),
        ("опять бл@ть", "бл@ть"),
        # look-alikes mixed with dots
        ("иди на x.y.й", "x.y.й"),
        ("ну ты х.y.й", "х.y.й"),
        # transliterated mat in Latin text
        ("what the blyat man", "blyat"),
        ("suka, again", "suka"),
        ("huy tebe", "huy"),
        ("pizdec kakoy-to", "pizdec"),
        ("poshel nahuy", "nahuy"),
        ("vse zaebalo", "zaebalo"),
        ("ty mudak", "mudak"),
        ("blyad, opyat", "blyad"),
        ("polnaya huynya", "huynya"),
        # transliterated mat in Russian text
        ("ну это pizdec конечно", "pizdec"),
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
        "т.е. дорогу откроют, т.к. ремонт закончен, сказал и.о. главы",
        "Instagram* и Facebook* (* принадлежат Meta*, признана экстремистской)",
        "в 2*3 раза больше, рост на 5% и 10%",
        "пишу на C# и F#",
        "слово* со сноской",
    ],
)
def test_near_misses_in_news_are_clean(text: str) -> None:
    assert find_matches(text) == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [("с*ка ты", "insult"), ("ну ты и д*бил", "insult"), ("такая мр*зь", "insult")],
)
def test_censored_insults(text: str, category: str) -> None:
    assert category in _categories(text)


def test_matches_are_in_text_order_and_spans_are_exact() -> None:
    text = "Ты ТУПОЙ, x у й л о, и я тебя убью"
    hits = find_matches(text)
    assert [m.category for m in hits] == ["insult", "obscene", "threat"]
    assert all(text[m.start : m.end] == m.word for m in hits)
