"""Text normalisation for scoring, with a map from each normalised char back to the original text."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from moderation.scoring.language import count_scripts

_ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_YO = str.maketrans({"ё": "е"})
_NON_CYRILLIC = re.compile(r"[^а-я]")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
_DIGIT = re.compile(r"[0-9]")
_ONE_LETTER_WORDS = frozenset("иаяв")
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")
_MASK = r"[*#%]"  # symbols that stand for censored letters ("бл*ть", "п#здец")
_MASK_TO_STAR = str.maketrans("#%", "**")
_W = r"(?:[^\W_]|@)"  # a word character: letter, digit, or @ (a look-alike of а)
_TOKEN = re.compile(_W + "+")
# \b rather than lookbehinds: the scan runs over every char of every comment, and \b is cheap.
_WORK = re.compile(
    # single letters spaced out, three or more, the same separator each time: "х у й", "х. у. й"
    r"\b(?P<spaced>[^\W_](?P<sep>[ .\-_*|/\\~+'`]{1,3})[^\W_](?:(?P=sep)[^\W_])+)\b"
    # a word with letters masked by symbols ("бл*ть", "п#здец", "х**"): the mask stays, as "*"
    rf"|\b(?P<masked>[^\W\d_]{_W}*(?:{_MASK}+{_W}*)+)"
    # pieces of one or two chars joined by punctuation: "х.у.й", "ху-й", "т.е"
    r"|\b(?P<joined>[^\W_]{1,2}(?P<punct>[.\-_*|/\\~+'`]{1,3})[^\W_]{1,2}"
    r"(?:(?P=punct)[^\W_]{1,2})*)(?![^\W_])"
    # a word with Latin letters, digits or @ in it ("xуй", "п1зда", "д@лбоеб")
    rf"|\b(?P<mixed>[а-я]*+[a-z0-9@]{_W}*)"
    # a word with a letter repeated 3+ times ("дууурак")
    rf"|\b(?P<repeat>[^\W\d_]*?(?P<ch>[^\W\d_])(?P=ch){{2,}}{_W}*)"
)

# Latin letters that look like Cyrillic ones in print; a word made only of these is ambiguous.
_STRONG = dict(zip("acekmhopbtxy", "асекмнорвтху", strict=True))
# Looser look-alikes, trusted only inside a word that already has Cyrillic letters.
_WEAK = dict(zip("uinr", "иипг", strict=True))
_DIGITS = dict(zip("01346", "оизчб", strict=True))
_TO_CYRILLIC = str.maketrans({**_STRONG, **_WEAK, **_DIGITS, "@": "а"})
_LETTERS_TO_CYRILLIC = str.maketrans({**_STRONG, **_WEAK, "@": "а"})


@dataclass(frozen=True)
class Normalized:
    """A normalised text; text[i] came from original[starts[i]:ends[i]]."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty normalised span [start, end) to the original text."""
        return self.starts[start], self.ends[end - 1]


@dataclass
class _Builder:
    """Accumulates output characters with their original spans."""

    chars: list[str]
    starts: list[int]
    ends: list[int]

    def add(self, text: str, starts: list[int], ends: list[int]) -> None:
        """Append text whose chars came from the given original spans."""
        self.chars.append(text)
        self.starts.extend(starts)
        self.ends.extend(ends)


# The toxicity scorer, the spam signals and the site's word lists each normalise the same comment
# in one request. The latest results (immutable) are kept for texts of comment size: about 80 bytes
# per character, so at most 64 x 2,000 characters, 10 MB.
CACHED_CHARS = 2000


def normalize(text: str) -> Normalized:
    """Lowercase, strip zero-width chars, undo look-alikes, glue split words, squeeze repeats."""
    return _normalize_cached(text) if len(text) <= CACHED_CHARS else _normalize(text)


def _normalize(text: str) -> Normalized:
    lowered, starts, ends = _lower(text)
    counts = count_scripts(text)
    prefer_cyrillic = counts.cyrillic > counts.latin
    out = _Builder([], [], [])
    pos = 0
    # Plain Cyrillic words need no work; only regions that might change are looked at.
    for m in _WORK.finditer(lowered):
        first, last = m.span()
        out.add(lowered[pos:first], starts[pos:first], ends[pos:first])
        if m.group("spaced") or m.group("joined"):
            _add_chain(out, lowered, starts, ends, (first, last), prefer_cyrillic)
        elif m.group("masked"):
            word = lowered[first:last].translate(_MASK_TO_STAR)
            _add_word(out, word, starts[first:last], ends[first:last], prefer_cyrillic)
        else:
            _add_word(out, lowered[first:last], starts[first:last], ends[first:last], prefer_cyrillic)
        pos = last
    out.add(lowered[pos:], starts[pos:], ends[pos:])
    return Normalized("".join(out.chars), tuple(out.starts), tuple(out.ends))


_normalize_cached = lru_cache(maxsize=64)(_normalize)


def normalize_text(text: str) -> str:
    """The normalised string alone (what the model reads)."""
    return normalize(text).text


def _lower(text: str) -> tuple[str, list[int], list[int]]:
    """Lowercase, ё->е and drop zero-width chars, keeping each char's original span."""
    lowered = text.lower()
    if len(lowered) == len(text) and not _ZERO_WIDTH.search(text):
        return lowered.translate(_YO), list(range(len(text))), list(range(1, len(text) + 1))
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if _ZERO_WIDTH.match(ch):
            continue
        low = ch.lower().translate(_YO)
        chars.append(low)
        starts.extend([i] * len(low))
        ends.extend([i + 1] * len(low))
    return "".join(chars), starts, ends


def _add_chain(
    out: _Builder,
    lowered: str,
    starts: list[int],
    ends: list[int],
    span: tuple[int, int],
    prefer_cyrillic: bool,
) -> None:
    """Append a split-up word ("х.у.й", "х у й") glued together."""
    tokens = [m.span() for m in _TOKEN.finditer(lowered, span[0], span[1])]
    # "ну и х у й" is "и" + "хуй": peel off one-letter Russian words while 3+ letters are left.
    while len(tokens) > 3 and lowered[tokens[0][0] : tokens[0][1]] in _ONE_LETTER_WORDS:
        tokens = tokens[1:]
    if tokens[0][0] > span[0]:
        head = slice(span[0], tokens[0][0])
        out.add(lowered[head], starts[head], ends[head])
        span = (tokens[0][0], span[1])
    word = "".join(lowered[s:e] for s, e in tokens)
    if not _is_split_word(tokens, word):
        first, last = span
        out.add(lowered[first:last], starts[first:last], ends[first:last])
        return
    w_starts = [x for s, e in tokens for x in starts[s:e]]
    w_ends = [x for s, e in tokens for x in ends[s:e]]
    _add_word(out, word, w_starts, w_ends, prefer_cyrillic)


def _is_split_word(tokens: list[tuple[int, int]], word: str) -> bool:
    """ "х.у.й" is; "из-за", "и я в", "1.5" and "т.е." are not.

    A split word has a one-letter piece, is not all one-letter words or mostly digits, and has
    at least 3 letters: two single letters ("т.е.", "т.к.", "и.о.", "у.е.") are an abbreviation.
    """
    single = any(e - s == 1 for s, e in tokens)
    return (
        single and len(word) >= 3 and not set(word) <= _ONE_LETTER_WORDS and len(_DIGIT.findall(word)) * 2 < len(word)
    )


def _add_word(out: _Builder, word: str, starts: list[int], ends: list[int], prefer_cyrillic: bool) -> None:
    """Append one word with look-alikes resolved and runs of 3+ letters squeezed to one."""
    word = _to_cyrillic(word, prefer_cyrillic)
    pos = 0
    for m in _REPEAT.finditer(word):
        s, e = m.span()
        out.add(word[pos : s + 1], starts[pos : s + 1], [*ends[pos:s], ends[e - 1]])
        pos = e
    out.add(word[pos:], starts[pos:], ends[pos:])


def _to_cyrillic(word: str, prefer_cyrillic: bool) -> str:
    """Turn Latin/digit look-alikes into Cyrillic when the word is Cyrillic or ambiguous."""
    if not _NON_CYRILLIC.search(word):
        return word
    n_cyr = len(_CYRILLIC.findall(word))
    latin = _LATIN.findall(word)
    n_digits = len(_DIGIT.findall(word))
    ambiguous = all(ch in _STRONG for ch in latin)
    # A word of look-alikes only ("cyka") is Russian only in a mostly Russian comment.
    convert = (ambiguous or n_cyr >= len(latin)) if n_cyr else (prefer_cyrillic and bool(latin) and ambiguous)
    if not convert:
        return word
    letters = n_cyr + len(latin)
    return word.translate(_TO_CYRILLIC if n_digits < letters else _LETTERS_TO_CYRILLIC)


# Skeletons are built over a single-byte encoding that has every Cyrillic and Latin letter, so that
# one C-speed translate and one numpy pass do for a hundred thousand texts what regexes did slowly.
_SKELETON_CODEC = "cp1251"
_SEPARATOR = 0  # between the texts of one buffer


def _skeleton_tables() -> tuple[bytes, bytes]:
    """The byte map (look-alikes and ё to Cyrillic) and the bytes to drop (everything not a letter)."""
    table = bytearray(range(256))
    keep = {*"абвгдежзийклмнопрстуфхцчшщъыьэюя".encode(_SKELETON_CODEC), *b"abcdefghijklmnopqrstuvwxyz", _SEPARATOR}
    for source, target in {**_TO_CYRILLIC, **str.maketrans({"ё": "е"})}.items():
        byte = chr(source).encode(_SKELETON_CODEC)[0]
        table[byte] = str(target).encode(_SKELETON_CODEC)[0]
        keep.add(byte)
    return bytes(table), bytes(b for b in range(256) if b not in keep)


_SKELETON_MAP, _SKELETON_DROP = _skeleton_tables()


class Skeletons:
    """Many texts' skeletons, built in one pass: a cheap way to rule out texts that cannot contain a word.

    A skeleton is the text lowercased, look-alikes turned Cyrillic (as the normaliser turns them),
    everything but Cyrillic and Latin letters dropped, and runs of a letter squeezed to one. Each
    step treats a character the same wherever it stands, and the normaliser only lowers, turns
    look-alikes Cyrillic, drops and joins over non-letters and squeezes runs; so the normalised text
    has the text's own skeleton, and a word it contains has its skeleton inside the text's. The
    converse does not hold: a skeleton hit still needs the real match.
    """

    def __init__(self, texts: Sequence[str]):
        joined = "\0".join(text.replace("\0", " ") for text in texts).lower()
        raw = joined.encode(_SKELETON_CODEC, errors="replace").translate(_SKELETON_MAP, _SKELETON_DROP)
        chars = np.frombuffer(raw, dtype=np.uint8)
        first_of_run = np.ones(len(chars), dtype=bool)
        first_of_run[1:] = (chars[1:] != chars[:-1]) | (chars[1:] == _SEPARATOR)
        self.buffer = chars[first_of_run].tobytes()
        self._ends = np.flatnonzero(np.frombuffer(self.buffer, dtype=np.uint8) == _SEPARATOR)
        self.count = len(texts)

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] + 1 if index else 0
        end = self._ends[index] if index < len(self._ends) else len(self.buffer)
        return self.buffer[start:end].decode(_SKELETON_CODEC)

    def containing(self, word: str) -> set[int]:
        """The indices of the texts whose skeleton contains the word's (all of them for a word
        without Cyrillic or Latin letters)."""
        key = Skeletons([word]).buffer
        if not key:
            return set(range(self.count))
        found, at = set(), self.buffer.find(key)
        while at != -1:
            index = int(np.searchsorted(self._ends, at))
            found.add(index)
            if index >= len(self._ends):
                break
            at = self.buffer.find(key, int(self._ends[index]) + 1)  # the rest of this text is no news
        return found


def skeleton(text: str) -> str:
    """One text's skeleton (see Skeletons)."""
    return Skeletons([text])[0]
