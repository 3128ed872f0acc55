"""Near-duplicates: SimHash of the normalised text, and the Redis index that counts a campaign's copies."""

import pytest

from moderation.spam.fingerprint import DuplicateIndex, canonical, simhash

CAMPAIGN = (
    "Меня зовут Анна, я мама в декрете и зарабатываю от 5000 рублей в день не выходя из дома. "
    "Никаких вложений, всё честно. Пишите мне в телеграм @anna_money, расскажу как начать"
)
# What a campaign changes from copy to copy: the name, the contact, the link, numbers, dressing.
COPIES = [
    CAMPAIGN.replace("Анна", "Ольга").replace("@anna_money", "@olga_cash"),
    CAMPAIGN.replace("5000", "7000") + " https://kazino.ru/ref=123",
    CAMPAIGN.replace("а", "a").replace("о", "o"),  # Latin look-alikes
    CAMPAIGN.replace("Меня зовут", "МЕНЯ ЗОВУТ").replace("Никаких вложений", "НИКАКИХ ВЛОЖЕНИЙ"),
    CAMPAIGN.replace("заработок", "з а р а б о т о к").replace("телеграм", "теле\u200bграм"),
    CAMPAIGN.replace(", ", " , ").replace(".", "!!!"),
    "\ufeff" + CAMPAIGN + " 👍👍👍",
]
# A changed word moves about a dozen of ~150 trigrams: a copy like that is found only some of the
# time (see the module docstring); the tests claim only what holds for every text.
UNRELATED = [
    "Дорогу на улице Ленина опять раскопали, третий раз за год. Куда смотрит администрация?",
    "Школу номер пять наконец-то отремонтировали, дети довольны, спасибо директору и родителям.",
    "Мэр опять пообещал, что к первому сентября всё сделают. Посмотрим, что будет на самом деле.",
    "В поликлинике на Октябрьском проспекте очередь к терапевту на две недели вперёд, безобразие.",
    "Завод заработал после модернизации, говорят, наберут ещё триста человек на новые линии.",
]


def _distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def test_simhash_is_64_bits_and_the_same_in_every_process() -> None:
    value = simhash(CAMPAIGN)
    assert 0 <= value < 2**64 and value == simhash(CAMPAIGN)
    assert simhash("") == 0


@pytest.mark.parametrize("copy", COPIES, ids=[f"copy{i}" for i in range(len(COPIES))])
def test_copies_are_within_three_bits(copy: str) -> None:
    assert _distance(simhash(CAMPAIGN), simhash(copy)) <= 3


def test_unrelated_texts_are_far_apart() -> None:
    hashes = [simhash(t) for t in [CAMPAIGN, *UNRELATED]]
    for i, a in enumerate(hashes):
        for b in hashes[i + 1 :]:
            assert _distance(a, b) > 10


def test_canonical_form_drops_what_campaigns_vary() -> None:
    text = "Меня зовут Анна, пишите @anna_money или 8 900 123 45 67, сайт kazino.ru"
    assert canonical(text) == "меня зовут пишите или сайт"
    assert canonical("З А Р А Б О Т О К") == "заработок"


def test_the_same_campaign_is_counted_from_the_second_copy_on(redis_client) -> None:
    index = DuplicateIndex(redis_client)
    counts = [index.add_and_count(1, 100 + i, text, 1000.0 + i) for i, text in enumerate([CAMPAIGN, *COPIES])]
    assert counts == list(range(len(COPIES) + 1))


def test_unrelated_comments_are_not_counted(redis_client) -> None:
    index = DuplicateIndex(redis_client)
    assert [index.add_and_count(1, i, text, 1000.0) for i, text in enumerate([CAMPAIGN, *UNRELATED])] == [0] * 6


def test_calling_again_for_the_same_comment_does_not_count_it_twice(redis_client) -> None:
    index = DuplicateIndex(redis_client)
    assert index.add_and_count(1, 7, CAMPAIGN, 1000.0) == 0
    assert index.add_and_count(1, 7, CAMPAIGN, 1001.0) == 0
    assert index.add_and_count(1, 8, COPIES[0], 1002.0) == 1
    assert index.add_and_count(1, 8, COPIES[0], 1003.0) == 1
    assert index.add_and_count(1, 7, CAMPAIGN, 1004.0) == 1


def test_short_common_comments_are_never_duplicates(redis_client) -> None:
    index = DuplicateIndex(redis_client)
    for i in range(5):
        assert index.add_and_count(1, i, "Спасибо за новость!", 1000.0 + i) == 0
        assert index.add_and_count(1, 10 + i, "Согласен", 1000.0 + i) == 0
    assert redis_client.dbsize() == 0  # not even recorded


def test_sites_are_separate(redis_client) -> None:
    index = DuplicateIndex(redis_client)
    assert index.add_and_count(1, 1, CAMPAIGN, 1000.0) == 0
    assert index.add_and_count(2, 2, CAMPAIGN, 1001.0) == 0
    assert index.add_and_count(1, 3, CAMPAIGN, 1002.0) == 1


def test_the_window_expires(redis_client) -> None:
    index = DuplicateIndex(redis_client, window_s=600)
    assert index.add_and_count(1, 1, CAMPAIGN, 1000.0) == 0
    assert index.add_and_count(1, 2, COPIES[0], 1300.0) == 1
    assert index.add_and_count(1, 3, COPIES[1], 1599.0) == 2
    assert index.add_and_count(1, 4, COPIES[2], 1600.0) == 2  # the first is exactly 600 s old: gone
    assert index.add_and_count(1, 5, COPIES[3], 2500.0) == 0


def test_keys_are_band_sorted_sets_that_expire(redis_client) -> None:
    index = DuplicateIndex(redis_client, window_s=600, prefix="t:dup")
    index.add_and_count(3, 42, CAMPAIGN, 1000.0)
    keys = sorted(k.decode() for k in redis_client.keys("t:dup:3:*"))
    assert len(keys) == 4 and [k.split(":")[3] for k in keys] == ["0", "1", "2", "3"]
    value = simhash(CAMPAIGN)
    for key in keys:
        assert redis_client.zrange(key, 0, -1, withscores=True) == [(f"42:{value:016x}".encode(), 1000.0)]
        assert 0 < redis_client.ttl(key) <= 600


def test_max_distance_below_the_band_count() -> None:
    with pytest.raises(ValueError):
        DuplicateIndex(None, max_distance=4)  # type: ignore[arg-type]


def test_a_batch_counts_like_one_comment_at_a_time(redis_client):
    texts = [COPIES[0], "Совсем другой комментарий о ремонте дороги на улице Ленина, давно пора", COPIES[1], COPIES[2]]
    one_by_one = DuplicateIndex(redis_client, prefix="one")
    batched = DuplicateIndex(redis_client, prefix="batch")

    expected = [one_by_one.add_and_count(1, n, text, 1000.0 + n) for n, text in enumerate(texts)]

    assert batched.add_and_count_many([(1, n, text, 1000.0 + n) for n, text in enumerate(texts)]) == expected
    assert expected == [0, 0, 1, 2]


def test_a_batch_spanning_more_than_the_window_counts_only_what_is_inside_it(redis_client):
    index = DuplicateIndex(redis_client, window_s=3600)
    items = [(1, n, COPIES[0], n * 1800.0) for n in range(5)]  # 30 minutes apart

    assert index.add_and_count_many(items) == [0, 1, 1, 1, 1]
