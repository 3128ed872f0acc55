"""Each category from its own evidence, on clear examples and on look-alikes that must not fire;
the cascade sends on only the unsure band, and the verdict uses the combined score."""

import pytest

from moderation.pipeline.policy import Policy, decide
from moderation.scoring import load_embedded_scorer, scored_categories
from moderation.scoring.embedded import EmbeddedScorer, category_scores
from moderation.scoring.lexicon import Match
from shared.settings import PolicySettings
from shared.vocabulary import Decision

DEFAULTS = PolicySettings()
POLICY = Policy(review=dict(DEFAULTS.review), reject=dict(DEFAULTS.reject))
# A clear example scores at least this: over the default reject threshold for mat and threats,
# over the review one (a human looks) for insults and attacks on a group.
CLEAR = {"obscene": 0.9, "threat": 0.9, "insult": 0.8, "identity_attack": 0.8}
QUIET = 0.5  # a look-alike stays under the default review threshold in that category


@pytest.fixture(scope="module")
def scorer() -> EmbeddedScorer:
    loaded = load_embedded_scorer()
    assert isinstance(loaded, EmbeddedScorer)
    return loaded


@pytest.fixture(scope="module")
def fast(scorer: EmbeddedScorer) -> EmbeddedScorer:
    """The same model without its second stage: what the first stage alone says."""
    return EmbeddedScorer(cascade=False)


def score(scorer, text: str) -> dict[str, float]:
    return scorer.score_batch([text])[0].scores


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Таких как ты надо расстреливать", "threat"),
        ("Я тебя найду и ноги переломаю", "threat"),
        ("Главу района пора вешать на фонарях", "threat"),
        ("приезжие понаехали, гнать их", "identity_attack"),
        ("Мигрантов надо гнать из города", "identity_attack"),
        ("Чурки весь рынок захватили", "identity_attack"),
        ("Ты тупой идиот, читать научись", "insult"),
        ("Автор статьи — бездарь и дебил", "insult"),
        ("Пиздец, а не дорога", "obscene"),
        ("Заебали уже с этими пробками", "obscene"),
        ("I will kill you, you hear me", "threat"),
        ("You are a stupid worthless idiot", "insult"),
        ("What the fuck is this shit", "obscene"),
        ("Those niggers should go back", "identity_attack"),
    ],
)
def test_a_clear_example_scores_its_category(scorer, text: str, category: str) -> None:
    result = scorer.score_batch([text])[0]
    assert result.scores[category] >= CLEAR[category], result.scores
    assert result.evidence[category], "a category's score names its evidence"


@pytest.mark.parametrize(
    ("text", "quiet"),
    [
        ("убийство раскрыли", ("threat", "identity_attack", "obscene")),
        ("Убийство на Садовой раскрыли за сутки", ("threat", "identity_attack", "obscene")),
        ("стреляли в тире", ("threat", "identity_attack", "obscene", "insult")),
        ("евреи, татары, русские — все вместе строили город", ("identity_attack", "threat", "obscene", "insult")),
        ("ПОЧЕМУ В ГОРОДЕ ОПЯТЬ НЕТ ГОРЯЧЕЙ ВОДЫ?!", ("toxicity", "threat", "identity_attack", "obscene", "insult")),
        ("Надо убить время до поезда, посоветуйте кафе", ("threat",)),
        ("The police arrested a man who threatened to kill his neighbour", ("obscene", "identity_attack")),
    ],
)
def test_a_look_alike_does_not_fire_and_is_not_rejected(scorer, text: str, quiet: tuple[str, ...]) -> None:
    scores = score(scorer, text)
    for category in quiet:
        assert scores[category] < QUIET, (category, scores)
    decision, reasons = decide(scores, POLICY)
    assert decision != Decision.REJECT, reasons


def test_migrants_driven_out_is_an_identity_attack_and_not_approved(scorer) -> None:
    result = scorer.score_batch(["приезжие понаехали, гнать их"])[0]
    decision, reasons = decide(result.scores, POLICY, result.evidence)
    assert decision != Decision.APPROVE
    assert any(r.category == "identity_attack" for r in reasons)
    assert [m.category for m in result.matches] == ["identity_attack"]


def test_a_call_to_shoot_is_a_clear_threat_with_its_words_as_evidence(scorer) -> None:
    result = scorer.score_batch(["Таких как ты надо расстреливать"])[0]
    decision, reasons = decide(result.scores, POLICY, result.evidence)
    assert decision == Decision.REJECT
    threat = next(r for r in reasons if r.category == "threat")
    assert "words" in threat.details["evidence"]
    assert "evidence: words and patterns" in threat.message or "evidence: words" in threat.message
    assert any(m.category == "threat" and "расстреливать" in m.word for m in result.matches)


def test_a_category_no_evidence_scores_in_russian_is_absent_and_listed(scorer) -> None:
    ru = scorer.score_batch(["Спасибо за статью, очень полезно"])[0]
    en = scorer.score_batch(["Thanks for the article, very useful"])[0]

    assert "severe_toxicity" not in ru.scores and ru.not_scored == ("severe_toxicity",)
    assert "severe_toxicity" in en.scores and en.not_scored == ()
    assert "severe_toxicity" not in scored_categories(scorer, "ru")
    assert "severe_toxicity" in scored_categories(scorer, "en")


def test_a_category_is_never_a_share_of_toxicity() -> None:
    # Without words, patterns or a model, toxicity alone says nothing about the categories.
    scores, evidence, _ = category_scores(0.99, (), {}, None, ("ru",))
    assert all(scores[c] == 0.01 for c in ("obscene", "insult", "threat", "identity_attack"))
    assert scores["toxicity"] == 0.85  # unexplained: held for review, never rejected
    assert evidence["threat"] == ()
    hit, hit_evidence, _ = category_scores(0.1, (Match("threat", "надо расстреливать", 0, 18),), {}, None, ("ru",))
    assert hit["threat"] >= 0.9 and hit_evidence["threat"] == ("words",)


def test_the_cascade_sends_on_only_the_unsure_band(scorer, fast) -> None:
    texts = [
        "Спасибо за статью, очень полезно",
        "Ты тупой урод и дебил, заткнись уже, мразь",
        "Администрация опять сорвала сроки, это позор",
        "Чиновники опять врут, доверия к ним нет",
        "Депутаты совсем обнаглели, пора их гнать",
        "Какой же бред пишут в этой газете",
        "Опять эти клоуны из мэрии",
        "Хорошая погода сегодня",
        "Да кому вы нужны со своими выборами",
        "Ну и дыра этот ваш город",
        "You are a stupid fucking moron",
        "This is the dumbest thing I have read",
    ]
    assert scorer.heads is not None and scorer.encoder is not None
    low, high = scorer.heads.band
    fast_results = fast.score_batch(texts)
    first = [r.scores["toxicity"] for r in fast_results]
    without_words = [not r.matches for r in fast_results]
    expected = [
        t
        for t, p, bare in zip(texts, first, without_words, strict=True)
        if low <= p <= high or (scorer.heads.above_without_words and p > high and bare)
    ]
    assert 0 < len(expected) < len(texts), (scorer.heads.band, first)
    sent: list[str] = []
    real = scorer.encoder.encode
    scorer.encoder.encode = lambda batch: sent.extend(batch) or real(batch)  # type: ignore[method-assign]
    try:
        results = scorer.score_batch(texts)
    finally:
        scorer.encoder.encode = real  # type: ignore[method-assign]

    assert sent == expected
    for text, result, p in zip(texts, results, first, strict=True):
        if text in expected:
            assert "encoder" in result.evidence["toxicity"]
        else:
            assert result.scores["toxicity"] == pytest.approx(p, abs=1e-4)
            assert "encoder" not in result.evidence["toxicity"]


def test_the_verdict_uses_the_combined_score(scorer, fast) -> None:
    text = next(
        t
        for t in (
            "Депутаты совсем обнаглели, пора их гнать",
            "Ну и дыра этот ваш город",
            "Сидите там в своих кабинетах и ничего не делаете",
        )
        if scorer.heads.band[0] <= fast.score_batch([t])[0].scores["toxicity"] <= scorer.heads.band[1]
    )
    first = fast.score_batch([text])[0].scores["toxicity"]
    combined = scorer.score_batch([text])[0]
    assert combined.scores["toxicity"] != pytest.approx(first, abs=1e-3)
    # A review threshold between the two scores: the decision follows the combined one.
    threshold = (first + combined.scores["toxicity"]) / 2
    policy = Policy(review={"toxicity": threshold}, reject={})
    decision, reasons = decide(combined.scores, policy, combined.evidence)
    expected = Decision.REVIEW if combined.scores["toxicity"] >= threshold else Decision.APPROVE
    assert decision == expected
    if reasons:
        assert reasons[0].score == combined.scores["toxicity"]
        assert "encoder" in reasons[0].details["evidence"]
