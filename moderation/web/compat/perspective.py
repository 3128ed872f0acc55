"""Perspective API, answered here: POST /perspective/v1alpha1/comments:analyze and :suggestscore.

Clients that call Google's Perspective (Coral Talk among them) switch by changing the base URL;
the key is the site's API key, as `?key=` (Perspective's way) or `Authorization: Bearer`.
Scored synchronously in the web process. Without `doNotStore` the comment is stored with source
"perspective" and moderated like an ingested one (verdict, callback, alerts). Perspective names no
author or article: the author is the request's sessionId or a one-off id (see `author_id`), the
article "perspective:<communityId>" or "perspective:<site name>".

Spans: one over the whole text with the attribute's score (as Perspective gives per sentence),
and with `spanAnnotations` one per lexicon hit of the attribute's category (every hit for TOXICITY),
in code points of the original text, scored with the attribute's summary score: a span never
claims more than the comment's score, so clients that threshold spans agree with the summary.
"""

import logging
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from moderation.scoring import ToxicityScorer, scored_categories
from moderation.scoring.backends import get_scorer
from moderation.scoring.language import detect_languages
from moderation.web.compat.perspective_feedback import record_suggestion
from moderation.web.compat.perspective_request import (
    ATTRIBUTES,
    INVALID_KEY,
    METHOD_NOT_FOUND,
    MISSING_KEY,
    AnalyzeRequest,
    PerspectiveError,
    analyze_request,
    author_id,
    invalid,
    placeholder_article,
    read_body,
    suggest_request,
)
from moderation.web.compat.sync import new_comment, score_only, store_and_moderate
from moderation.web.enqueue import enqueue_moderated, enqueue_outcomes
from shared.categories import SPAM
from shared.models import Site
from shared.vocabulary import CommentSource
from shared.web.errors import RETRY_AFTER_S, ApiError, http_error_response, is_outage
from shared.web.session import get_session
from shared.web.site_auth import authenticated_site, site_for_key

log = logging.getLogger(__name__)
bp = Blueprint("perspective", __name__, url_prefix="/perspective/v1alpha1")
# Google's canonical status names, by HTTP status.
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    413: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def google_error(
    status: int, message: str, *, reason: str | None = None, details: list[dict[str, Any]] | None = None
) -> Response:
    """{"error": {"code", "message", "status"}}, as Google's APIs answer; with `errors` (and `details`)
    where Google's frontend adds them (keys, unknown methods)."""
    error: dict[str, Any] = {"code": status, "message": message}
    if reason is not None:
        error["errors"] = [{"message": message, "domain": "global", "reason": reason}]
    error["status"] = _STATUS.get(status, "INTERNAL" if status >= 500 else "INVALID_ARGUMENT")
    if details:
        error["details"] = details
    response = jsonify(error=error)
    response.status_code = status
    return response


@bp.errorhandler(PerspectiveError)
def _refused(exc: PerspectiveError) -> Response:
    return google_error(exc.status, exc.message, reason=exc.reason, details=exc.details)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    # authenticated_site's refusals: a bearer token is a key like ?key= for Google's frontend.
    if exc.status == 401:
        return _refused(INVALID_KEY)
    return google_error(exc.status, exc.message)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return google_error(exc.code or 500, exc.description or exc.name)


@bp.errorhandler(Exception)
def _internal(exc: Exception) -> Response:
    if is_outage(exc):
        log.warning("perspective request: a dependency is unreachable: %s", exc)
        response = google_error(503, "The service is unavailable for a moment; retry later.")
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response
    log.exception("perspective request failed")
    return google_error(500, "Internal error; nothing was stored.")


def _site(session: Session) -> Site:
    """The site whose key is in `?key=` or `X-Goog-Api-Key` (Perspective clients), else the bearer token."""
    key = request.args.get("key") or request.headers.get("X-Goog-Api-Key")
    if not key and "Authorization" not in request.headers:
        raise MISSING_KEY
    if not key:
        return authenticated_site(session)
    site = site_for_key(session, key)
    if site is None:
        raise INVALID_KEY
    return site


def _lexicon_spans(reasons: list[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    """The lexicon's hits per category, from the verdict's matched_words reasons."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for reason in reasons:
        if reason.get("code") == "matched_words":
            spans.setdefault(reason["category"], []).extend((w["start"], w["end"]) for w in reason["words"])
    return spans


def _spans_of(attribute: str, lexicon: dict[str, list[tuple[int, int]]]) -> list[tuple[int, int]]:
    if attribute == "TOXICITY":
        return sorted({span for spans in lexicon.values() for span in spans})
    return sorted(set(lexicon.get(ATTRIBUTES[attribute], [])))


def _score(value: float) -> dict[str, Any]:
    return {"value": value, "type": "PROBABILITY"}


def analyze_response(req: AnalyzeRequest, scores: dict[str, float], reasons: list[dict[str, Any]]) -> dict[str, Any]:
    """Perspective's AnalyzeCommentResponse; an attribute under its scoreThreshold is left out."""
    lexicon, attribute_scores = _lexicon_spans(reasons), {}
    for name, asked in req.attributes.items():
        if ATTRIBUTES[name] not in scores:  # not scored for this comment's languages
            continue
        value = scores[ATTRIBUTES[name]]
        if asked.threshold is not None and value < asked.threshold:
            continue
        spans = [(0, len(req.text))] + (_spans_of(name, lexicon) if req.span_annotations else [])
        attribute_scores[name] = {
            "spanScores": [{"begin": begin, "end": end, "score": _score(value)} for begin, end in spans],
            "summaryScore": _score(value),
        }
    detected = list(detect_languages(req.text))
    body = {"attributeScores": attribute_scores, "languages": req.languages or detected, "detectedLanguages": detected}
    return body | ({"clientToken": req.client_token} if req.client_token is not None else {})


def _unscored(req: AnalyzeRequest, scorer: ToxicityScorer) -> set[str]:
    """Requested attributes the scorer does not score in the request's (or detected) language.

    Google answers them with 400, or leaves them out with dropUnsupportedAttributes. Checked
    before anything is stored: a refused request leaves no comment behind.
    """
    languages = req.languages or list(detect_languages(req.text))
    dropped = set()
    for name in req.attributes:
        category = ATTRIBUTES[name]
        if category == SPAM:
            continue
        unsupported = [language for language in languages if category not in scored_categories(scorer, language)]
        if unsupported and not req.drop_unsupported:
            raise invalid(f"Attribute {name} does not support request languages: {', '.join(unsupported)}")
        if unsupported:
            dropped.add(name)
    return dropped


@bp.post("/comments:analyze")
def analyze() -> Response:
    """Score a comment; store and moderate it unless doNotStore."""
    session = get_session()
    site = _site(session)
    req = analyze_request(read_body())
    settings = current_app.config["SETTINGS"]
    unscored = _unscored(req, get_scorer(settings.toxicity))
    if unscored:
        req = replace(req, attributes={k: v for k, v in req.attributes.items() if k not in unscored})
    comment = new_comment(
        site,
        text=req.text,
        source=CommentSource.PERSPECTIVE,
        author_id=author_id(req.session_id),
        author_name="perspective",
        article_url=placeholder_article(site.name, req.community_id),
    )
    one_off = req.session_id is None  # author_id() made one up: it has no history to look up
    if req.do_not_store:
        decided = score_only(session, comment, settings, one_off_author=one_off)
        return jsonify(analyze_response(req, decided.scores, decided.reasons_json))
    verdict, moderated = store_and_moderate(session, comment, settings, one_off_author=one_off)
    body = analyze_response(req, verdict.scores, verdict.reasons)  # before the commit expires the verdict
    session.commit()
    enqueue_moderated(moderated)
    return jsonify(body)


@bp.post("/comments:suggestscore")
def suggestscore() -> Response:
    """A moderator's verdict on a comment, recorded as a decision (see perspective_feedback)."""
    session = get_session()
    site = _site(session)
    req = suggest_request(read_body())
    outcome = record_suggestion(session, site, req, article_url=placeholder_article(site.name, req.community_id))
    if outcome is not None:
        session.commit()
        enqueue_outcomes([outcome])
    body = {"requestedLanguages": req.languages, "detectedLanguages": list(detect_languages(req.text))}
    return jsonify(body | ({"clientToken": req.client_token} if req.client_token is not None else {}))


# Google answers a method it does not have (another HTTP verb on analyze, an unknown path) with 404
# "Method not found." in its error shape. Routing fails before a blueprint is chosen, so these
# handlers are the app's, and answer in Google's shape only under Perspective's prefix.
@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def _no_such_method(exc: HTTPException) -> Response:
    if request.path.startswith(f"{bp.url_prefix}/"):
        return _refused(METHOD_NOT_FOUND)
    return http_error_response(exc)
