"""The Detoxify backend: the real detoxify.Detoxify class loads a tiny checkpoint with the network cut off."""

import sys
from pathlib import Path

import huggingface_hub.constants
import pytest
from detoxify import Detoxify

from moderation.scoring import scored_categories
from moderation.scoring.backends import ScorerLoadError, get_scorer
from moderation.scoring.detoxify_backend import DetoxifyScorer
from shared.categories import CATEGORIES
from shared.settings import DetoxifySettings, ToxicitySettings
from tests.support.tiny_models import (
    TinyDetoxify,
    block_network,
    build_detoxify_checkpoint,
    build_multilingual_checkpoint,
)

FRIENDLY = "Спасибо за статью, очень интересно"
ABUSIVE = "Ты тупой урод и дебил, мразь"
ENGLISH = "Thanks for the article, hello world"
DISGUISED = "ну ты и хyйлo"  # Latin y and o: the lexicon's normaliser still sees the word
LONG = "новость " * 200  # far more tokens than the tiny model's 64 positions


def _settings(tiny: TinyDetoxify, **overrides: str | None) -> ToxicitySettings:
    detoxify = {"checkpoint": str(tiny.checkpoint), "huggingface_config_path": str(tiny.config_dir), **overrides}
    return ToxicitySettings(backend="detoxify", detoxify=DetoxifySettings(**detoxify))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyDetoxify:
    return build_detoxify_checkpoint(tmp_path_factory.mktemp("detoxify"))


@pytest.fixture(scope="module")
def loaded(tiny: TinyDetoxify) -> tuple[DetoxifyScorer, list[object]]:
    """The scorer as a worker gets it, loaded while every non-loopback connection fails."""
    with pytest.MonkeyPatch.context() as mp:
        attempts = block_network(mp)
        scorer = get_scorer(_settings(tiny))
    return scorer, attempts  # type: ignore[return-value]


@pytest.fixture
def scorer(loaded: tuple[DetoxifyScorer, list[object]]) -> DetoxifyScorer:
    return loaded[0]


def test_the_real_detoxify_class_loads_the_checkpoint_offline(loaded: tuple[DetoxifyScorer, list[object]]) -> None:
    scorer, attempts = loaded
    assert attempts == []
    assert isinstance(scorer.detoxify, Detoxify)
    assert scorer.detoxify.class_names == [*CATEGORIES[:3], "threat", "insult", "identity_attack"]
    assert scorer.name == "detoxify-multilingual"
    assert len(scorer.version) == 12


def test_detoxify_alone_would_go_to_the_hub_for_the_base_config(
    tiny: TinyDetoxify, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Why the loader rewrites model_type: given the same files, Detoxify asks for "bert-base-uncased".
    block_network(monkeypatch)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(OSError):  # "couldn't find them in the cached files"
        Detoxify(checkpoint=str(tiny.checkpoint), huggingface_config_path=str(tiny.config_dir))


def test_scores_every_category_between_0_and_1(scorer: DetoxifyScorer) -> None:
    results = scorer.score_batch([FRIENDLY, ABUSIVE, ENGLISH, DISGUISED, LONG])
    assert len(results) == 5
    for result in results:
        assert set(result.scores) == set(CATEGORIES)
        assert all(0.0 <= s <= 1.0 for s in result.scores.values())


def test_one_predict_call_per_batch(scorer: DetoxifyScorer, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real_predict = scorer.detoxify.predict

    def counting_predict(texts: list[str]) -> dict:
        calls.append(len(texts))
        return real_predict(texts)

    monkeypatch.setattr(scorer.detoxify, "predict", counting_predict)
    scorer.score_batch([FRIENDLY, ABUSIVE, ENGLISH])
    assert calls == [3]
    assert scorer.score_batch([]) == []
    assert calls == [3]


def test_deterministic_across_calls_loads_and_batch_sizes(scorer: DetoxifyScorer, tiny: TinyDetoxify) -> None:
    texts = [FRIENDLY, ABUSIVE, ENGLISH]
    first = scorer.score_batch(texts)
    assert scorer.score_batch(texts) == first
    assert DetoxifyScorer(_settings(tiny).detoxify).score_batch(texts) == first
    alone = scorer.score_batch([ABUSIVE])[0]  # a batch of one: predict() returns floats, not lists
    assert alone.scores == pytest.approx(first[1].scores, abs=2e-4)


def test_reports_lexicon_matches_and_lifts_their_categories(scorer: DetoxifyScorer) -> None:
    abusive, disguised = scorer.score_batch([ABUSIVE, DISGUISED])
    assert {(m.category, m.word) for m in abusive.matches} >= {("insult", "тупой"), ("insult", "мразь")}
    assert abusive.scores["insult"] >= 0.8
    assert [(m.category, m.word) for m in disguised.matches] == [("obscene", "хyйлo")]
    assert disguised.scores["obscene"] >= 0.95


def test_languages_come_from_normalised_text(scorer: DetoxifyScorer) -> None:
    friendly, english, disguised = scorer.score_batch([FRIENDLY, ENGLISH, DISGUISED])
    assert friendly.languages == ("ru",)
    assert english.languages == ("en",)
    assert disguised.languages == ("ru",)


def test_a_toxicity_only_model_leaves_the_other_categories_not_scored(tmp_path: Path) -> None:
    # Like Detoxify's multilingual checkpoint, which has the toxicity class alone.
    tiny = build_detoxify_checkpoint(tmp_path, classes=["toxic"])
    scorer = DetoxifyScorer(_settings(tiny).detoxify)
    for result in scorer.score_batch([FRIENDLY, ABUSIVE]):
        assert set(result.scores) == {"toxicity"}  # never a share of toxicity
        assert set(result.not_scored) == set(CATEGORIES) - {"toxicity"}


def test_a_multilingual_shaped_checkpoint_loads_and_truncates_long_texts(tmp_path: Path) -> None:
    # XLM-R with tokenizer.json alone: no model_max_length, positions offset by 2 (an IndexError if unchecked).
    tiny = build_multilingual_checkpoint(tmp_path)
    scorer = DetoxifyScorer(_settings(tiny).detoxify)
    assert scorer.detoxify.tokenizer.model_max_length == 64
    friendly, long = scorer.score_batch([FRIENDLY, LONG])
    assert set(friendly.scores) == {"toxicity"}
    assert 0.0 <= long.scores["toxicity"] <= 1.0


def test_a_missing_checkpoint_names_its_setting(tiny: TinyDetoxify, tmp_path: Path) -> None:
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__DETOXIFY__CHECKPOINT"):
        get_scorer(_settings(tiny, checkpoint=str(tmp_path / "missing.ckpt")))
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__DETOXIFY__CHECKPOINT is not set"):
        get_scorer(_settings(tiny, checkpoint=None))


def test_a_file_that_is_no_checkpoint_names_its_setting(tiny: TinyDetoxify, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ckpt"
    bogus.write_bytes(b"not a checkpoint")
    with pytest.raises(ScorerLoadError, match=r"MOD_TOXICITY__DETOXIFY__CHECKPOINT=.*not a Detoxify checkpoint"):
        get_scorer(_settings(tiny, checkpoint=str(bogus)))


def test_a_missing_config_folder_names_its_setting(tiny: TinyDetoxify, tmp_path: Path) -> None:
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH"):
        get_scorer(_settings(tiny, huggingface_config_path=str(tmp_path)))
    with pytest.raises(ScorerLoadError, match="MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH is not set"):
        get_scorer(_settings(tiny, huggingface_config_path=None))


def test_without_torch_the_error_says_which_extra_to_install(
    tiny: TinyDetoxify, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "moderation.scoring.detoxify_backend", None)  # import fails as without torch
    with pytest.raises(ScorerLoadError, match=r"install the \[detoxify\] extra"):
        get_scorer(_settings(tiny, device="meta-unused"))


def test_a_toxicity_only_model_declares_what_it_scores(tmp_path: Path) -> None:
    tiny = build_detoxify_checkpoint(tmp_path, classes=["toxic"])
    scorer = DetoxifyScorer(_settings(tiny).detoxify)
    assert scored_categories(scorer, "ru") == ("toxicity",)
