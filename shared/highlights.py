"""A comment's text cut into pieces with the flagged words marked: what moderators see in the console and alerts."""

from collections.abc import Sequence
from typing import Any


def highlights(text: str, reasons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut into pieces, the flagged words marked with their category, for display.

    Spans come from the reasons (lexicon, word lists), which point into the original text; the
    template escapes every piece, so an untrusted comment stays text.
    """
    spans = sorted(
        (word["start"], word["end"], reason.get("category") or reason["code"])
        for reason in reasons
        for word in reason.get("words", ())
        if isinstance(word.get("start"), int) and 0 <= word["start"] < word["end"] <= len(text)
    )
    pieces, pos = [], 0
    for start, end, category in spans:
        if start < pos:
            continue  # overlapping hits: the first one wins
        if start > pos:
            pieces.append({"text": text[pos:start], "mark": None})
        pieces.append({"text": text[start:end], "mark": category})
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:], "mark": None})
    return pieces
