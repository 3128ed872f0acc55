"""The spam classifier: starts at zero, learns from moderators' decisions, round-trips through bytes."""

import io
import random
import re

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from lab.spam.stream import CAMPAIGN_NAMES, campaign_spam, spam_texts
from moderation.spam.classifier import SpamModel, train_spam_model

# A campaign none of the generated ones resembles: a product name plus a Telegram handle.
NEW_CAMPAIGN = [
    "Новинка! Пылесос ТурбоКлин 3000 за полцены, пиши в телегу @turboclean_shop",
    "Только сегодня ТурбоКлин 3000 со скидкой 70%! пиши в тг @turboclean_shop",
    "ТурбоКлин 3000 — лучший пылесос года, заказ в телеге @turboclean_shop",
    "Купи ТурбоКлин 3000 пока есть в наличии, пиши @turboclean_shop",
    "Пылесос ТурбоКлин 3000 с доставкой по городу, телега @turboclean_shop",
    "ТурбоКлин 3000 скидка для жителей области, пиши в телегу @turboclean_shop",
    "Распродажа ТурбоКлин 3000, успей! тг @turboclean_shop",
    "ТурбоКлин 3000 уберёт всё за 5 минут, пишите в телегу @turboclean_shop",
    "Акция на ТурбоКлин 3000 до конца недели, тг @turboclean_shop",
    "ТурбоКлин 3000 в подарок маме, заказ @turboclean_shop",
]
NEW_CAMPAIGN_PROBE = "Кто хочет ТурбоКлин 3000 за полцены? пиши в телегу @turboclean_shop"

# Legitimate sports comments that say "ставки": what a betting-spam model wrongly flags.
SPORTS_COMMENTS = [
    "Ставки на наш хоккейный клуб в этом сезоне высоки, болеем всем городом",
    "Ставки сделаны, теперь всё решит последний матч с Торпедо",
    "Ставки для команды высоки: вылет из лиги никому не нужен",
    "Тренер сказал, что ставки в этом матче очень высоки, будем болеть",
    "На стадионе говорили только о ставках и прогнозах на финал, а наши проиграли",
]
SPORTS_PROBE = "Ставки в этом матче высоки, весь город болеет за наших"

CLEAN_COMMENTS = [
    "Спасибо за новость, дорогу на Заречной наконец-то отремонтировали",
    "Когда откроют новый детский сад в микрорайоне? Обещали ещё весной",
    "В поликлинике опять очередь с утра, записаться к терапевту невозможно",
    "Хорошо, что мост починили до холодов, теперь до работы быстрее",
    "Были на празднике города с детьми, всё понравилось, салют отличный",
    "Автобус номер пять ходит раз в час, вечером не уехать",
    "Лучше бы деньги на освещение во дворах потратили",
    "Мой дед работал на этом заводе сорок лет, жаль, что его закрывают",
    "Снег опять не убирают, тротуары как каток",
    "Отличная статья, побольше бы таких про историю края",
]

_HAM_OPENERS = (
    "Когда уже отремонтируют",
    "Наконец-то открыли",
    "Сколько можно обещать",
    "Хорошо, что обновили",
    "Давно пора было сделать",
    "Опять перенесли",
    "Ходили вчера посмотреть на",
    "Кто отвечает за",
)
_HAM_PLACES = (
    "дорогу на улице Ленина",
    "мост через реку",
    "новую школу в Заречье",
    "поликлинику на Кирова",
    "остановку у рынка",
    "парк у вокзала",
    "детскую площадку во дворе",
    "библиотеку в центре",
    "стадион на Набережной",
    "котельную в посёлке",
)
_HAM_TAILS = (
    "",
    " Спасибо за новость.",
    " Посмотрим, надолго ли хватит.",
    " У нас во дворе то же самое.",
    " Мэрии стоит обратить внимание.",
    " Были там с детьми, всё понравилось.",
    " Денег, как всегда, нет.",
    " Жители давно просили.",
)


def _ham(rng: random.Random, n: int) -> list[str]:
    """Ordinary local-news comments from templates."""
    return [f"{rng.choice(_HAM_OPENERS)} {rng.choice(_HAM_PLACES)}?{rng.choice(_HAM_TAILS)}" for _ in range(n)]


def _codes(text: str) -> list[str]:
    """Rough signal codes, standing in for the signal detectors."""
    codes = []
    if re.search(r"\d[\d\s()\-]{8,}\d", text):
        codes.append("phone")
    if re.search(r"https?://|www\.|t\s?\.\s?me|\.(ru|com|net|io|top|shop|site|online|xyz|cc|org|pro)\b", text):
        codes.append("link")
    if re.search(r"@\w{3,}", text):
        codes.append("handle")
    return codes


def _learnt(texts: list[str], label: int, model: SpamModel | None = None) -> SpamModel:
    """A model that learnt the texts one moderator decision at a time."""
    model = model or SpamModel.empty()
    for text in texts:
        model.learn_many([(text, _codes(text), label)])
    return model


def test_empty_model_contributes_nothing():
    model = SpamModel.empty()
    assert model.version == 0 and model.examples == 0
    assert model.logit(NEW_CAMPAIGN_PROBE, ["handle"]) == 0.0
    assert model.logits(CLEAN_COMMENTS, [()] * len(CLEAN_COMMENTS)).tolist() == [0.0] * len(CLEAN_COMMENTS)


def test_rejections_of_a_new_campaign_raise_its_logit():
    model = SpamModel.empty()
    before = model.logit(NEW_CAMPAIGN_PROBE, _codes(NEW_CAMPAIGN_PROBE))
    after_5 = _learnt(NEW_CAMPAIGN[:5], 1, model).logit(NEW_CAMPAIGN_PROBE, _codes(NEW_CAMPAIGN_PROBE))
    after_10 = _learnt(NEW_CAMPAIGN[5:], 1, model).logit(NEW_CAMPAIGN_PROBE, _codes(NEW_CAMPAIGN_PROBE))
    assert before == 0.0
    assert after_5 > 1.5  # ~2.4: spam odds x10 from five reports
    assert after_10 > after_5 + 0.4  # ~3.1


def test_the_campaign_is_learnt_from_its_words_not_only_its_signals():
    model = _learnt(NEW_CAMPAIGN[:5], 1)
    assert model.logit(NEW_CAMPAIGN_PROBE) > 1.0  # ~1.9 without the handle signal


def test_approving_false_positives_lowers_their_logit():
    model = _learnt(campaign_spam(random.Random(3), "betting", 20), 1)
    before = model.logit(SPORTS_PROBE)
    after = _learnt(SPORTS_COMMENTS, 0, model).logit(SPORTS_PROBE)
    assert after < before - 1.0  # ~0.5 -> ~-1.5
    betting = campaign_spam(random.Random(9), "betting", 10)
    assert model.logits(betting, [_codes(t) for t in betting]).mean() > 1.0  # the real spam stays spam


def test_unrelated_clean_comments_stay_near_zero():
    model = _learnt(NEW_CAMPAIGN, 1)
    logits = model.logits(CLEAN_COMMENTS, [()] * len(CLEAN_COMMENTS))
    assert np.abs(logits).max() < 0.3
    assert np.abs(logits).mean() < 0.15
    assert model.logit(NEW_CAMPAIGN_PROBE) > 10 * np.abs(logits).mean()


def test_a_learnt_signal_carries_over_to_other_texts():
    model = _learnt(NEW_CAMPAIGN, 1)
    text = "Продаю гараж в кооперативе у реки, пишите"
    assert model.logit(text, ["handle"]) > model.logit(text) + 0.3


def test_learn_many_counts_versions_and_examples():
    model = SpamModel.empty()
    model.learn_many([(t, (), 1) for t in NEW_CAMPAIGN[:3]])
    model.learn_many([(CLEAN_COMMENTS[0], (), 0)])
    model.learn_many([])  # nothing learnt, nothing changes
    assert (model.version, model.examples) == (2, 4)


def test_learn_many_refuses_other_labels():
    with pytest.raises(ValueError):
        SpamModel.empty().learn_many([("текст", (), 2)])


def test_round_trip_through_bytes_keeps_every_logit():
    model = _learnt(NEW_CAMPAIGN, 1)
    _learnt(SPORTS_COMMENTS, 0, model)
    texts = [*CLEAN_COMMENTS, *NEW_CAMPAIGN, NEW_CAMPAIGN_PROBE, SPORTS_PROBE]
    codes = [_codes(t) for t in texts]
    loaded = SpamModel.from_bytes(model.to_bytes())
    assert (loaded.version, loaded.examples, loaded.n_features) == (model.version, model.examples, model.n_features)
    assert np.array_equal(loaded.logits(texts, codes), model.logits(texts, codes))


def test_bytes_are_a_plain_npz_without_pickle():
    data = _learnt(NEW_CAMPAIGN, 1).to_bytes()
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
        assert arrays["values"].dtype == np.float32
    assert len(SpamModel.empty().to_bytes()) < 2_000  # only nonzero weights are stored


def test_bytes_from_other_features_are_refused():
    data = io.BytesIO()
    np.savez(
        data,
        config=np.array('{"n_features": 16}'),
        counters=np.zeros(2, dtype=np.int64),
        bucket_gaps=np.zeros(0, dtype=np.uint32),
        values=np.zeros(0, dtype=np.float32),
    )
    with pytest.raises(ValueError):
        SpamModel.from_bytes(data.getvalue())


def test_batched_logits_equal_one_by_one():
    model = _learnt(NEW_CAMPAIGN, 1)
    texts = [*CLEAN_COMMENTS, *spam_texts(random.Random(2), 40), "", "👍"]
    codes = [_codes(t) for t in texts]
    batched = model.logits(texts, codes)
    single = [model.logit(t, c) for t, c in zip(texts, codes, strict=True)]
    np.testing.assert_allclose(batched, single, rtol=0, atol=1e-6)


def test_retraining_from_scratch_separates_spam_from_ham():
    rng = random.Random(4)
    spam, ham = spam_texts(rng, 300), _ham(rng, 300) + CLEAN_COMMENTS
    examples = [(t, _codes(t), 1) for t in spam] + [(t, _codes(t), 0) for t in ham]
    random.Random(5).shuffle(examples)
    cut = len(examples) * 2 // 3
    model = train_spam_model(examples[:cut], epochs=5, seed=0)
    held_out = examples[cut:]
    scores = model.logits([t for t, _, _ in held_out], [c for _, c, _ in held_out])
    assert roc_auc_score([label for _, _, label in held_out], scores) > 0.9
    assert (model.version, model.examples) == (1, cut)


def test_what_is_learnt_from_some_campaigns_carries_over_to_others():
    rng = random.Random(6)
    seen, unseen = CAMPAIGN_NAMES[:4], CAMPAIGN_NAMES[4:]
    train = [(t, 1) for c in seen for t in campaign_spam(rng, c, 60)] + [(t, 0) for t in _ham(rng, 240)]
    test = [(t, 1) for c in unseen for t in campaign_spam(rng, c, 60)] + [(t, 0) for t in _ham(rng, 180)]
    model = train_spam_model([(t, _codes(t), label) for t, label in train])
    scores = model.logits([t for t, _ in test], [_codes(t) for t, _ in test])
    assert roc_auc_score([label for _, label in test], scores) > 0.85


def test_training_is_reproducible():
    examples = [(t, _codes(t), 1) for t in NEW_CAMPAIGN] + [(t, (), 0) for t in CLEAN_COMMENTS]
    assert train_spam_model(examples, seed=1).to_bytes() == train_spam_model(examples, seed=1).to_bytes()
