"""The v1 comment API: POST a comment (202 at once), GET its status and verdict."""

from flask import Blueprint, Response, current_app, jsonify, url_for

from ingest import metrics
from ingest.comments import accept_comment, comment_view, find_comment, record_report
from ingest.schemas import CommentIn, FeedbackIn, ReportIn
from shared import task_names
from shared.feedback import record_spam_feedback
from shared.moderation_events import record_events
from shared.web.enqueue import enqueue_after_commit
from shared.web.json_body import json_body
from shared.web.session import get_session
from shared.web.site_auth import authenticated_site, authenticated_site_id

bp = Blueprint("api_v1", __name__, url_prefix="/v1")


@bp.post("/comments")
def post_comment() -> tuple[Response, int, dict[str, str]]:
    session = get_session()
    site_id = authenticated_site_id(session)
    context = {"max_text_chars": current_app.config["SETTINGS"].max_text_chars}
    body = CommentIn.model_validate(json_body(), context=context)
    comment, needs_scoring = accept_comment(session, site_id, body)
    session.commit()
    if needs_scoring:
        metrics.COMMENTS_ACCEPTED.inc()
        enqueue_after_commit(task_names.SCORE_COMMENT, comment.id)
    location = url_for("api_v1.get_comment", comment_id=comment.id)
    return jsonify(id=comment.id, status=comment.status, version=comment.version), 202, {"Location": location}


@bp.get("/comments/<id:comment_id>")
def get_comment(comment_id: int) -> Response:
    session = get_session()
    comment = find_comment(session, authenticated_site(session), comment_id)
    return jsonify(comment_view(session, comment))


@bp.post("/comments/<id:comment_id>/feedback")
def post_feedback(comment_id: int) -> tuple[Response, int]:
    """The site says a comment is spam or ham; the site's spam model learns from it."""
    session = get_session()
    site = authenticated_site(session)
    comment = find_comment(session, site, comment_id)
    body = FeedbackIn.model_validate(json_body())
    recorded = record_spam_feedback(session, site_id=site.id, comment_id=comment.id, source="site", label=body.label)
    session.commit()
    if recorded:
        enqueue_after_commit(task_names.LEARN_SPAM, site.id)
    return jsonify(comment_id=comment.id, label=body.label, recorded=recorded), 202


@bp.post("/comments/<id:comment_id>/reports")
def post_report(comment_id: int) -> tuple[Response, int]:
    """A reader reports a comment: it joins the console's Reported queue until a moderator decides it."""
    session = get_session()
    comment = find_comment(session, authenticated_site(session), comment_id)
    body = ReportIn.model_validate(json_body())
    created = record_report(session, comment, body)
    alert_sites = record_events(session, [(comment.site_id, comment.id, "report")]) if created else []
    session.commit()
    for site_id in alert_sites:
        enqueue_after_commit(task_names.DISPATCH_ALERTS, site_id)
    return jsonify(comment_id=comment.id, reporter_id=body.reporter_id, recorded=created), 201 if created else 200
