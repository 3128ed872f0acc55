"""Delivering a site callback against a real HTTP server: signed, retried, dead, replayed."""

from notify.callbacks import post_signed
from notify.deliveries import claim, record_attempt, stale_pending
from notify.signing import DELIVERY_HEADER, verify
from shared.models import DeliveryAttempt, Notification
from shared.notifications import revive_dead
from shared.settings import CallbackSettings
from tests.support.factories import make_callback
from tests.support.http_server import http_server
from tests.support.processes import free_port

POLICY = CallbackSettings(timeout_s=2, max_attempts=3, backoff_base_s=1, backoff_max_s=4)


def try_once(db, notification_id: int) -> float | None:
    """One delivery try, the way the notify task does it."""
    delivery = claim(db, notification_id, lease_s=10)
    db.commit()
    assert delivery is not None
    delay = record_attempt(db, notification_id, post_signed(delivery, timeout_s=POLICY.timeout_s), POLICY)
    db.commit()
    return delay


def test_a_delivered_callback_is_signed_and_marked_delivered(db, site):
    with http_server() as (url, recorder):
        notification = make_callback(db, site.id, f"{url}/hooks/moderation", decision="reject")
        assert try_once(db, notification.id) is None
        (request,) = recorder.received

    assert request.path == "/hooks/moderation"
    assert request.json() == {"comment_id": notification.comment_id, "decision": "reject"}
    assert verify(site.signing_secret, request.headers, request.body)
    assert request.headers[DELIVERY_HEADER] == str(notification.id)
    db.refresh(notification)
    assert notification.status == "delivered" and notification.attempts == 1


def test_a_5xx_is_retried_with_backoff_then_delivered(db, site):
    with http_server(statuses=[500]) as (url, recorder):
        notification = make_callback(db, site.id, url)
        delay = try_once(db, notification.id)
        assert 0.5 <= delay <= 1.0
        assert claim(db, notification.id, lease_s=10) is None  # not before the retry time
        db.rollback()
        db.query(Notification).filter_by(id=notification.id).update({"not_before": None})
        db.commit()
        assert try_once(db, notification.id) is None

    attempts = db.query(DeliveryAttempt).order_by(DeliveryAttempt.id).all()
    assert [a.status_code for a in attempts] == [500, 200]
    assert "HTTP 500" in attempts[0].error
    db.refresh(notification)
    assert notification.status == "delivered" and len(recorder.received) == 2


def test_a_4xx_is_not_retried(db, site):
    with http_server(statuses=[410]) as (url, _):
        notification = make_callback(db, site.id, url)
        assert try_once(db, notification.id) is None

    db.refresh(notification)
    assert notification.status == "dead" and "HTTP 410" in notification.last_error


def test_an_unreachable_site_dies_after_the_last_try_and_is_replayed(db, site):
    port = free_port()  # nothing listens here yet
    notification = make_callback(db, site.id, f"http://127.0.0.1:{port}/cb")
    delays = []
    for _ in range(POLICY.max_attempts):
        delays.append(try_once(db, notification.id))
        db.query(Notification).filter_by(id=notification.id).update({"not_before": None})
        db.commit()

    assert delays[:-1] and all(d is not None for d in delays[:-1]) and delays[-1] is None
    db.refresh(notification)
    assert notification.status == "dead" and "ConnectionError" in notification.last_error
    assert db.query(DeliveryAttempt).count() == POLICY.max_attempts

    with http_server(port=port) as (_, recorder):
        assert revive_dead(db) == [(notification.id, "site_callback")]
        db.commit()
        assert try_once(db, notification.id) is None
        assert len(recorder.received) == 1
    db.refresh(notification)
    assert notification.status == "delivered"


def test_a_delivered_notification_cannot_be_claimed_again(db, site):
    with http_server() as (url, recorder):
        notification = make_callback(db, site.id, url)
        try_once(db, notification.id)
        assert claim(db, notification.id, lease_s=10) is None
    assert len(recorder.received) == 1


def test_stale_pending_finds_only_lost_notifications(db, site):
    notification = make_callback(db, site.id, "http://127.0.0.1:9/cb")
    assert stale_pending(db, older_than_s=60) == []
    assert stale_pending(db, older_than_s=-1) == [(notification.id, "site_callback")]
