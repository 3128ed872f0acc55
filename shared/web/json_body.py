"""Reading a JSON request body with the API's errors: 415 for another media type, 400 for bad JSON."""

import json
import re
from collections.abc import Iterator

from flask import request

from shared.web.errors import ApiError

_SURROGATE = re.compile("[\ud800-\udfff]")


def json_body() -> object:
    """The parsed body, not yet validated (pydantic does that, with field-level errors)."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as 'Content-Type: application/json'.")
    try:
        body = json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {exc}") from exc
    if problems := list(_unstorable_strings(body, ())):
        raise ApiError(422, "validation_failed", "The request has invalid fields.", problems)
    return body


def _unstorable_strings(value: object, path: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Strings no database keeps: NUL characters, and lone surrogates (JSON's "\\ud800" escapes) that are not Unicode text."""
    if isinstance(value, str):
        if "\x00" in value:
            yield {"field": ".".join(path) or "body", "reason": "must not contain NUL characters"}
        elif _SURROGATE.search(value):
            yield {"field": ".".join(path) or "body", "reason": "must be Unicode text (it has a lone surrogate escape)"}
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unstorable_strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_strings(item, (*path, str(index)))
