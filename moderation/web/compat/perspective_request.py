"""Perspective's request bodies, read and checked the way Perspective checks them.

Errors carry Perspective's own wording where clients are known to match on it (unknown attribute,
unsupported language); the checks are by hand rather than pydantic so the messages stay Google's.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request

from shared.categories import ABOUT, SPAM, Category
from shared.vocabulary import Language
from shared.web.json_body import parse_json, unstorable_strings

# Perspective attribute -> our score name (a toxicity category, or the spam score).
ATTRIBUTES: dict[str, str] = {**{ABOUT[c].perspective: c.value for c in Category}, "SPAM": SPAM}
LANGUAGES = tuple(Language)
MAX_TEXT_BYTES = 20480  # Perspective's own limit on comment.text


class PerspectiveError(Exception):
    """A request Perspective would refuse; answered in Google's error shape. `reason` and `details` are
    what Google adds for the errors its API frontend raises itself (a key, an unknown method)."""

    def __init__(
        self, status: int, message: str, *, reason: str | None = None, details: list[dict[str, Any]] | None = None
    ):
        super().__init__(message)
        self.status, self.message, self.reason, self.details = status, message, reason, details


# Google's own answers, word for word, for what its frontend refuses before Perspective sees a request.
MISSING_KEY = PerspectiveError(403, "The request is missing a valid API key.", reason="forbidden")
INVALID_KEY = PerspectiveError(
    400,
    "API key not valid. Please pass a valid API key.",
    reason="badRequest",
    details=[
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "commentanalyzer.googleapis.com"},
        }
    ],
)
METHOD_NOT_FOUND = PerspectiveError(404, "Method not found.", reason="notFound")
# What suggestscore may name besides the attributes: Coral's moderation outcomes.
CORAL_OUTCOMES = frozenset({"APPROVED", "DELETED", "HIGHLIGHTED"})


@dataclass(frozen=True)
class Requested:
    threshold: float | None


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: dict[str, Requested]
    languages: list[str]  # as asked, normalised ("EN", "en-US" -> "en"); empty: detect
    do_not_store: bool
    span_annotations: bool
    client_token: str | None
    community_id: str | None
    session_id: str | None
    drop_unsupported: bool = False  # dropUnsupportedAttributes: leave out, rather than refuse, unscored ones


@dataclass(frozen=True)
class SuggestRequest:
    text: str
    scores: dict[str, float]  # attribute -> suggested summary score, any attribute name
    languages: list[str]
    community_id: str | None
    client_token: str | None
    story_url: str | None  # Coral names the article in context.entries[0].text, a JSON string with "url"


# Perspective names no article: an analyzed comment waits on a placeholder until feedback names its story.
PLACEHOLDER_PREFIX = "perspective:"


def placeholder_article(site_name: str, community_id: str | None) -> str:
    """ "perspective:<communityId>", else "perspective:<site name>"; also the article id, 200 characters."""
    return f"{PLACEHOLDER_PREFIX}{community_id or site_name}"[:200]


def author_id(session_id: str | None) -> str:
    """Perspective names no author. One shared id would make every comment a site sends through it
    one person's: after three in the rate window each would get the author-rate spam signal, a few
    rejections would mark all later ones, and banning it would reject them all. So a comment's
    author is its sessionId when the client sends one (Perspective's "related calls"), else its own."""
    return f"perspective:session:{session_id}"[:200] if session_id else f"perspective:{uuid.uuid4().hex}"


def invalid(message: str) -> PerspectiveError:
    return PerspectiveError(400, message)


_READ = ("sessionId", "communityId", "clientToken", "languages", "context", "doNotStore", "spanAnnotations")


def read_body() -> dict[str, Any]:
    """The JSON object in the body, whatever the Content-Type (Google's endpoints do not insist)."""
    try:
        body = parse_json(request.get_data(cache=False) or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid(f"Invalid JSON payload received. {exc}") from exc
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. Expected an object.")
    # The text has its own messages (_text); any other field read (sessionId, communityId, a context
    # entry...) with text no database keeps is refused here, before it reaches a row. Fields nobody
    # reads are ignored, as Google's API does.
    read = {name: body[name] for name in _READ if name in body}
    read["comment"] = {k: v for k, v in _object(body, "comment").items() if k == "type"}
    for problem in unstorable_strings(read):
        raise invalid(f"Invalid value at '{problem['field']}': {problem['reason']}.")
    return body


def _object(body: dict[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name) or {}
    if not isinstance(value, dict):
        raise invalid(f"Invalid value at '{name}': expected an object.")
    return value


def _optional_str(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise invalid(f"Invalid value at '{name}': expected a string.")
    return value


def _text(body: dict[str, Any]) -> str:
    comment = _object(body, "comment")
    if comment.get("type", "PLAIN_TEXT") != "PLAIN_TEXT":
        raise invalid(f"Comment type {comment.get('type')} is not supported; send PLAIN_TEXT.")
    text = comment.get("text")
    if not isinstance(text, str) or not text:
        raise invalid("Comment text must be specified and non-empty.")
    try:
        size = len(text.encode())
    except UnicodeEncodeError as exc:  # a lone surrogate escaped in the JSON ("\ud800")
        raise invalid("Comment text is not valid Unicode.") from exc
    if size > MAX_TEXT_BYTES:
        raise invalid(f"Comment text was too many bytes: more than {MAX_TEXT_BYTES}.")
    if "\x00" in text:  # PostgreSQL text cannot hold it
        raise invalid("Comment text must not contain NUL characters.")
    return text


def _languages(body: dict[str, Any], first_attribute: str) -> list[str]:
    """Requested languages as ISO 639-1 codes; one we have no model for is refused as Perspective does."""
    raw = body.get("languages")
    if raw is None:
        raw = []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        raise invalid("Invalid value at 'languages': expected a list of strings.")
    codes = list(dict.fromkeys(code.strip().split("-")[0].split("_")[0].lower() for code in raw))
    unsupported = [code for code in codes if code not in LANGUAGES]
    if unsupported:
        raise invalid(f"Attribute {first_attribute} does not support request languages: {', '.join(unsupported)}")
    return codes


def _requested(name: str, params: Any) -> Requested:
    if name not in ATTRIBUTES:
        raise invalid(f"Requested attribute {name} does not exist")
    if not isinstance(params, dict):
        raise invalid(f"Invalid value at 'requestedAttributes[{name}]': expected an object.")
    if params.get("scoreType", "PROBABILITY") != "PROBABILITY":
        raise invalid(f"Score type {params['scoreType']} is not supported for attribute {name}; use PROBABILITY.")
    threshold = params.get("scoreThreshold")
    if threshold is not None and (
        isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1
    ):
        raise invalid(f"Invalid scoreThreshold for attribute {name}: must be a number from 0 to 1.")
    return Requested(threshold)


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise invalid(f"Invalid value at '{name}': expected true or false.")
    return value


T = TypeVar("T")


def _per_attribute(body: dict[str, Any], field: str, empty: str, parse: Callable[[str, Any], T]) -> dict[str, T]:
    """The request's map of attribute names (requestedAttributes, attributeScores), each value parsed."""
    attributes = _object(body, field)
    if not attributes:
        raise invalid(empty)
    return {name: parse(name, value) for name, value in attributes.items()}


def analyze_request(body: dict[str, Any]) -> AnalyzeRequest:
    """An AnalyzeCommentRequest, checked; `context` is accepted and ignored."""
    text = _text(body)
    requested = _per_attribute(
        body, "requestedAttributes", "requestedAttributes must name at least one attribute.", _requested
    )
    return AnalyzeRequest(
        text=text,
        attributes=requested,
        languages=_languages(body, next(iter(requested))),
        do_not_store=_flag(body, "doNotStore"),
        span_annotations=_flag(body, "spanAnnotations"),
        client_token=_optional_str(body, "clientToken"),
        community_id=_optional_str(body, "communityId"),
        session_id=_optional_str(body, "sessionId"),
        drop_unsupported=_flag(body, "dropUnsupportedAttributes"),
    )


def _suggested(name: str, scores: Any) -> float:
    if name not in ATTRIBUTES and name not in CORAL_OUTCOMES:
        raise invalid(f"Requested attribute {name} does not exist")
    summary = scores.get("summaryScore") if isinstance(scores, dict) else None
    # proto3 JSON leaves a zero out: {"summaryScore": {}} is a score of 0.
    value = summary.get("value", 0.0) if isinstance(summary, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise invalid(f"attributeScores[{name}].summaryScore.value must be a number from 0 to 1.")
    return float(value)


def _story_url(body: dict[str, Any]) -> str | None:
    """The article URL Coral puts in its context entry, when there is one (anything else is ignored),
    without the `commentID` Coral adds to point at the comment: every comment of a story is on one article."""
    entries = body.get("context", {}).get("entries") if isinstance(body.get("context"), dict) else None
    for entry in entries if isinstance(entries, list) else []:
        try:
            url = json.loads(entry.get("text", "")).get("url") if isinstance(entry, dict) else None
        except (ValueError, TypeError, AttributeError):
            continue
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return _without_comment_id(url)[:2000]
    return None


def _without_comment_id(url: str) -> str:
    parts = urlsplit(url)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name != "commentID"]
    return urlunsplit(parts._replace(query=urlencode(query)))


def suggest_request(body: dict[str, Any]) -> SuggestRequest:
    """A SuggestCommentScoreRequest: any attribute names (Coral sends APPROVED and DELETED), scores 0..1."""
    text = _text(body)
    scores = _per_attribute(body, "attributeScores", "attributeScores must not be empty.", _suggested)
    return SuggestRequest(
        text=text,
        scores=scores,
        languages=_languages(body, next(iter(scores))),
        community_id=_optional_str(body, "communityId"),
        client_token=_optional_str(body, "clientToken"),
        story_url=_story_url(body),
    )
