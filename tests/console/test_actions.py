"""Approve, reject, bulk, ban, suspend and undo from the console: statuses, audit rows, callbacks queued."""

import base64
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from shared.models import AuthorRestriction, Comment, ModerationAction, Notification, utcnow
from tests.console.conftest import csrf_token
from tests.support.sites import make_site


@pytest.fixture
def site(settings):
    # A site with a callback URL, so every decision owes it a signed callback (nothing listens: only queued here).
    return make_site(settings.database_url, name="luki", callback_url="http://127.0.0.1:9/hooks")


def queued(redis_client, queue: str) -> list[tuple[str, list]]:
    messages = [json.loads(raw) for raw in redis_client.lrange(queue, 0, -1)]
    return sorted((m["headers"]["task"], json.loads(base64.b64decode(m["body"]))[0]) for m in messages)


def post(client, path: str, **data):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/console/queue")})


def actions(db) -> list[ModerationAction]:
    db.expire_all()
    return list(db.scalars(select(ModerationAction).order_by(ModerationAction.id)))


def status(db, comment_id: int) -> str:
    db.expire_all()
    return db.get(Comment, comment_id).status


def test_approve_sets_the_status_writes_the_audit_row_and_queues_the_callback(moderator_client, held, db, redis_client):
    comment = held()

    response = post(
        moderator_client, f"/console/comments/{comment.id}/decide", decision="approve", next="/console/queue"
    )

    assert response.status_code == 302 and response.headers["Location"] == "/console/queue"
    assert status(db, comment.id) == "approved"
    [action] = actions(db)
    assert (action.action, action.actor, action.previous_status, action.new_status) == (
        "approve",
        "moderator:masha",
        "review",
        "approved",
    )
    notification = db.scalar(select(Notification).where(Notification.action_id == action.id))
    assert notification.payload["decision"] == "approve"
    assert ("notify.deliver_callback", [notification.id]) in queued(redis_client, "notify")
    page = moderator_client.get("/console/queue").get_data(as_text=True)
    assert "1 комментарий одобрен" in page and f'name="action" value="{action.id}"' in page  # the Undo button


def test_reject_keeps_the_reason_and_spam_teaches_the_spam_model(moderator_client, held, db, redis_client, site):
    comment = held()

    post(moderator_client, f"/console/comments/{comment.id}/decide", decision="reject", reason="spam")

    assert status(db, comment.id) == "rejected"
    assert actions(db)[0].reason == "spam"
    assert ("moderation.learn_spam", [site.id]) in queued(redis_client, "moderation")


def test_an_unknown_reason_is_refused_and_nothing_changes(moderator_client, held, db):
    comment = held()
    response = post(moderator_client, f"/console/comments/{comment.id}/decide", decision="reject", reason="whatever")
    assert response.status_code == 302
    assert status(db, comment.id) == "review" and actions(db) == []
    assert "Выберите причину из списка." in moderator_client.get("/console/queue").get_data(as_text=True)


def test_the_pages_script_gets_json_with_the_undo_ids(moderator_client, held, db):
    comment = held()

    response = moderator_client.post(
        f"/console/comments/{comment.id}/decide",
        headers={"Accept": "application/json"},
        data={"decision": "approve", "csrf_token": csrf_token(moderator_client, "/console/queue")},
    )

    assert response.status_code == 200
    assert response.json == {"ok": True, "message": "1 комментарий одобрен", "undo": [actions(db)[0].id]}


def test_bulk_reject_decides_every_selected_comment(moderator_client, held, db):
    chosen = [held().id, held().id, held().id]
    left = held().id

    moderator_client.post(
        "/console/comments/bulk",
        data={
            "ids": chosen,
            "decision": "reject",
            "reason": "insult",
            "csrf_token": csrf_token(moderator_client, "/console/queue"),
        },
    )

    assert [status(db, i) for i in chosen] == ["rejected"] * 3 and status(db, left) == "review"
    assert "3 комментария отклонены: оскорбление" in moderator_client.get("/console/queue").get_data(as_text=True)


def test_undo_restores_the_status_and_is_itself_audited(moderator_client, held, db):
    comment = held()
    post(moderator_client, f"/console/comments/{comment.id}/decide", decision="approve")
    approve = actions(db)[0]

    post(moderator_client, "/console/actions/undo", action=str(approve.id))

    assert status(db, comment.id) == "review"
    approve_row, undo_row = actions(db)
    assert approve_row.undone and undo_row.action == "undo" and undo_row.undoes_id == approve.id
    assert "1 действие отменено" in moderator_client.get("/console/queue").get_data(as_text=True)
    again = post(moderator_client, "/console/actions/undo", action=str(approve.id))  # twice: refused
    assert len(actions(db)) == 2
    page = moderator_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Не удалось отменить: Это действие уже отменено." in page  # the refusal in the moderator's language


def test_undo_of_a_bulk_decision_restores_all_of_it(moderator_client, held, db):
    chosen = [held().id, held().id]
    moderator_client.post(
        "/console/comments/bulk",
        data={"ids": chosen, "decision": "approve", "csrf_token": csrf_token(moderator_client, "/console/queue")},
    )

    moderator_client.post(
        "/console/actions/undo",
        data={"action": [a.id for a in actions(db)], "csrf_token": csrf_token(moderator_client, "/console/queue")},
    )

    assert [status(db, i) for i in chosen] == ["review", "review"]


def test_ban_rejects_the_authors_waiting_comments_and_restricts_them(moderator_client, held, db, site):
    first, second = held(author_id="troll"), held(author_id="troll")
    other = held(author_id="someone-else")

    post(
        moderator_client,
        "/console/authors/ban",
        site_id=str(site.id),
        author_id="troll",
        duration="ban",
        reason="insult",
        comment_id=str(first.id),
        confirm="1",
    )

    assert status(db, first.id) == status(db, second.id) == "rejected" and status(db, other.id) == "review"
    restriction = db.scalar(select(AuthorRestriction))
    assert restriction.kind == "ban" and restriction.until is None and restriction.author_id == "troll"
    ban = actions(db)[0]
    assert (ban.action, ban.comment_id, ban.actor) == ("ban", first.id, "moderator:masha")
    held(author_id="troll", text="Снова я")
    assert "заблокирован<" in moderator_client.get("/console/queue").get_data(as_text=True)


def test_suspend_for_seven_days_and_undo_lifts_it(moderator_client, held, db, site):
    comment = held(author_id="hothead")

    post(
        moderator_client, "/console/authors/ban", site_id=str(site.id), author_id="hothead", duration="7d", confirm="1"
    )

    restriction = db.scalar(select(AuthorRestriction))
    assert restriction.kind == "suspend"
    assert abs(restriction.until - (utcnow() + timedelta(days=7))) < timedelta(minutes=1)
    assert "Автор заблокирован на 7 дней" in moderator_client.get("/console/queue?queue=all").get_data(as_text=True)

    post(moderator_client, "/console/actions/undo", action=str(actions(db)[0].id))

    db.expire_all()
    assert db.scalar(select(AuthorRestriction)).lifted_at is not None
    assert status(db, comment.id) == "review"


def test_a_ban_needs_a_known_site_and_a_valid_duration(moderator_client, site, db):
    post(
        moderator_client,
        "/console/authors/ban",
        site_id=str(site.id),
        author_id="x",
        duration="forever-ish",
        confirm="1",
    )
    post(moderator_client, "/console/authors/ban", site_id="999", author_id="x", duration="ban", confirm="1")
    assert actions(db) == []


def test_a_ban_is_confirmed_first_saying_what_it_will_do(moderator_client, held, db, site):
    held(author_id="troll", author_name="Тролль Петрович")
    held(author_id="troll", author_name="Тролль Петрович")

    asked = post(moderator_client, "/console/authors/ban", site_id=str(site.id), author_id="troll", duration="7d")

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and actions(db) == []
    assert "Тролль Петрович" in page and "на 7 дней" in page
    assert "2 комментария, ждущих модератора, будут отклонены" in page
    assert 'name="confirm" value="1"' in page and 'name="author_id" value="troll"' in page
