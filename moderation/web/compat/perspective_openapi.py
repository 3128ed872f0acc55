"""The Perspective-compatible calls in the OpenAPI document (services/openapi.py's `extra_paths`)."""

from typing import Any

from moderation.web.compat.perspective_request import ATTRIBUTES, CORAL_OUTCOMES

_SCORE = {
    "type": "object",
    "required": ["value", "type"],
    "properties": {"value": {"type": "number", "minimum": 0, "maximum": 1}, "type": {"enum": ["PROBABILITY"]}},
}
_ATTRIBUTE_SCORES = {
    "type": "object",
    "properties": {
        "summaryScore": _SCORE,
        "spanScores": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"begin": {"type": "integer"}, "end": {"type": "integer"}, "score": _SCORE},
            },
        },
    },
}
_TEXT = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 20480}, "type": {"enum": ["PLAIN_TEXT"]}},
}
_OPTIONAL_TEXT = {"type": ["string", "null"]}  # null is taken as left out
_ATTRIBUTE_NAMES = {"type": "string", "enum": sorted(ATTRIBUTES)}
# ISO 639-1, any case, with or without a region ("EN", "en-US"); others are refused as Perspective
# refuses a language an attribute has no model for.
_LANGUAGE = {"type": "string", "pattern": "^([Rr][Uu]|[Ee][Nn])([-_][A-Za-z0-9]+)?$"}
_LANGUAGES = {"type": "array", "items": _LANGUAGE}
_ASKED_LANGUAGES = {"anyOf": [_LANGUAGES, _LANGUAGE, {"type": "null"}]}  # one code alone is taken as a list
ANALYZE_REQUEST = {
    "type": "object",
    "required": ["comment", "requestedAttributes"],
    "properties": {
        "comment": _TEXT,
        "requestedAttributes": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": _ATTRIBUTE_NAMES,
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "scoreType": {"enum": ["PROBABILITY"]},
                    "scoreThreshold": {"type": "number", "minimum": 0, "maximum": 1},
                },
            },
        },
        "languages": _ASKED_LANGUAGES,
        "doNotStore": {"type": "boolean"},
        "spanAnnotations": {"type": "boolean"},
        "clientToken": _OPTIONAL_TEXT,
        "communityId": _OPTIONAL_TEXT,
        "sessionId": _OPTIONAL_TEXT,
        "context": {"description": "Accepted; only Coral's story URL in context.entries is read"},
    },
}
ANALYZE_RESPONSE = {
    "type": "object",
    "required": ["attributeScores", "languages", "detectedLanguages"],
    "properties": {
        "attributeScores": {"type": "object", "additionalProperties": _ATTRIBUTE_SCORES},
        "languages": _LANGUAGES,
        "detectedLanguages": _LANGUAGES,
        "clientToken": {"type": "string"},
    },
}
SUGGEST_REQUEST = {
    "type": "object",
    "required": ["comment", "attributeScores"],
    "properties": {
        "comment": _TEXT,
        "attributeScores": {
            "type": "object",
            "minProperties": 1,
            # The attributes, and the moderation outcomes Coral sends (APPROVED, DELETED, HIGHLIGHTED).
            "propertyNames": {"enum": sorted({*ATTRIBUTES, *CORAL_OUTCOMES})},
            "additionalProperties": {
                "type": "object",
                "required": ["summaryScore"],
                "properties": {
                    "summaryScore": {
                        "type": "object",
                        "properties": {  # proto3: a missing value is 0
                            "value": {"type": "number", "minimum": 0, "maximum": 1}
                        },
                    }
                },
            },
        },
        "languages": _ASKED_LANGUAGES,
        "communityId": _OPTIONAL_TEXT,
        "clientToken": _OPTIONAL_TEXT,
        "context": {"description": "Accepted; only Coral's story URL in context.entries is read"},
    },
}
GOOGLE_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "status"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "status": {"type": "string"},
                "errors": {"type": "array", "items": {"type": "object"}},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors() -> dict[str, Any]:
    return {
        str(code): _json(GOOGLE_ERROR, why)
        for code, why in (
            (400, "INVALID_ARGUMENT: unknown attribute or language, missing text, bad JSON, or a wrong key"),
            (403, "PERMISSION_DENIED: no key"),
            (413, "Body too large"),
        )
    }


# Perspective's clients send the key as Google's APIs take it: ?key= or X-Goog-Api-Key (a bearer token works too).
SECURITY_SCHEMES: dict[str, Any] = {
    "googleKey": {"type": "apiKey", "in": "query", "name": "key", "description": "The site's API key, as ?key="},
    "googleKeyHeader": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Goog-Api-Key",
        "description": "The site's API key",
    },
}


def openapi_paths() -> dict[str, Any]:
    """/perspective/v1alpha1/*: the key comes as ?key=, X-Goog-Api-Key or a bearer token."""
    key: list[dict[str, Any]] = []
    security: list[dict[str, list[str]]] = [{"siteKey": []}, {"googleKey": []}, {"googleKeyHeader": []}]
    return {
        "/perspective/v1alpha1/comments:analyze": {
            "post": {
                "summary": "Perspective comments:analyze, scored synchronously",
                "tags": ["Perspective-compatible"],
                "parameters": key,
                "security": security,
                "requestBody": {"required": True, "content": {"application/json": {"schema": ANALYZE_REQUEST}}},
                "responses": {"200": _json(ANALYZE_RESPONSE, "Scores for the requested attributes"), **_errors()},
            }
        },
        "/perspective/v1alpha1/comments:suggestscore": {
            "post": {
                "summary": "Perspective comments:suggestscore, recorded as a moderator's decision",
                "tags": ["Perspective-compatible"],
                "parameters": key,
                "security": security,
                "requestBody": {"required": True, "content": {"application/json": {"schema": SUGGEST_REQUEST}}},
                "responses": {
                    "200": _json({"type": "object", "properties": {"clientToken": {"type": "string"}}}, "Recorded"),
                    **_errors(),
                },
            }
        },
    }
