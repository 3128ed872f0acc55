"""Reading a JSON request body with the API's errors: 415 for another media type, 400 for bad JSON."""

import json
import re
from collections.abc import Iterator

from flask import request

from shared.web.errors import ApiError

_SURROGATE = re.compile("[\ud800-\udfff]")
# No request of ours nests deeper than a few levels; deeper bodies are refused before they are walked
# (Python's JSON parser and any recursive walk would otherwise hit the recursion limit: a 500).
MAX_DEPTH = 32


def json_body() -> object:
    """The parsed body, not yet validated (pydantic does that, with field-level errors)."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as 'Content-Type: application/json'.")
    try:
        body = parse_json(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {exc}") from exc
    if problems := list(unstorable_strings(body)):
        raise ApiError(422, "validation_failed", "The request has invalid fields.", problems)
    return body


def parse_json(raw: bytes) -> object:
    """json.loads, refusing (ValueError) bodies that nest deeper than MAX_DEPTH."""
    try:
        body = json.loads(raw)
    except RecursionError as exc:
        raise ValueError(f"it nests deeper than {MAX_DEPTH} levels") from exc
    if _deeper_than(body, MAX_DEPTH):
        raise ValueError(f"it nests deeper than {MAX_DEPTH} levels")
    return body


def _deeper_than(value: object, limit: int) -> bool:
    # Iterative: a recursive walk of a deep body is what hit the recursion limit.
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def unstorable_reason(value: str) -> str | None:
    """Why no database keeps this text (NUL, a lone surrogate), or None."""
    if "\x00" in value:
        return "must not contain NUL characters"
    if _SURROGATE.search(value):
        return "must be Unicode text (it has a lone surrogate escape)"
    return None


def unstorable_strings(value: object, path: tuple[str, ...] = ()) -> Iterator[dict[str, str]]:
    """Strings no database keeps, anywhere in a parsed body: [{"field", "reason"}]."""
    yield from _unstorable_strings(value, path)


def _unstorable_strings(value: object, path: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Strings no database keeps: NUL characters, and lone surrogates (JSON's "\\ud800" escapes) that are not Unicode text."""
    if isinstance(value, str):
        if reason := unstorable_reason(value):
            yield {"field": ".".join(path) or "body", "reason": reason}
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_strings(item, (*path, str(index)))
