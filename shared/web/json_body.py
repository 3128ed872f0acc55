"""Reading a JSON request body with the API's errors: 415 for another media type, 400 for bad JSON."""

import json

from flask import request

from shared.web.errors import ApiError


def json_body() -> object:
    """The parsed body, not yet validated (pydantic does that, with field-level errors)."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "Send the body as 'Content-Type: application/json'.")
    try:
        return json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {exc}") from exc
