"""Posting rates: sliding windows in Redis sorted sets, one count per member."""

from moderation.spam.rates import RateCounter


def test_counts_members_within_the_window(redis_client) -> None:
    rates = RateCounter(redis_client)
    hits = [rates.hit("author:1:u-7", str(i), now, 60) for i, now in enumerate([0.0, 10.0, 30.0, 59.0])]
    assert hits == [1, 2, 3, 4]


def test_old_members_leave_the_window(redis_client) -> None:
    rates = RateCounter(redis_client)
    for i, now in enumerate([0.0, 10.0, 30.0]):
        rates.hit("ip:1:198.51.100.7", f"c{i}", now, 60)
    assert rates.hit("ip:1:198.51.100.7", "c3", 60.0, 60) == 3  # the one at 0.0 is exactly 60 s old: out
    assert rates.hit("ip:1:198.51.100.7", "c4", 85.0, 60) == 3  # 30, 60, 85
    assert rates.hit("ip:1:198.51.100.7", "c5", 500.0, 60) == 1


def test_the_same_member_counts_once(redis_client) -> None:
    rates = RateCounter(redis_client)
    assert rates.hit("author:1:u-7", "42", 100.0, 60) == 1
    assert rates.hit("author:1:u-7", "42", 101.0, 60) == 1
    assert rates.hit("author:1:u-7", "43", 102.0, 60) == 2
    assert rates.hit("author:1:u-7", "42", 103.0, 60) == 2


def test_a_retry_keeps_the_first_time(redis_client) -> None:
    rates = RateCounter(redis_client)
    rates.hit("author:1:u-7", "42", 100.0, 60)
    rates.hit("author:1:u-7", "42", 150.0, 60)  # redelivered later: still posted at 100
    assert rates.hit("author:1:u-7", "43", 170.0, 60) == 1


def test_keys_and_windows_are_separate(redis_client) -> None:
    rates = RateCounter(redis_client)
    for i in range(5):
        rates.hit("author:1:a", str(i), 1000.0 + i * 100, 3600)
        rates.hit("author:1:a", str(i), 1000.0 + i * 100, 60)
    assert rates.hit("author:1:b", "x", 1450.0, 3600) == 1
    assert rates.hit("author:1:a", "5", 1450.0, 3600) == 6  # the short window's trimming does not touch the hour
    assert rates.hit("author:1:a", "6", 1450.0, 60) == 2  # 1400 and 1450


def test_keys_expire(redis_client) -> None:
    rates = RateCounter(redis_client, prefix="t:rate")
    rates.hit("author:1:a", "1", 1000.0, 60)
    (key,) = redis_client.keys("t:rate:*")
    assert key.startswith(b"t:rate:author:1:a") and 0 < redis_client.ttl(key) <= 60


def test_hit_many_counts_like_one_hit_at_a_time(redis_client):
    hits = [("author:1", str(n), 100.0 + n, 60) for n in range(5)] + [
        ("ip:1", "9", 104.0, 60),
        ("author:1", "2", 105.0, 60),
    ]
    one_by_one = RateCounter(redis_client, prefix="one")
    batched = RateCounter(redis_client, prefix="batch")

    expected = [one_by_one.hit(*hit) for hit in hits]

    assert batched.hit_many(hits) == expected == [1, 2, 3, 4, 5, 1, 5]


def test_counting_without_recording_answers_like_a_hit_and_changes_nothing(redis_client) -> None:
    rates = RateCounter(redis_client)
    for i, now in enumerate([0.0, 10.0]):
        rates.hit("author:1:u-7", f"c{i}", now, 60)

    assert rates.count_many([("author:1:u-7", "x", 20.0, 60), ("author:1:u-7", "y", 21.0, 60)]) == [3, 4]
    assert rates.hit("author:1:u-7", "c2", 22.0, 60) == 3  # x and y left nothing behind
