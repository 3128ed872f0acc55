"""The transformers backend: any local sequence-classification folder, labels mapped to our categories."""

from pathlib import Path

import pytest

from moderation.scoring import scored_categories
from moderation.scoring.backends import ScorerLoadError, get_scorer
from moderation.scoring.transformers_backend import TransformersScorer
from shared.categories import CATEGORIES
from shared.settings import ToxicitySettings, TransformersSettings
from tests.support.tiny_models import block_network, build_classifier

FRIENDLY = "Спасибо за статью, очень интересно"
ABUSIVE = "Ты тупой урод и дебил, мразь"
ENGLISH = "Thanks for the article, hello world"
LONG = "новость " * 200  # far more tokens than the tiny model's 64 positions
LABEL_MAP = {"toxic": "toxicity", "insult": "insult"}


def _settings(folder: Path, label_map: dict[str, str] | None = None) -> ToxicitySettings:
    transformers = TransformersSettings(model_path=str(folder), label_map=LABEL_MAP if label_map is None else label_map)
    return ToxicitySettings(backend="transformers", transformers=transformers)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_classifier(tmp_path_factory.mktemp("models") / "tiny-toxic", ["toxic", "insult", "neutral"])


@pytest.fixture(scope="module")
def loaded(folder: Path) -> tuple[TransformersScorer, list[object]]:
    """The scorer as a worker gets it, loaded while every non-loopback connection fails."""
    with pytest.MonkeyPatch.context() as mp:
        attempts = block_network(mp)
        scorer = get_scorer(_settings(folder))
    return scorer, attempts  # type: ignore[return-value]


@pytest.fixture
def scorer(loaded: tuple[TransformersScorer, list[object]]) -> TransformersScorer:
    return loaded[0]


def test_loads_the_local_folder_offline(loaded: tuple[TransformersScorer, list[object]]) -> None:
    scorer, attempts = loaded
    assert attempts == []
    assert scorer.name == "transformers:tiny-toxic"
    assert len(scorer.version) == 12
    assert scorer.labels == ["toxic", "insult", "neutral"]


def test_version_follows_the_weights(folder: Path, tmp_path: Path, scorer: TransformersScorer) -> None:
    other = build_classifier(tmp_path / "tiny-toxic", ["toxic", "insult", "neutral", "spam"])
    assert TransformersScorer(_settings(other).transformers).version != scorer.version


def test_mapped_labels_become_categories_and_the_rest_are_not_scored(scorer: TransformersScorer) -> None:
    results = scorer.score_batch([FRIENDLY, ENGLISH, LONG])
    for result in results:
        assert set(result.scores) == {"toxicity", *LABEL_MAP.values()}
        assert all(0.0 <= s <= 1.0 for s in result.scores.values())
        assert set(result.not_scored) == set(CATEGORIES) - set(result.scores)


def test_multi_label_models_get_a_sigmoid_per_label(scorer: TransformersScorer) -> None:
    probs = scorer._probabilities([FRIENDLY, ENGLISH])
    assert probs.shape == (2, 3)
    assert ((probs > 0) & (probs < 1)).all()
    assert not probs.sum(dim=1).sub(1).abs().lt(1e-4).all()  # not a softmax


def test_single_label_models_get_a_softmax(tmp_path: Path) -> None:
    folder = build_classifier(tmp_path / "binary", ["neutral", "toxic"], problem_type="single_label_classification")
    scorer = TransformersScorer(_settings(folder, {"toxic": "toxicity", "neutral": "threat"}).transformers)
    for result in scorer.score_batch([FRIENDLY, ENGLISH]):  # no lexicon hits: both are the model's
        assert result.scores["toxicity"] + result.scores["threat"] == pytest.approx(1.0, abs=2e-4)


def test_one_model_call_per_batch_and_deterministic(
    scorer: TransformersScorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [FRIENDLY, ABUSIVE, ENGLISH]
    first = scorer.score_batch(texts)
    calls: list[int] = []
    real_forward = scorer.model.forward

    def counting_forward(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real_forward(*args, **kwargs)

    monkeypatch.setattr(scorer.model, "forward", counting_forward)
    assert scorer.score_batch(texts) == first
    assert calls == [1]
    assert scorer.score_batch([]) == []
    assert calls == [1]


def test_reports_lexicon_matches_and_languages(scorer: TransformersScorer) -> None:
    abusive, english = scorer.score_batch([ABUSIVE, ENGLISH])
    assert {(m.category, m.word) for m in abusive.matches} >= {("insult", "тупой"), ("insult", "мразь")}
    assert abusive.scores["insult"] >= 0.8  # the model's insult, lifted to the lexicon floor
    assert abusive.languages == ("ru",)
    assert english.languages == ("en",)


def test_an_unknown_label_names_the_setting_and_the_model_labels(folder: Path) -> None:
    with pytest.raises(ScorerLoadError, match=r"MOD_TOXICITY__TRANSFORMERS__LABEL_MAP.*'obscenity'.*'neutral'"):
        get_scorer(_settings(folder, {"toxic": "toxicity", "obscenity": "obscene"}))


def test_an_unknown_category_names_the_setting(folder: Path) -> None:
    with pytest.raises(ScorerLoadError, match=r"MOD_TOXICITY__TRANSFORMERS__LABEL_MAP.*'spam'"):
        get_scorer(_settings(folder, {"toxic": "spam"}))


def test_an_empty_label_map_names_the_setting(folder: Path) -> None:
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__TRANSFORMERS__LABEL_MAP is empty"):
        get_scorer(_settings(folder, {}))


def test_a_missing_model_folder_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__TRANSFORMERS__MODEL_PATH"):
        get_scorer(_settings(tmp_path / "nowhere"))
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__TRANSFORMERS__MODEL_PATH is not set"):
        get_scorer(ToxicitySettings(backend="transformers"))


def test_declares_toxicity_and_the_mapped_categories_as_scored(scorer: TransformersScorer) -> None:
    assert set(scored_categories(scorer, "ru")) == {"toxicity", *LABEL_MAP.values()}
