"""Spam signals that need more than the text: duplicates, posting rates, account age, author history."""

import math
from collections.abc import Sequence
from datetime import timedelta

from moderation.spam.fingerprint import DuplicateIndex, KnownSpam
from moderation.spam.rates import RateCounter
from moderation.spam.signals import Signal, signal
from shared.authors import History
from shared.i18n import NP_
from shared.models import Comment, as_utc
from shared.reasons import Phrase, SpamSignalCode, plural_phrase
from shared.vocabulary import CommentStatus

# Weights are log-odds contributions, like the text signals'. A reader may post a few comments
# in a lively thread, and many readers share a mobile operator's IP, so rates count only above a floor.
AUTHOR_RATE_FLOOR = 3
IP_RATE_FLOOR = 6
# A regional site gets a few hundred comments a day; this many in one window is a flood, and during
# a flood every comment is a little more likely to be part of it.
SITE_FLOOD_FLOOR = 100
FRESH_ACCOUNT = timedelta(minutes=10)
NEW_ACCOUNT = timedelta(days=1)


def _ago(delta: timedelta) -> Phrase:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return plural_phrase(
            "account registered %(minutes)d minute ago",
            "account registered %(minutes)d minutes ago",
            number="minutes",
            minutes=minutes,
        )
    return plural_phrase(
        "account registered %(hours)d hour ago",
        "account registered %(hours)d hours ago",
        number="hours",
        hours=minutes // 60,
    )


def duplicate_signal(count: int, window_s: int) -> Signal | None:
    if count < 1:
        return None
    weight = min(1.5 + 0.5 * math.log2(count), 4.0)
    same = plural_phrase(
        "same text as %(count)d comment in the last %(minutes)d min",
        "same text as %(count)d comments in the last %(minutes)d min",
        number="count",
        count=count,
        minutes=window_s // 60,
    )
    return signal("duplicate", weight, same, details={"count": count})


def known_spam_signal(count: int, best: float) -> Signal | None:
    """A (reworded) copy of spam this site's moderators rejected: alone enough for review, and the more
    copies were rejected the surer."""
    if count < 1:
        return None
    weight = min(3.0 + 2.0 * best + 0.5 * math.log2(count), 5.0)
    words = plural_phrase(
        "%(percent)d%% like %(count)d spam comment moderators rejected",
        "%(percent)d%% like %(count)d spam comments moderators rejected",
        number="count",
        count=count,
        percent=round(best * 100),
    )
    return signal(SpamSignalCode.KNOWN_SPAM, round(weight, 2), words, details={"count": count, "similarity": best})


# Whose posting rate a rate signal counts, in the words of its message.
_RATE_WORDS = {
    "rate_author": NP_(
        "%(count)d comment from this author in %(minutes)d min",
        "%(count)d comments from this author in %(minutes)d min",
    ),
    "rate_ip": NP_(
        "%(count)d comment from this IP address in %(minutes)d min",
        "%(count)d comments from this IP address in %(minutes)d min",
    ),
}


def rate_signal(code: str, count: int, floor: int, per: float, window_s: int) -> Signal | None:
    if count <= floor:
        return None
    weight = min(per * (count - floor), 3.0)
    one, many = _RATE_WORDS[code]
    words = plural_phrase(one, many, number="count", count=count, minutes=window_s // 60)
    return signal(code, weight, words, details={"count": count})


def site_flood_signal(count: int, window_s: int) -> Signal | None:
    if count <= SITE_FLOOD_FLOOR:
        return None
    weight = min(0.5 + 0.5 * math.log2(count / SITE_FLOOD_FLOOR), 1.5)
    flood = plural_phrase(
        "a flood: %(count)d comment on this site in %(minutes)d min",
        "a flood: %(count)d comments on this site in %(minutes)d min",
        number="count",
        count=count,
        minutes=window_s // 60,
    )
    return signal("rate_site", weight, flood, details={"count": count})


def account_signal(comment: Comment) -> Signal | None:
    registered = as_utc(comment.author_registered_at)
    if registered is None:
        return None
    age = as_utc(comment.posted_at or comment.created_at) - registered
    if age < FRESH_ACCOUNT:
        return signal("new_account", 1.5, _ago(age), details={"age_s": int(age.total_seconds())})
    if age < NEW_ACCOUNT:
        return signal("new_account", 0.7, _ago(age), details={"age_s": int(age.total_seconds())})
    return None


def history_signal(counts: dict[str, int]) -> Signal | None:
    approved, rejected = counts.get(CommentStatus.APPROVED, 0), counts.get(CommentStatus.REJECTED, 0)
    if rejected >= 2:
        words = plural_phrase(
            "author has %(count)d rejected comment",
            "author has %(count)d rejected comments",
            number="count",
            count=rejected,
        )
        return signal("author_history", min(0.5 * rejected, 2.0), words, details=counts)
    if approved >= 3 and not rejected:
        words = plural_phrase(
            "author has %(count)d approved comment and none rejected",
            "author has %(count)d approved comments and none rejected",
            number="count",
            count=approved,
        )
        return signal("author_history", -1.5, words, details=counts)
    return None


class ContextSignals:
    """Duplicates and rates kept in Redis (shared by all workers), history from the database.

    The two counters must use the same Redis: their commands share pipelines.
    """

    def __init__(
        self,
        duplicates: DuplicateIndex,
        rates: RateCounter,
        *,
        duplicate_window_s: int,
        rate_window_s: int,
        known: KnownSpam | None = None,
    ) -> None:
        self.duplicates, self.rates = duplicates, rates
        self.known = known or KnownSpam(duplicates.redis)
        self.duplicate_window_s, self.rate_window_s = duplicate_window_s, rate_window_s

    def for_batch(self, comments: Sequence[Comment], history: History, *, record: bool = True) -> list[list[Signal]]:
        """Every context signal that fires, per comment; records the comments in the counters
        (idempotently), each counting those before it. With record=False they are counted against
        what is recorded but leave no trace themselves. Two round trips for the whole batch (one
        with record=False): the duplicate and known-spam lookups, then the writes with the posting rates."""
        now = [as_utc(c.created_at).timestamp() for c in comments]
        window = self.rate_window_s
        hashed = self.duplicates.hash_many([(c.site_id, c.id, c.text, t) for c, t in zip(comments, now, strict=True)])
        keyed = [(c, t, who, key) for c, t in zip(comments, now, strict=True) for who, key in _rate_keys(c)]
        hits = [(key, str(c.id), t, window) for c, t, _, key in keyed]
        known = self.known.signatures([(c.site_id, c.text) for c in comments])
        with self.duplicates.redis.pipeline(transaction=False) as pipe:
            looked_up = self.duplicates.queue_lookups(pipe, hashed)
            sites = self.known.queue_lookups(pipe, known)
            if not record:
                self.rates.queue_counts(pipe, hits)
            replies = pipe.execute()
        duplicates = self.duplicates.counts(hashed, replies[:looked_up])
        matches = self.known.matches(known, sites, replies[looked_up : looked_up + len(sites)])
        replies = replies[:looked_up] + replies[looked_up + len(sites) :]
        if record:
            with self.duplicates.redis.pipeline() as pipe:  # MULTI: the rate hits count in order
                recorded = self.duplicates.queue_record(pipe, hashed)
                layout = self.rates.queue_hits(pipe, hits)
                rates = self.rates.hit_counts(pipe.execute()[recorded:], layout)
        else:
            rates = self.rates.counts(hits, replies[looked_up:])
        counts: dict[tuple[int, str], int] = {
            (c.id, who): count for (c, _, who, _), count in zip(keyed, rates, strict=True)
        }
        return [
            self._signals(c, duplicates[i], counts, history) + _present(known_spam_signal(*matches[i]))
            for i, c in enumerate(comments)
        ]

    def _signals(
        self, comment: Comment, duplicates: int, counts: dict[tuple[int, str], int], history: History
    ) -> list[Signal]:
        window = self.rate_window_s
        found = [
            duplicate_signal(duplicates, self.duplicate_window_s),
            rate_signal("rate_author", counts[(comment.id, "author")], AUTHOR_RATE_FLOOR, 0.6, window),
            rate_signal("rate_ip", counts[(comment.id, "ip")], IP_RATE_FLOOR, 0.4, window)
            if comment.author_ip
            else None,
            site_flood_signal(counts[(comment.id, "site")], window),
            account_signal(comment),
            history_signal(history.get((comment.site_id, comment.author_id), {})),
        ]
        return [signal for signal in found if signal is not None]


def _present(found: Signal | None) -> list[Signal]:
    return [found] if found is not None else []


def _rate_keys(comment: Comment) -> list[tuple[str, str]]:
    """What a comment counts towards: its author, its IP (when known) and its site."""
    keys = [("author", f"author:{comment.site_id}:{comment.author_id}"), ("site", f"site:{comment.site_id}")]
    if comment.author_ip:
        keys.append(("ip", f"ip:{comment.site_id}:{comment.author_ip}"))
    return keys
