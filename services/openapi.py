"""The OpenAPI document of the whole HTTP surface, served at /openapi.json.

Request bodies come from the same pydantic models that validate them, so the document cannot
drift from what the API accepts; responses are described here. The tests check the running app
against it with schemathesis. The console (HTML pages) is not part of it.
"""

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ingest.schemas import CommentIn, FeedbackIn, ReportIn
from moderation.web.api import BanIn, DecisionIn, UndoIn
from moderation.web.compat import akismet_openapi, perspective_openapi
from shared.vocabulary import Queue, QueueSort

REQUEST_MODELS: tuple[type[BaseModel], ...] = (CommentIn, FeedbackIn, ReportIn, DecisionIn, BanIn, UndoIn)
STATUSES = ["pending", "approved", "review", "rejected"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _errors(*codes: int) -> dict[str, Any]:
    why = {
        400: "Malformed JSON or query",
        401: "No key, or a wrong one",
        403: "The site is disabled (`modctl site enable` lifts it)",
        404: "Unknown id, or another site's",
        409: "Conflicts with the current state",
        413: "Body too large",
        415: "Not JSON",
        422: "Invalid fields, each named with its reason",
    }
    if 401 in codes:  # whatever takes a key is refused for a disabled site
        codes = tuple(sorted({*codes, 403}))
    return {str(code): _json(_ref("Error"), why[code]) for code in codes}


_OBJECT = {"type": "object"}
_RESPONSE_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message", "details"],
        "properties": {
            "error": {"type": "string"},
            "message": {"type": "string"},
            "details": {
                "type": "array",
                "items": {"type": "object", "properties": {"field": {"type": "string"}, "reason": {"type": "string"}}},
            },
        },
    },
    "Accepted": {
        "type": "object",
        "required": ["id", "status", "version"],
        "properties": {"id": {"type": "integer"}, "status": {"enum": STATUSES}, "version": {"type": "integer"}},
    },
    "CommentStatus": {
        "type": "object",
        "required": ["id", "external_id", "version", "status", "verdict", "moderation", "publish"],
        "properties": {
            "id": {"type": "integer"},
            "external_id": {"type": "string"},
            "version": {"type": "integer"},
            "status": {"enum": STATUSES},
            "created_at": {"type": "string"},
            "updated_at": {"type": "string"},
            "verdict": {"anyOf": [_OBJECT, {"type": "null"}]},
            "moderation": {"anyOf": [_OBJECT, {"type": "null"}]},
            "publish": {"type": "boolean"},
        },
    },
    "FeedbackRecorded": {
        "type": "object",
        "required": ["comment_id", "label", "recorded"],
        "properties": {
            "comment_id": {"type": "integer"},
            "label": {"enum": ["spam", "ham"]},
            "recorded": {"type": "boolean"},
        },
    },
    "ReportRecorded": {
        "type": "object",
        "required": ["comment_id", "reporter_id", "recorded"],
        "properties": {
            "comment_id": {"type": "integer"},
            "reporter_id": {"type": "string"},
            "recorded": {"type": "boolean"},
        },
    },
    "Decided": {
        "type": "object",
        "required": ["comment_id", "status", "action_id", "decided_by"],
        "properties": {
            "comment_id": {"type": "integer"},
            "status": {"enum": STATUSES},
            "action_id": {"type": "integer"},
            "decided_by": {"type": "string"},
            "reason": {"type": ["string", "null"]},
        },
    },
    "Banned": {
        "type": "object",
        "required": ["action_id", "author_id", "kind", "until", "rejected_comment_ids"],
        "properties": {
            "action_id": {"type": "integer"},
            "author_id": {"type": "string"},
            "kind": {"enum": ["ban", "suspend"]},
            "until": {"type": ["string", "null"]},
            "rejected_comment_ids": {"type": "array", "items": {"type": "integer"}},
        },
    },
    "Undone": {
        "type": "object",
        "required": ["action_id", "undoes_action_id"],
        "properties": {"action_id": {"type": "integer"}, "undoes_action_id": {"type": "integer"}},
    },
    "QueuePage": {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": _OBJECT},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
        },
    },
}
_ID = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": _ID}


def _body(model: str, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _ref(model)}}}


def _link(path: str, method: str, **parameters: str) -> dict[str, Any]:
    """An OpenAPI link: what a client (and schemathesis's stateful phase) may call next with this answer."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{method}", "parameters": parameters}


def _with_links(response: dict[str, Any], **links: dict[str, Any]) -> dict[str, Any]:
    return {**response, "links": links}


_COMMENT_ID = "$response.body#/id"
_ACTION_ID = "$response.body#/action_id"


def _v1_paths() -> dict[str, Any]:
    secured: dict[str, list[dict[str, list[str]]]] = {"security": [{"siteKey": []}]}
    comment = [_path_id("comment_id")]
    return {
        "/v1/comments": {
            "post": {
                **secured,
                "summary": "Submit a comment (or a new version of one) for moderation",
                "requestBody": _body("CommentIn"),
                "responses": {
                    "202": _with_links(
                        _json(
                            _ref("Accepted"),
                            "Stored; a worker will decide it",
                            {"Location": {"schema": {"type": "string"}}},
                        ),
                        GetComment=_link("/v1/comments/{comment_id}", "get", comment_id=_COMMENT_ID),
                        DecideComment=_link("/v1/comments/{comment_id}/decision", "post", comment_id=_COMMENT_ID),
                        ReportComment=_link("/v1/comments/{comment_id}/reports", "post", comment_id=_COMMENT_ID),
                        FeedbackOnComment=_link("/v1/comments/{comment_id}/feedback", "post", comment_id=_COMMENT_ID),
                    ),
                    **_errors(400, 401, 409, 413, 415, 422),
                },
            }
        },
        "/v1/comments/{comment_id}": {
            "get": {
                **secured,
                "summary": "A comment's status, its verdict and the last human action",
                "parameters": comment,
                "responses": {"200": _json(_ref("CommentStatus"), "The comment"), **_errors(401, 404)},
            }
        },
        "/v1/comments/{comment_id}/feedback": {
            "post": {
                **secured,
                "summary": "Tell the site's spam model whether a comment is spam",
                "parameters": comment,
                "requestBody": _body("FeedbackIn"),
                "responses": {
                    "202": _json(_ref("FeedbackRecorded"), "Recorded; the model learns it"),
                    **_errors(400, 401, 404, 413, 415, 422),
                },
            }
        },
        "/v1/comments/{comment_id}/reports": {
            "post": {
                **secured,
                "summary": "A reader reports a comment",
                "parameters": comment,
                "requestBody": _body("ReportIn"),
                "responses": {
                    "201": _json(_ref("ReportRecorded"), "A new report"),
                    "200": _json(_ref("ReportRecorded"), "This reader had reported it already"),
                    **_errors(400, 401, 404, 413, 415, 422),
                },
            }
        },
        "/v1/comments/{comment_id}/decision": {
            "post": {
                **secured,
                "summary": "Approve or reject a comment",
                "parameters": comment,
                "requestBody": _body("DecisionIn"),
                "responses": {
                    "200": _with_links(
                        _json(_ref("Decided"), "Decided, audited, called back"),
                        UndoDecision=_link("/v1/actions/{action_id}/undo", "post", action_id=_ACTION_ID),
                    ),
                    **_errors(400, 401, 404, 413, 415, 422),
                },
            }
        },
        "/v1/authors/{author_id}/ban": {
            "post": {
                **secured,
                "summary": "Ban or suspend an author",
                "parameters": [
                    {
                        "name": "author_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/]+$"},
                    }
                ],
                "requestBody": _body("BanIn", required=False),
                "responses": {
                    "200": _with_links(
                        _json(_ref("Banned"), "Banned; waiting comments rejected"),
                        UndoBan=_link("/v1/actions/{action_id}/undo", "post", action_id=_ACTION_ID),
                    ),
                    **_errors(400, 401, 404, 413, 415, 422),
                },
            }
        },
        "/v1/actions/{action_id}/undo": {
            "post": {
                **secured,
                "summary": "Undo a decision or a ban",
                "parameters": [_path_id("action_id")],
                "requestBody": _body("UndoIn", required=False),
                "responses": {
                    "200": _json(_ref("Undone"), "Undone (itself audited)"),
                    **_errors(400, 401, 404, 409, 413, 415, 422),
                },
            }
        },
        "/v1/queue": {
            "get": {
                **secured,
                "summary": "Comments waiting for a human (or another queue), paginated",
                "parameters": [
                    {"name": "queue", "in": "query", "schema": {"enum": list(Queue), "default": Queue.REVIEW}},
                    {"name": "sort", "in": "query", "schema": {"enum": list(QueueSort), "default": QueueSort.NEWEST}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "article",
                        "in": "query",
                        "description": "Only the comments on this article (its id as the site sent it)",
                        "schema": {"type": "string", "maxLength": 200},
                    },
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100_000}},
                    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                ],
                "responses": {"200": _json(_ref("QueuePage"), "One page"), **_errors(400, 401)},
            }
        },
    }


def _ops_paths() -> dict[str, Any]:
    text = {"content": {"text/plain": {"schema": {"type": "string"}}}}
    return {
        "/healthz": {"get": {"summary": "The process is up", "responses": {"200": _json(_OBJECT, "Up")}}},
        "/readyz": {
            "get": {
                "summary": "Database and broker reachable, a moderation worker alive",
                "responses": {"200": _json(_OBJECT, "Ready"), "503": _json(_OBJECT, "Not ready, with the reason")},
            }
        },
        "/metrics": {
            "get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Metrics", **text}}}
        },
    }


def build_openapi() -> dict[str, Any]:
    """The document: the v1 API, the ops endpoints, and the compatible APIs' own descriptions."""
    _, defs = models_json_schema(
        [(model, "validation") for model in REQUEST_MODELS], ref_template="#/components/schemas/{model}"
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "modsys",
            "version": "1",
            "description": "Self-hosted comment moderation: the site API, moderation API and compatible APIs.",
        },
        "paths": {
            **_v1_paths(),
            **_ops_paths(),
            **perspective_openapi.openapi_paths(),
            **akismet_openapi.openapi_paths(),
        },
        "components": {
            "schemas": {**defs["$defs"], **_RESPONSE_SCHEMAS},
            "securitySchemes": {
                "siteKey": {"type": "http", "scheme": "bearer", "description": "The site's API key"},
                **perspective_openapi.SECURITY_SCHEMES,
            },
        },
    }
