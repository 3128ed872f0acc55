"""Moderating over the JSON API with the site's key: decisions, bans, undo, the queue, reports."""

import pytest
from sqlalchemy import select

from notify.callbacks import post_signed
from notify.deliveries import claim, record_attempt
from notify.signing import verify
from shared import task_names
from shared.models import AuthorRestriction, Comment, ModerationAction, Notification, SpamFeedback
from shared.settings import CallbackSettings
from tests.support.factories import make_comment
from tests.support.http_server import http_server
from tests.support.queues import queued
from tests.support.sites import make_site


def deliver(db, notification_id: int) -> None:
    """What the notify worker does with a DELIVER_CALLBACK message."""
    delivery = claim(db, notification_id, lease_s=10)
    db.commit()
    record_attempt(db, notification_id, post_signed(delivery, timeout_s=2), CallbackSettings())
    db.commit()


def test_a_decision_is_audited_labelled_and_called_back_signed(client, db, settings, redis_client):
    with http_server() as (url, recorder):
        site = make_site(settings.database_url, name="luki", callback_url=f"{url}/hooks")
        comment = make_comment(db, site.id, status="review")

        response = client.post(
            f"/v1/comments/{comment.id}/decision",
            headers=site.auth,
            json={"decision": "reject", "reason": "spam", "moderator": "olga"},
        )

        assert response.status_code == 200
        assert response.json["status"] == "rejected" and response.json["decided_by"] == "site:olga"
        (notification_args,) = queued(redis_client, "notify", task_names.DELIVER_CALLBACK)
        assert queued(redis_client, "moderation", task_names.LEARN_SPAM) == [[site.id]]
        deliver(db, notification_args[0])
        (request,) = recorder.received

    assert verify(site.signing_secret, request.headers, request.body)
    payload = request.json()
    assert payload["event"] == "comment.decided" and payload["comment_id"] == comment.id
    assert (payload["status"], payload["decided_by"], payload["reason"]) == ("rejected", "site:olga", "spam")
    assert payload["publish"] is False
    action = db.scalar(select(ModerationAction))
    assert (action.action, action.previous_status, action.new_status) == ("reject", "review", "rejected")
    assert db.scalar(select(SpamFeedback)).label == "spam"
    status = client.get(f"/v1/comments/{comment.id}", headers=site.auth).json
    assert status["status"] == "rejected" and status["moderation"]["decided_by"] == "site:olga"
    assert 'modsys_moderation_actions_total{action="reject"}' in client.get("/metrics").get_data(as_text=True)


def test_rejecting_an_insult_teaches_the_spam_model_ham(client, db, site):
    comment = make_comment(db, site.id, status="review")
    client.post(
        f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "reject", "reason": "insult"}
    )
    assert db.scalar(select(SpamFeedback)).label == "ham"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "publish"}, "decision"),
        ({"decision": "reject", "reason": "ugly"}, "reason"),
        ({"decision": "approve", "extra": 1}, "extra"),
        ({"decision": "approve", "moderator": "a b"}, "moderator"),
    ],
)
def test_a_bad_decision_is_refused_by_field_and_changes_nothing(client, db, site, body, field):
    comment = make_comment(db, site.id, status="review")

    response = client.post(f"/v1/comments/{comment.id}/decision", headers=site.auth, json=body)

    assert response.status_code == 422
    assert [d["field"] for d in response.json["details"]] == [field]
    db.refresh(comment)
    assert comment.status == "review" and db.scalar(select(ModerationAction)) is None


def test_one_sites_key_cannot_see_or_act_on_another_sites_comments(client, db, settings):
    ours, theirs = make_site(settings.database_url, name="ours"), make_site(settings.database_url, name="theirs")
    comment = make_comment(db, theirs.id, status="review")

    decision = client.post(f"/v1/comments/{comment.id}/decision", headers=ours.auth, json={"decision": "approve"})
    ban = client.post("/v1/authors/u-1/ban", headers=ours.auth, json={"comment_id": comment.id})
    queue = client.get("/v1/queue", headers=ours.auth)
    report = client.post(f"/v1/comments/{comment.id}/reports", headers=ours.auth, json={"reporter_id": "r1"})

    assert decision.status_code == ban.status_code == report.status_code == 404
    assert queue.json["items"] == [] and queue.json["total"] == 0
    db.refresh(comment)
    assert comment.status == "review"
    theirs_action = client.post(
        f"/v1/comments/{comment.id}/decision", headers=theirs.auth, json={"decision": "approve"}
    )
    undo = client.post(f"/v1/actions/{theirs_action.json['action_id']}/undo", headers=ours.auth)
    assert undo.status_code == 404


def test_the_queue_lists_comments_waiting_for_a_human_newest_first_in_pages(client, db, site):
    for n in range(5):
        make_comment(db, site.id, external_id=f"c-{n}", status="review", text=f"комментарий {n}")
    make_comment(db, site.id, external_id="done", status="approved")

    first = client.get("/v1/queue?per_page=2", headers=site.auth).json
    last = client.get("/v1/queue?per_page=2&page=3", headers=site.auth).json

    assert (first["total"], first["pages"]) == (5, 3)
    assert [item["external_id"] for item in first["items"]] == ["c-4", "c-3"]
    assert [item["external_id"] for item in last["items"]] == ["c-0"]
    assert client.get("/v1/queue?per_page=0", headers=site.auth).json["details"][0]["field"] == "per_page"
    assert client.get("/v1/queue?queue=nope", headers=site.auth).status_code == 400
    assert client.get("/v1/queue").status_code == 401


def test_banning_rejects_the_authors_waiting_comments_and_undo_restores_them(client, db, site):
    waiting = make_comment(db, site.id, external_id="c-1", author_id="troll", status="review")
    pending = make_comment(db, site.id, external_id="c-2", author_id="troll", status="pending")
    shown = make_comment(db, site.id, external_id="c-3", author_id="troll", status="approved")

    ban = client.post("/v1/authors/troll/ban", headers=site.auth, json={"reason": "insult", "duration_s": 86400})

    assert ban.status_code == 200 and ban.json["kind"] == "suspend" and ban.json["until"]
    assert sorted(ban.json["rejected_comment_ids"]) == [waiting.id, pending.id]
    statuses = dict(db.execute(select(Comment.id, Comment.status)).all())
    assert statuses == {waiting.id: "rejected", pending.id: "rejected", shown.id: "approved"}

    undo = client.post(f"/v1/actions/{ban.json['action_id']}/undo", headers=site.auth)

    assert undo.status_code == 200
    db.expire_all()
    statuses = dict(db.execute(select(Comment.id, Comment.status)).all())
    assert statuses == {waiting.id: "review", pending.id: "pending", shown.id: "approved"}
    assert db.scalar(select(AuthorRestriction)).lifted_at is not None
    again = client.post(f"/v1/actions/{ban.json['action_id']}/undo", headers=site.auth)
    assert again.status_code == 409 and again.json["error"] == "already_undone"


def test_undo_is_refused_once_the_comment_was_decided_again(client, db, site):
    comment = make_comment(db, site.id, status="review")
    first = client.post(f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "approve"}).json
    client.post(f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "reject"})

    undo = client.post(f"/v1/actions/{first['action_id']}/undo", headers=site.auth)

    assert undo.status_code == 409 and undo.json["error"] == "superseded"
    db.refresh(comment)
    assert comment.status == "rejected"


def test_an_undo_restores_the_status_drops_the_label_and_calls_back(client, db, settings):
    site = make_site(settings.database_url, name="luki", callback_url="http://127.0.0.1:9/hooks")
    comment = make_comment(db, site.id, status="review")
    action = client.post(f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "approve"}).json

    client.post(f"/v1/actions/{action['action_id']}/undo", headers=site.auth)

    db.refresh(comment)
    assert comment.status == "review" and db.scalar(select(SpamFeedback)) is None
    payloads = [n.payload for n in db.scalars(select(Notification).order_by(Notification.id))]
    assert [(p["status"], p.get("undoes_action_id")) for p in payloads] == [
        ("approved", None),
        ("review", action["action_id"]),
    ]


def test_readers_reports_are_counted_once_per_reader_and_fill_the_reported_queue(client, db, site):
    comment = make_comment(db, site.id, status="approved")
    body = {"reporter_id": "reader-1", "reason": "abuse", "note": "оскорбляет соседей"}

    first = client.post(f"/v1/comments/{comment.id}/reports", headers=site.auth, json=body)
    again = client.post(f"/v1/comments/{comment.id}/reports", headers=site.auth, json=body)
    bad = client.post(
        f"/v1/comments/{comment.id}/reports", headers=site.auth, json={"reporter_id": "r", "reason": "meh"}
    )

    assert (first.status_code, first.json["recorded"]) == (201, True)
    assert (again.status_code, again.json["recorded"]) == (200, False)
    assert bad.status_code == 422 and bad.json["details"][0]["field"] == "reason"
    reported = client.get("/v1/queue?queue=reported", headers=site.auth).json
    assert [(i["id"], i["open_reports"]) for i in reported["items"]] == [(comment.id, 1)]

    client.post(
        f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "reject", "reason": "insult"}
    )
    assert client.get("/v1/queue?queue=reported", headers=site.auth).json["total"] == 0


def test_a_reject_for_other_reasons_teaches_the_spam_model_nothing_and_withdraws_an_earlier_label(client, db, site):
    comment = make_comment(db, site.id, status="review")
    client.post(f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "approve"})
    assert db.scalar(select(SpamFeedback)).label == "ham"

    client.post(f"/v1/comments/{comment.id}/decision", headers=site.auth, json={"decision": "reject"})

    db.expire_all()
    assert db.scalar(select(SpamFeedback)) is None
