"""Near-duplicate comments: a SimHash of the normalised text, looked up in Redis by LSH bands.

The hash reads character trigrams of the comment's words after normalisation, with what a campaign
changes from copy to copy left out: links, handles, phone numbers and other digits, names (capitalised
words inside a sentence), punctuation, case, look-alike letters, zero-width characters. Copies that
differ only in those are always found. Measured on 6,951 real Russian comments (24 million pairs):
unrelated texts are ~30 bits apart and one pair came within 3 bits (two copies of the same meme).
A changed word is another matter: SimHash bits flip with the share of trigrams that change, so a copy
with one word replaced is within 3 bits in ~20% of short comments, ~50% of 200+ characters and ~80%
of 400+; one changed letter in ~40%, ~80% and ~94%.
"""

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, cast

import numpy as np
import redis

from moderation.scoring.language import count_scripts
from moderation.scoring.normalize import normalize

SHINGLE = 3  # char trigrams: bigrams put long unrelated Russian texts within 3 bits of each other
BANDS = 4
BAND_BITS = 16
MIN_CHARS = 20  # letters and digits: "Спасибо за новость!" is everybody's, not a campaign
Hashed = tuple[int, int, int | None, float]  # site id, comment id, SimHash (None: too short to say), time
Counted = tuple[int, int, int, float]  # one of the Hashed that has a SimHash
MAX_CANDIDATES = 64  # per band key: counts saturate there (the duplicate weight stops growing at 32), and a huge campaign costs no more to check

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC_WORD = re.compile(r"[а-я]")
# A capitalised word after another word or a comma, not after a full stop: a name or a place, the part
# a campaign varies.
_NAME = re.compile(r"(?<=[\w,;:)»\"'\-–—] )[А-ЯЁA-Z][а-яёa-z]+")
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit flips about half the output bits."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@lru_cache(maxsize=256)  # a batch's texts are read twice: for the SimHash, then for the MinHash
def _canonical(text: str) -> tuple[str, int]:
    """The words a near-duplicate must share (normalised, no names, links, handles or digits), and
    how many letters and digits the whole normalised text has."""
    norm = normalize(_NAME.sub(" ", text)).text
    words = _WORD.findall(norm)
    size = sum(map(len, words))
    counts = count_scripts(text)
    if counts.cyrillic > counts.latin:
        # In a Russian comment the Latin or digit tokens are links, handles, phones, prices, dates.
        words = [w for w in words if _CYRILLIC_WORD.search(w)]
    return " ".join(w for w in words if not w.isdigit()), size


def canonical(text: str) -> str:
    """The words a near-duplicate must share: normalised, without names, links, handles or digits."""
    return _canonical(text)[0]


def _simhash_of(canon: str) -> int:
    """64-bit SimHash of a canonical text's character shingles."""
    if not canon:
        return 0
    codes = np.frombuffer(canon.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = max(len(codes) - SHINGLE + 1, 1)
    hashes = np.zeros(n, dtype=np.uint64)
    for k in range(min(SHINGLE, len(codes))):
        hashes = _mix(hashes ^ codes[k : k + n])
    bits = np.unpackbits(hashes.astype("<u8").view(np.uint8).reshape(n, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 > n
    return int(np.packbits(votes, bitorder="little").view("<u8")[0])


def simhash(text: str) -> int:
    """64-bit SimHash over shingles of the NORMALISED text: near-identical texts differ in few bits."""
    return _simhash_of(canonical(text))


def _bands(value: int) -> list[int]:
    mask = (1 << BAND_BITS) - 1
    return [(value >> (BAND_BITS * i)) & mask for i in range(BANDS)]


def _counted(hashed: Sequence[Hashed]) -> list[Counted]:
    """The comments with a SimHash: only those are looked up and recorded."""
    return [(site_id, comment_id, value, now) for site_id, comment_id, value, now in hashed if value is not None]


class DuplicateIndex:
    """Near-duplicate lookup in Redis, constant time per comment: LSH bands of the SimHash in time-windowed keys.

    Each of the 4 bands of 16 bits is a sorted set `{prefix}:{site}:{band}:{value}` of
    "comment_id:simhash_hex" scored by time; two hashes within 3 bits share at least one band.
    Reads and writes are one pipeline each: two comments of a campaign scored at the same moment
    by two workers may not see each other, the third sees both.
    """

    def __init__(
        self, redis: redis.Redis, *, window_s: int = 3600, max_distance: int = 3, prefix: str = "spam:dup"
    ) -> None:
        if max_distance >= BANDS:
            raise ValueError(f"max_distance must be below {BANDS}: only then does a near-duplicate share a band")
        self.redis = redis
        self.window_s = window_s
        self.max_distance = max_distance
        self.prefix = prefix

    def _keys(self, site_id: int, value: int) -> list[str]:
        return [f"{self.prefix}:{site_id}:{band}:{part:04x}" for band, part in enumerate(_bands(value))]

    def add_and_count(self, site_id: int, comment_id: int, text: str, now: float) -> int:
        """How many OTHER comments of this site in the window are (near-)duplicates of this text; records this one.

        Calling it again for the same comment_id does not count it twice.
        """
        return self.add_and_count_many([(site_id, comment_id, text, now)])[0]

    def add_and_count_many(self, items: Sequence[tuple[int, int, str, float]], *, record: bool = True) -> list[int]:
        """`add_and_count` for many (site_id, comment_id, text, now) in two round trips.

        Each item also counts the items before it in the batch, as if they had been added one by one.
        With record=False nothing is added (a comment scored but not stored leaves no trace).
        """
        hashed = self.hash_many(items)
        with self.redis.pipeline(transaction=False) as pipe:
            self.queue_lookups(pipe, hashed)
            counts = self.counts(hashed, pipe.execute())
        if record:
            with self.redis.pipeline() as pipe:
                self.queue_record(pipe, hashed)
                pipe.execute()
        return counts

    # The steps of add_and_count_many, for a caller that shares its round trips with other counters.

    def hash_many(self, items: Sequence[tuple[int, int, str, float]]) -> list[Hashed]:
        return [(site_id, comment_id, self._hash(text), now) for site_id, comment_id, text, now in items]

    def queue_lookups(self, pipe: redis.client.Pipeline, hashed: Sequence[Hashed]) -> int:
        """Queue the reads for these comments (trimming the window first); how many replies they add."""
        counted = _counted(hashed)
        for site_id, _, value, now in counted:
            for key in self._keys(site_id, value):
                pipe.zremrangebyscore(key, "-inf", now - self.window_s)
                pipe.zrevrange(key, 0, MAX_CANDIDATES - 1)
        return len(counted) * 2 * BANDS

    def counts(self, hashed: Sequence[Hashed], replies: Sequence[Any]) -> list[int]:
        """The duplicate count of each comment, from the replies to queue_lookups (in order, first)."""
        counted = _counted(hashed)
        counts: dict[int, int] = {}
        for n, (site_id, comment_id, value, now) in enumerate(counted):
            stored = replies[n * 2 * BANDS + 1 : (n + 1) * 2 * BANDS : 2]
            # Earlier items of this batch are not in Redis yet: compare with those in the window directly.
            earlier = [[f"{c}:{v:016x}" for s, c, v, t in counted[:n] if s == site_id and t > now - self.window_s]]
            counts[comment_id] = len(self._near([*stored, *earlier], comment_id, value))
        return [counts.get(comment_id, 0) for _, comment_id, _, _ in hashed]

    def queue_record(self, pipe: redis.client.Pipeline, hashed: Sequence[Hashed]) -> int:
        """Queue the writes that add these comments; how many replies they add."""
        counted = _counted(hashed)
        for site_id, comment_id, value, now in counted:
            member = f"{comment_id}:{value:016x}"
            for key in self._keys(site_id, value):
                pipe.zadd(key, {member: now}, nx=True)  # a re-scored comment keeps its first time
                pipe.expire(key, max(int(self.window_s), 1))
        return len(counted) * 2 * BANDS

    def _hash(self, text: str) -> int | None:
        """The SimHash of a text long enough to say anything (short ones like "Спасибо!" are everyone's)."""
        canon, size = _canonical(text)
        if size < MIN_CHARS or len(canon.replace(" ", "")) < SHINGLE:
            return None
        return _simhash_of(canon)

    def _near(self, candidates: Iterable[Iterable[bytes | str]], comment_id: int, value: int) -> set[str]:
        """Ids of other comments whose hash is within max_distance of value."""
        near: set[str] = set()
        me = str(comment_id)
        for members in candidates:
            for member in members:
                text = member.decode() if isinstance(member, bytes) else member
                other_id, _, other_hash = text.rpartition(":")
                if other_id == me or other_id in near:
                    continue
                if (int(other_hash, 16) ^ value).bit_count() <= self.max_distance:
                    near.add(other_id)
        return near


# ---------------------------------------------------------------------------------------------
# Spam the site's moderators rejected, remembered for months: a campaign reworded copy by copy
# ("Набираю людей в команду" / "Ищу людей в команду") keeps most of its character 4-grams, which
# SimHash's 3 bits cannot tell. MinHash estimates the share of shared 4-grams (Jaccard) directly.
MINHASH_SHINGLE = 4
MINHASH_PERMUTATIONS = 32
KNOWN_MIN_CHARS = 30
KNOWN_MIN_SIMILARITY = 0.35  # measured: 0.02% of 4,670 forum and chat ham rows reach it against 172 real spam
MAX_KNOWN = 20_000  # per site: the newest are kept (compared in one numpy step: 64 x 20,000 x 32 bytes)
_SEEDS = _mix(np.arange(1, MINHASH_PERMUTATIONS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
_LOW32 = np.uint64(0xFFFFFFFF)


def minhash(text: str) -> np.ndarray | None:
    """MINHASH_PERMUTATIONS 32-bit minima over the character 4-grams of the canonical text (None if too short)."""
    canon, _ = _canonical(text)
    if len(canon.replace(" ", "")) < KNOWN_MIN_CHARS:
        return None
    codes = np.frombuffer(canon.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = len(codes) - MINHASH_SHINGLE + 1
    shingles = np.zeros(n, dtype=np.uint64)
    for k in range(MINHASH_SHINGLE):
        shingles = _mix(shingles ^ codes[k : k + n])
    shingles = np.unique(shingles)
    return (_mix(shingles[None, :] ^ _SEEDS[:, None]) & _LOW32).min(axis=1).astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated share of 4-grams two texts share (Jaccard), from their MinHash signatures."""
    return float(np.mean(a == b))


Known = tuple[int, np.ndarray | None]  # site id, signature


class KnownSpam:
    """Per site, the MinHash signatures of spam its moderators rejected, in Redis for `keep_s`.

    Three keys per site: `{prefix}:{site}:sig` (hash: comment id -> signature), `:t` (sorted set:
    comment id by time, to forget the oldest) and `:v` (a counter bumped by every change). A scoring
    process keeps each site's signatures in memory and reads only the counter with the batch's
    other lookups (one GET per site per batch, in the first pipeline); the signatures are read again
    only after a change. Every signature is compared with every remembered one (numpy), so no
    candidate is missed.
    """

    def __init__(self, redis: redis.Redis, *, keep_s: int = 180 * 86400, prefix: str = "spam:known") -> None:
        self.redis = redis
        self.keep_s = keep_s
        self.prefix = prefix
        self._cache: dict[int, tuple[bytes | None, np.ndarray]] = {}  # site -> (counter, signatures)

    def _key(self, site_id: int, part: str) -> str:
        return f"{self.prefix}:{site_id}:{part}"

    def signatures(self, items: Sequence[tuple[int, str]]) -> list[Known]:
        return [(site_id, minhash(text)) for site_id, text in items]

    def remember(self, items: Sequence[tuple[int, int, str, float]]) -> int:
        """Record rejected spam (site_id, comment_id, text, time); how many were long enough to remember."""
        stored: dict[int, float] = {}
        remembered = 0
        with self.redis.pipeline() as pipe:
            for site_id, comment_id, text, now in items:
                signature = minhash(text)
                if signature is None:
                    continue
                remembered += 1
                pipe.hset(self._key(site_id, "sig"), str(comment_id), signature.tobytes())
                pipe.zadd(self._key(site_id, "t"), {str(comment_id): now})
                stored[site_id] = max(now, stored.get(site_id, now))
            pipe.execute()
        for site_id, now in stored.items():
            self._forget_old(site_id, now)
        return remembered

    def _forget_old(self, site_id: int, now: float) -> None:
        """Drop what is older than keep_s or beyond MAX_KNOWN, bump the counter, refresh the expiries."""
        times = self._key(site_id, "t")
        old: set[bytes] = set(cast(list[bytes], self.redis.zrangebyscore(times, "-inf", now - self.keep_s)))
        old |= set(cast(list[bytes], self.redis.zrange(times, 0, -MAX_KNOWN - 1)))
        with self.redis.pipeline() as pipe:
            if old:
                pipe.hdel(self._key(site_id, "sig"), *old)
                pipe.zrem(times, *old)
            pipe.incr(self._key(site_id, "v"))
            for part in ("sig", "t", "v"):
                pipe.expire(self._key(site_id, part), self.keep_s)
            pipe.execute()

    def queue_lookups(self, pipe: redis.client.Pipeline, known: Sequence[Known]) -> list[int]:
        """Queue one counter read per site of the batch; the sites, in the order of their replies."""
        sites = list(dict.fromkeys(site_id for site_id, signature in known if signature is not None))
        for site_id in sites:
            pipe.get(self._key(site_id, "v"))
        return sites

    def _remembered(self, site_id: int, counter: bytes | None) -> np.ndarray:
        cached = self._cache.get(site_id)
        if cached is not None and cached[0] == counter:
            return cached[1]
        stored = cast(list[bytes], self.redis.hvals(self._key(site_id, "sig"))) if counter is not None else []
        matrix = np.frombuffer(b"".join(stored), dtype=np.uint32).reshape(-1, MINHASH_PERMUTATIONS)
        self._cache[site_id] = (counter, matrix)  # one assignment: safe across a web process's threads
        return matrix

    def matches(self, known: Sequence[Known], sites: Sequence[int], replies: Sequence[Any]) -> list[tuple[int, float]]:
        """Per comment: how many remembered spam texts are near it, and the best similarity."""
        remembered = {
            site_id: self._remembered(site_id, counter) for site_id, counter in zip(sites, replies, strict=True)
        }
        out = []
        for site_id, signature in known:
            matrix = remembered.get(site_id) if signature is not None else None
            if matrix is None or not len(matrix):
                out.append((0, 0.0))
                continue
            shared = (matrix == signature).mean(axis=1)
            near = shared[shared >= KNOWN_MIN_SIMILARITY]
            out.append((len(near), float(near.max()) if len(near) else 0.0))
        return out
