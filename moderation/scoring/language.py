"""Per-comment language decision by counting Cyrillic and Latin letters."""

import re
from dataclasses import dataclass
from functools import lru_cache

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# A run of Latin letters not touching other letters: "xуй" has none, "the" is one.
_LATIN_WORD = re.compile(r"(?<![^\W\d_])[a-zA-Z]+(?![^\W\d_])")

# Below this many letters a script is noise (a brand name, a stray "ok"), not a language.
MIN_LETTERS = 4
# Share of letters a script needs before the comment counts as written in it.
MIN_SHARE = 0.25


@dataclass(frozen=True)
class ScriptCounts:
    """Cyrillic and Latin letter counts of one text."""

    cyrillic: int
    latin: int


def count_scripts(text: str) -> ScriptCounts:
    """Count letters by script; Latin letters inside Cyrillic words are look-alikes, not English."""
    latin = sum(len(word) for word in _LATIN_WORD.findall(text))
    return ScriptCounts(len(_CYRILLIC.findall(text)), latin)


@lru_cache(maxsize=128)  # the scorer and the Perspective response both ask about the same text
def detect_languages(text: str) -> tuple[str, ...]:
    """Return ("ru",), ("en",) or ("ru", "en") for mixed text; Russian when there are no letters."""
    counts = count_scripts(text)
    total = counts.cyrillic + counts.latin
    if total == 0:
        return ("ru",)
    has_ru = counts.cyrillic >= MIN_LETTERS and counts.cyrillic / total >= MIN_SHARE
    has_en = counts.latin >= MIN_LETTERS and counts.latin / total >= MIN_SHARE
    if has_ru and has_en:
        return ("ru", "en")
    if has_en or (not has_ru and counts.latin > counts.cyrillic):
        return ("en",)
    return ("ru",)
