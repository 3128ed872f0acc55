"""Posting rates: how many comments one author or one IP posted in the last minutes, in Redis."""

from collections.abc import Sequence
from typing import Any

import redis

Hit = tuple[str, str, float, int]  # key, member, now, window_s


class RateCounter:
    """Sliding-window counts in Redis sorted sets.

    One sorted set per key and window, `{prefix}:{key}:{window_s}`, members scored by time: counting
    the same key over a minute and over an hour keeps both right, since each trims only its own set.
    """

    def __init__(self, redis: redis.Redis, *, prefix: str = "spam:rate") -> None:
        self.redis = redis
        self.prefix = prefix

    def hit(self, key: str, member: str, now: float, window_s: int) -> int:
        """Record `member` (e.g. a comment id) under `key` at `now`; the number of members within the last
        window_s, this one included. Idempotent per member."""
        return self.hit_many([(key, member, now, window_s)])[0]

    def hit_many(self, hits: Sequence[Hit]) -> list[int]:
        """`hit` for many (key, member, now, window_s) in one round trip; each counts the ones before it."""
        with self.redis.pipeline() as pipe:  # MULTI/EXEC: the hits run in order, nothing else in between
            layout = self.queue_hits(pipe, hits)
            return self.hit_counts(pipe.execute(), layout)

    def count_many(self, hits: Sequence[Hit]) -> list[int]:
        """What `hit_many` would answer, without recording the hits (each counts itself and those before it)."""
        with self.redis.pipeline(transaction=False) as pipe:
            self.queue_counts(pipe, hits)
            return self.counts(hits, pipe.execute())

    # The steps of hit_many and count_many, for a caller that shares its round trips with other counters.

    def queue_hits(self, pipe: redis.client.Pipeline, hits: Sequence[Hit]) -> list[int]:
        """Queue the hits; the number of replies each adds (sum: how many; hit_counts reads them). A key
        hit again in the same batch (the site's, for every comment) is trimmed and its expiry set once,
        at its first hit: 4 replies for a key's first hit, 2 after."""
        seen: set[str] = set()
        layout = []
        for key, member, now, window_s in hits:
            name = f"{self.prefix}:{key}:{window_s}"
            first = name not in seen
            seen.add(name)
            self._queue(pipe, name, str(member), now, window_s, first=first)
            layout.append(4 if first else 2)
        return layout

    @staticmethod
    def hit_counts(replies: Sequence[Any], layout: Sequence[int]) -> list[int]:
        """Each hit's count, from the replies to queue_hits (in order, first) and the layout it returned."""
        counts, pos = [], 0
        for size in layout:
            counts.append(int(replies[pos + (2 if size == 4 else 1)]))
            pos += size
        return counts

    def queue_counts(self, pipe: redis.client.Pipeline, hits: Sequence[Hit]) -> int:
        """Queue the counts without recording; how many replies they add (counts reads them)."""
        for key, _member, now, window_s in hits:
            pipe.zcount(f"{self.prefix}:{key}:{window_s}", f"({now - window_s}", now)
        return len(hits)

    @staticmethod
    def counts(hits: Sequence[Hit], replies: Sequence[Any]) -> list[int]:
        before: dict[str, int] = {}
        counts = []
        for (key, _member, _now, window_s), stored in zip(hits, replies, strict=True):
            name = f"{key}:{window_s}"
            before[name] = before.get(name, 0) + 1
            counts.append(int(stored) + before[name])
        return counts

    @staticmethod
    def _queue(
        pipe: redis.client.Pipeline, name: str, member: str, now: float, window_s: int, *, first: bool = True
    ) -> None:
        start = now - window_s
        if first:
            pipe.zremrangebyscore(name, "-inf", start)
        # nx: a retried comment keeps its first time, so a retry never moves it into a later window.
        pipe.zadd(name, {member: now}, nx=True)
        pipe.zcount(name, f"({start}", now)
        if first:
            pipe.expire(name, max(int(window_s), 1))
