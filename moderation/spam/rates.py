"""Posting rates: how many comments one author or one IP posted in the last minutes, in Redis."""

import redis


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
        name = f"{self.prefix}:{key}:{window_s}"
        start = now - window_s
        with self.redis.pipeline() as pipe:  # MULTI/EXEC: one round trip, and no other hit in between
            pipe.zremrangebyscore(name, "-inf", start)
            # nx: a retried comment keeps its first time, so a retry never moves it into a later window.
            pipe.zadd(name, {str(member): now}, nx=True)
            pipe.zcount(name, f"({start}", now)
            pipe.expire(name, max(int(window_s), 1))
            _, _, count, _ = pipe.execute()
        return int(count)
