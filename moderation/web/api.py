"""The moderators' actions over the JSON API, for sites that build their own tools.

Authenticated with the site's API key, like the rest of /v1: a site sees and acts on its own
comments and authors only (another site's ids answer 404, as unknown ones do).
"""

from datetime import timedelta
from typing import Annotated, Any, Literal

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field

from moderation.moderators.decisions import DecisionError, ban_author, decide_comment, undo_action
from moderation.moderators.queue import list_queue
from moderation.web.enqueue import enqueue_outcomes
from shared.models import Comment, Site, utcnow
from shared.vocabulary import REJECT_REASONS, Queue, QueueSort
from shared.web.converters import MAX_ID
from shared.web.errors import ApiError
from shared.web.json_body import json_body, unstorable_reason
from shared.web.session import get_session
from shared.web.site_auth import authenticated_site

bp = Blueprint("moderation_api", __name__, url_prefix="/v1")
Reason = Literal[REJECT_REASONS]  # type: ignore[valid-type]
Note = Annotated[str, Field(max_length=2000)]
# Who at the site decided, for the audit log: "site:<name>"; "site" when not given.
Moderator = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[\w.@-]+$")]
MAX_AUTHOR_ID = 200  # as long as comments' author ids may be
MAX_ARTICLE_ID = 200  # and their article ids
_ERROR_STATUS = {"not_found": 404, "superseded": 409, "already_undone": 409, "not_undoable": 409}


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    reason: Reason | None = None
    note: Note | None = None
    moderator: Moderator | None = None


class BanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = None
    note: Note | None = None
    moderator: Moderator | None = None
    # A suspension for this long; without it the ban has no end.
    duration_s: Annotated[int, Field(gt=0, le=10 * 365 * 86400)] | None = None
    # The comment that earned the ban, for the audit log.
    comment_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    moderator: Moderator | None = None


def _actor(moderator: str | None) -> str:
    return f"site:{moderator}" if moderator else "site"


def _own_comment(site: Site, comment_id: int) -> Comment:
    comment = get_session().get(Comment, comment_id)
    if comment is None or comment.site_id != site.id:
        raise ApiError(404, "not_found", f"No comment {comment_id} for this site.")
    return comment


def _refused(exc: DecisionError) -> ApiError:
    return ApiError(_ERROR_STATUS.get(exc.code, 422), exc.code, exc.message)


def _body(model: type[BaseModel]) -> Any:
    # An empty POST is an empty object: a ban or an undo needs no fields.
    if not request.get_data(cache=True):
        return model.model_validate({})
    return model.model_validate(json_body())


@bp.post("/comments/<id:comment_id>/decision")
def post_decision(comment_id: int) -> Response:
    """Approve or reject a comment; the site gets the signed callback like any decision."""
    session = get_session()
    site = authenticated_site(session)
    body = DecisionIn.model_validate(json_body())
    comment = _own_comment(site, comment_id)
    try:
        outcome = decide_comment(
            session, comment.id, body.decision, actor=_actor(body.moderator), reason=body.reason, note=body.note
        )
    except DecisionError as exc:
        raise _refused(exc) from exc
    session.commit()
    enqueue_outcomes([outcome])
    return jsonify(
        comment_id=comment.id,
        status=comment.status,
        action_id=outcome.action.id,
        decided_by=outcome.action.actor,
        reason=outcome.action.reason,
    )


@bp.post("/authors/<author_id>/ban")
def post_ban(author_id: str) -> Response:
    """Ban (or suspend, with duration_s) an author: their waiting comments and new ones are rejected."""
    session = get_session()
    site = authenticated_site(session)
    too_long = f"must be at most {MAX_AUTHOR_ID} characters" if len(author_id) > MAX_AUTHOR_ID else None
    if reason := too_long or unstorable_reason(author_id):
        raise ApiError(
            422, "validation_failed", "The request has invalid fields.", [{"field": "author_id", "reason": reason}]
        )
    body = _body(BanIn)
    if body.comment_id is not None:
        _own_comment(site, body.comment_id)
    until = utcnow() + timedelta(seconds=body.duration_s) if body.duration_s else None
    try:
        outcome = ban_author(
            session,
            site,
            author_id,
            actor=_actor(body.moderator),
            reason=body.reason,
            until=until,
            note=body.note,
            comment_id=body.comment_id,
        )
    except DecisionError as exc:
        raise _refused(exc) from exc
    rejected = [a.comment_id for a in outcome.rejected]
    session.commit()
    enqueue_outcomes([outcome])
    return jsonify(
        action_id=outcome.action.id,
        author_id=author_id,
        kind=outcome.action.action,
        until=until.isoformat() if until else None,
        rejected_comment_ids=rejected,
    )


@bp.post("/actions/<id:action_id>/undo")
def post_undo(action_id: int) -> Response:
    """Reverse a decision or a ban taken by anyone on this site (the undo is audited too)."""
    session = get_session()
    site = authenticated_site(session)
    body = _body(UndoIn)
    try:
        outcome = undo_action(session, action_id, actor=_actor(body.moderator), site_id=site.id)
    except DecisionError as exc:
        raise _refused(exc) from exc
    session.commit()
    enqueue_outcomes([outcome])
    return jsonify(action_id=outcome.action.id, undoes_action_id=action_id)


def _page_arg(name: str, default: int, maximum: int) -> int:
    raw = request.args.get(name, str(default))
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:  # "²".isdigit() is true
        raise ApiError(
            400,
            "invalid_query",
            f"'{name}' must be a whole number from 1 to {maximum}.",
            [{"field": name, "reason": f"got {raw!r}"}],
        )
    return int(raw)


def _choice_arg(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = request.args.get(name, default)
    if value not in choices:
        raise ApiError(
            400,
            "invalid_query",
            f"'{name}' must be one of {', '.join(choices)}.",
            [{"field": name, "reason": f"got {value!r}"}],
        )
    return value


def _article_arg() -> str | None:
    article = request.args.get("article") or None
    if article is not None and (reason := unstorable_reason(article)):
        raise ApiError(
            400, "invalid_query", "'article' cannot be searched for.", [{"field": "article", "reason": reason}]
        )
    if article is not None and len(article) > MAX_ARTICLE_ID:
        raise ApiError(
            400,
            "invalid_query",
            f"'article' must be at most {MAX_ARTICLE_ID} characters.",
            [{"field": "article", "reason": f"got {len(article)} characters"}],
        )
    return article


def _search_arg() -> str | None:
    value = request.args.get("q") or None
    if value is not None and (reason := unstorable_reason(value) or ("too long" if len(value) > 200 else None)):
        raise ApiError(400, "invalid_query", "'q' cannot be searched for.", [{"field": "q", "reason": reason}])
    return value


@bp.get("/queue")
def get_queue() -> Response:
    """Comments waiting for a human (or another queue), newest first, paginated; `article` limits it to one story."""
    session = get_session()
    site = authenticated_site(session)
    page = list_queue(
        session,
        [site.id],
        _choice_arg("queue", Queue.REVIEW, tuple(Queue)),
        sort=_choice_arg("sort", QueueSort.NEWEST, tuple(QueueSort)),
        search=_search_arg(),
        article=_article_arg(),
        page=_page_arg("page", 1, 100_000),
        per_page=_page_arg("per_page", current_app.config["SETTINGS"].console.page_size, 200),
    )
    for item in page.items:
        item.pop("pieces")  # the console's rendering aid; API clients have the spans in the reasons
    return jsonify(items=page.items, page=page.page, per_page=page.per_page, total=page.total, pages=page.pages)
