"""Moderators' alerts: events become one message when a channel is quiet, digests when it is busy,
delivered, retried, dead and replayed like callbacks. Channels here are webhooks on a real local server."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from notify import channels
from notify.alerts.dispatch import dispatch_site
from notify.channel_admin import add_channel
from notify.deliveries import claim_alert, record_attempt
from notify.signing import verify
from shared import task_names
from shared.models import Comment, DeliveryAttempt, ModerationEvent, Notification, NotificationChannel, Site
from shared.moderation_events import record_events
from shared.notifications import revive_dead
from shared.settings import NotifySettings
from tests.support.factories import make_comment
from tests.support.http_server import http_server
from tests.support.processes import free_port
from tests.support.queues import queued

POLICY = NotifySettings(timeout_s=2, max_attempts=3, backoff_base_s=1, backoff_max_s=4)
BASE = "http://moderation.test"
_SECOND = timedelta(seconds=1)


def channel_for(db, site, url: str, **options) -> NotificationChannel:
    added = add_channel(db, db.get(Site, site.id), kind="webhook", target=url, settings=POLICY, **options)
    db.commit()
    return added


def held(db, site, count: int, *, start: int = 0) -> list[int]:
    """Comments held for review, with the events the moderation worker records for them."""
    ids = [
        make_comment(db, site.id, external_id=f"c-{n}", status="review", text=f"Комментарий номер {n}").id
        for n in range(start, start + count)
    ]
    record_events(db, [(site.id, comment_id, "review") for comment_id in ids])
    db.commit()
    return ids


def dispatch(db, site) -> list[int]:
    owed = dispatch_site(db, site.id, base_url=BASE)
    db.commit()
    return owed


def deliver(db, notification_id: int) -> float | None:
    """One try, as the notify worker's deliver_alert does it."""
    claimed = claim_alert(db, notification_id, lease_s=10)
    db.commit()
    assert claimed is not None
    target, alert = claimed
    delay = record_attempt(
        db, notification_id, channels.send(target, alert, POLICY, message_id=notification_id), POLICY
    )
    db.commit()
    return delay


def test_a_quiet_channel_hears_about_the_first_comment_at_once(db, site):
    with http_server() as (url, recorder):
        channel_for(db, site, f"{url}/alerts")
        (comment_id,) = held(db, site, 1)

        (notification_id,) = dispatch(db, site)
        assert deliver(db, notification_id) is None
        (request,) = recorder.received

    body = request.json()
    assert verify(site.signing_secret, request.headers, request.body)
    assert body["total"] == 1 and body["items"][0]["comment_id"] == comment_id
    assert body["items"][0]["console_url"] == f"{BASE}/console/comments/{comment_id}"


def test_a_burst_of_fifty_becomes_digests_of_the_configured_size_not_fifty_messages(db, site):
    channel = channel_for(db, site, "http://127.0.0.1:9/alerts", digest_interval_s=300, digest_max_items=10)
    held(db, site, 1)
    assert len(dispatch(db, site)) == 1  # the first one goes out at once

    held(db, site, 49, start=1)
    assert dispatch(db, site) == []  # within the interval: they wait

    db.execute(update(NotificationChannel).values(last_sent_at=NotificationChannel.last_sent_at - 301 * _SECOND))
    db.commit()
    (digest_id,) = dispatch(db, site)

    digest = db.get(Notification, digest_id).payload
    assert digest["total"] == 49 and len(digest["items"]) == channel.digest_max_items
    assert (
        db.scalar(select(Notification.id).where(Notification.channel_id == channel.id).order_by(Notification.id.desc()))
        == digest_id
    )
    assert len(db.scalars(select(Notification)).all()) == 2


def test_comments_decided_before_the_digest_are_left_out(db, site):
    channel_for(db, site, "http://127.0.0.1:9/alerts", digest_interval_s=300)
    held(db, site, 1)
    dispatch(db, site)
    first, second = held(db, site, 2, start=1)
    db.execute(update(NotificationChannel).values(last_sent_at=NotificationChannel.last_sent_at - 301 * _SECOND))
    db.execute(update(Comment).where(Comment.id == first).values(status="approved"))
    db.commit()

    (digest_id,) = dispatch(db, site)

    assert [item["comment_id"] for item in db.get(Notification, digest_id).payload["items"]] == [second]


def test_a_channel_answering_500_then_200_is_retried_and_delivered_once(db, site):
    with http_server(statuses=[500]) as (url, recorder):
        channel_for(db, site, url)
        held(db, site, 1)
        (notification_id,) = dispatch(db, site)

        assert deliver(db, notification_id) is not None  # retry later
        db.execute(update(Notification).values(not_before=None))
        db.commit()
        assert deliver(db, notification_id) is None

    assert [r.path for r in recorder.received] == ["/", "/"]
    assert db.get(Notification, notification_id).status == "delivered"
    assert [a.status_code for a in db.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id))] == [500, 200]


def test_a_channel_that_never_answers_ends_dead_and_is_replayed_when_it_is_back(db, site):
    port = free_port()
    channel_for(db, site, f"http://127.0.0.1:{port}/alerts")
    held(db, site, 1)
    (notification_id,) = dispatch(db, site)
    for _ in range(POLICY.max_attempts):
        deliver(db, notification_id)
        db.execute(update(Notification).values(not_before=None))
        db.commit()
    assert db.get(Notification, notification_id).status == "dead"

    assert revive_dead(db) == [(notification_id, "moderator_alert")]
    db.commit()
    with http_server(port=port) as (_url, recorder):
        assert deliver(db, notification_id) is None
        assert len(recorder.received) == 1
    db.expire_all()
    assert db.get(Notification, notification_id).status == "delivered"


def test_a_report_through_the_api_records_an_event_and_queues_a_dispatch(client, db, site, redis_client):
    channel_for(db, site, "http://127.0.0.1:9/alerts", events=("report",))
    comment = make_comment(db, site.id, status="approved")

    client.post(f"/v1/comments/{comment.id}/reports", headers=site.auth, json={"reporter_id": "r-1", "reason": "abuse"})

    assert [(e.comment_id, e.kind) for e in db.scalars(select(ModerationEvent))] == [(comment.id, "report")]
    assert queued(redis_client, "notify", task_names.DISPATCH_ALERTS) == [[site.id]]


def test_no_event_is_stored_for_a_site_without_channels(db, site):
    held(db, site, 3)
    assert db.scalars(select(ModerationEvent)).all() == []


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"kind": "pigeon", "target": "x"}, "unknown kind"),
        ({"kind": "webhook", "target": "http://x/", "events": ("gossip",)}, "events must be"),
        ({"kind": "webhook", "target": "http://x/", "digest_max_items": 0}, "1 to 50"),
    ],
)
def test_a_bad_channel_is_refused_with_the_reason(db, site, options, problem):
    with pytest.raises(ValueError, match=problem):
        add_channel(db, db.get(Site, site.id), settings=POLICY, **options)


def test_metrics_show_which_channel_is_failing_and_its_dead_messages(client, db, site):
    with http_server() as (url, _recorder):
        healthy = channel_for(db, site, url)
        broken = channel_for(db, site, f"http://127.0.0.1:{free_port()}/alerts")
        held(db, site, 1)
        for notification_id in dispatch(db, site):
            for _ in range(POLICY.max_attempts):
                deliver(db, notification_id) if db.get(Notification, notification_id).status == "pending" else None
                db.execute(update(Notification).values(not_before=None))
                db.commit()

    metrics = client.get("/metrics").get_data(as_text=True)

    assert f'modsys_alert_channel_failing{{channel="{broken.id}",kind="webhook"}} 1.0' in metrics
    assert f'modsys_alert_channel_failing{{channel="{healthy.id}",kind="webhook"}} 0.0' in metrics
    assert f'modsys_alert_messages{{channel="{broken.id}",kind="webhook",status="dead"}} 1.0' in metrics


def test_an_alert_gives_the_verdicts_reasons_in_the_sites_language(db, site):
    from moderation.spam.scorer import SpamResult, spam_reasons
    from moderation.spam.signals import text_signals
    from shared.models import Verdict
    from shared.reasons import threshold_reason
    from shared.vocabulary import Decision

    channel_for(db, site, "http://127.0.0.1:9/hook")
    (comment_id,) = held(db, site, 1)
    reasons = [
        threshold_reason("insult", 0.7, 0.5, Decision.REVIEW),
        *spam_reasons(SpamResult(0.6, text_signals("пиши в телеграм @kazino_bot"), None)),
    ]
    db.add(
        Verdict(
            comment_id=comment_id,
            version=1,
            decision="review",
            scores={"insult": 0.7, "spam": 0.6},
            reasons=[r.as_json() for r in reasons],
            model_name="test",
            model_version="0",
        )
    )
    db.commit()

    (notification_id,) = dispatch(db, site)

    (item,) = db.get(Notification, notification_id).payload["items"]
    assert item["reasons"][0] == "оскорбление 0.70 ≥ порога проверки 0.50"
    assert item["reasons"][1].startswith("контакт @kazino_bot рядом с")
