"""Admins see the messages that could not be delivered, without their secrets, and send them again."""

from sqlalchemy import update

from shared import task_names
from shared.models import Notification, NotificationChannel
from tests.console.conftest import csrf_token
from tests.support.factories import make_callback
from tests.support.queues import queued

SLACK_URL = "https://hooks.slack.example/services/T0/B0/very-secret-path"


def dead_messages(db, site):  # type: ignore[no-untyped-def]
    callback = make_callback(db, site.id, "https://luki.ru/hooks/moderation")
    channel = NotificationChannel(
        site_id=site.id,
        kind="slack",
        target=SLACK_URL,
        events=["review"],
        digest_interval_s=300,
        digest_max_items=10,
        active=True,
        last_event_id=0,
    )
    db.add(channel)
    db.flush()
    alert = Notification(
        kind="moderator_alert",
        site_id=site.id,
        channel_id=channel.id,
        target_url=SLACK_URL,
        payload={},
        status="dead",
        attempts=8,
        last_error="HTTP 404: no_service",
    )
    db.add(alert)
    db.execute(
        update(Notification)
        .where(Notification.id == callback.id)
        .values(status="dead", attempts=8, last_error="HTTP 500: <b>boom</b>")
    )
    db.commit()
    return callback.id, alert.id


def test_an_admin_sees_dead_messages_with_their_errors_but_not_the_webhooks_secret_path(admin_client, db, site):
    dead_messages(db, site)

    page = admin_client.get("/console/deliveries").get_data(as_text=True)

    assert "Недоставленные сообщения" in page
    assert "HTTP 404: no_service" in page and "slack: hooks.slack.example" in page
    assert "very-secret-path" not in page
    assert "&lt;b&gt;boom&lt;/b&gt;" in page and "<b>boom</b>" not in page


def test_replaying_all_puts_them_back_in_line_for_their_own_workers(admin_client, db, site, redis_client):
    callback_id, alert_id = dead_messages(db, site)

    response = admin_client.post(
        "/console/deliveries/replay", data={"all": "1", "csrf_token": csrf_token(admin_client, "/console/deliveries")}
    )

    assert response.status_code == 302
    db.expire_all()
    assert {db.get(Notification, i).status for i in (callback_id, alert_id)} == {"pending"}
    assert queued(redis_client, "notify", task_names.DELIVER_CALLBACK) == [[callback_id]]
    assert queued(redis_client, "notify", task_names.DELIVER_ALERT) == [[alert_id]]
    page = admin_client.get("/console/deliveries").get_data(as_text=True)
    assert "2 сообщения отправлены снова" in page


def test_replaying_the_selected_leaves_the_others_dead(admin_client, db, site):
    callback_id, alert_id = dead_messages(db, site)

    admin_client.post(
        "/console/deliveries/replay",
        data={"id": str(alert_id), "csrf_token": csrf_token(admin_client, "/console/deliveries")},
    )

    db.expire_all()
    assert (db.get(Notification, callback_id).status, db.get(Notification, alert_id).status) == ("dead", "pending")


def test_moderators_cannot_see_or_replay_deliveries(moderator_client, db, site):
    callback_id, _ = dead_messages(db, site)

    assert moderator_client.get("/console/deliveries").status_code == 403
    replay = moderator_client.post(
        "/console/deliveries/replay", data={"all": "1", "csrf_token": csrf_token(moderator_client, "/console/queue")}
    )
    assert replay.status_code == 403
    db.expire_all()
    assert db.get(Notification, callback_id).status == "dead"
