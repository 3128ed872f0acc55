"""A site that is down for a while gets every decision once it is back, in order per comment.

The clock is simulated (time-machine moves the process's clock; the notification rows' times and
the retry schedule follow it), the receiver is a real HTTP server, and each try is the notify
worker's real task body. The loop plays the broker's part: it runs every callback that is due,
newest first, the worst order for ordering, as several workers might.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from moderation.moderators.decisions import decide_comment
from notify import tasks
from shared.celery_app import create_celery
from shared.models import Notification, utcnow
from shared.settings import CallbackSettings
from tests.support.factories import make_callback
from tests.support.http_server import http_server
from tests.support.processes import free_port
from tests.support.sites import make_site

STEP = timedelta(seconds=20)


@pytest.fixture
def deliver(settings):
    """The deliver_callback task of a notify app with these callback settings, run in this process."""

    def make(policy: CallbackSettings):
        app = create_celery(settings.model_copy(update={"callback": policy}), include=["notify.tasks"])
        app.set_current()
        return app.tasks[tasks.deliver_callback.name]  # called directly: runs here, now

    return make


def _due(db) -> list[int]:
    now = utcnow()
    db.expire_all()
    rows = db.scalars(
        select(Notification.id)
        .where(Notification.status == "pending")
        .where((Notification.not_before.is_(None)) | (Notification.not_before <= now))
        .order_by(Notification.id.desc())
    )
    return list(rows)


def _decisions(db, site_id: int, url: str) -> dict[int, list[int]]:
    """Three comments decided by the machine, two of them decided again by moderators: their callbacks."""
    owed: dict[int, list[int]] = {}
    for external_id, later in (("c-1", ["approve", "reject"]), ("c-2", ["reject"]), ("c-3", [])):
        verdict = make_callback(db, site_id, url, decision="review", external_id=external_id)
        owed[verdict.comment_id] = [verdict.id]
        for decision in later:
            outcome = decide_comment(db, verdict.comment_id, decision, actor="moderator:olga", reason=None)
            owed[verdict.comment_id] += outcome.notifications
        db.commit()
    assert sum(map(len, owed.values())) == 6
    return owed


def test_a_receiver_down_for_ten_minutes_gets_every_decision_once_in_order(db, settings, deliver):
    run = deliver(CallbackSettings(timeout_s=2, backoff_base_s=2, backoff_max_s=600))
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/moderation"
    site = make_site(settings.database_url, name="luki", callback_url=url)
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        owed = _decisions(db, site.id, url)
        while utcnow() < start + timedelta(minutes=10):  # nothing listens: every try fails
            for notification_id in _due(db):
                run(notification_id)
            clock.shift(STEP)
        failed_tries = sum(n.attempts for n in db.scalars(select(Notification)))
        with http_server(port=port) as (_, recorder):
            while _due(db) or db.scalar(select(Notification.id).where(Notification.status == "pending")):
                assert utcnow() < start + timedelta(minutes=30), "not all delivered 20 minutes after the outage"
                for notification_id in _due(db):
                    run(notification_id)
                clock.shift(STEP)

    received = [int(r.headers["X-Modsys-Delivery"]) for r in recorder.received]
    assert sorted(received) == sorted(i for ids in owed.values() for i in ids)  # each once, none lost
    for ids in owed.values():
        assert [i for i in received if i in ids] == ids  # in decision order per comment
    assert failed_tries >= 3  # the outage was felt, and outlived
    assert {n.status for n in db.scalars(select(Notification))} == {"delivered"}


def test_a_callback_is_retried_for_the_configured_time_then_dies_and_lets_the_next_go(db, settings, deliver):
    run = deliver(CallbackSettings(timeout_s=2, retry_for_s=3600, backoff_base_s=2, backoff_max_s=600))
    url = f"http://127.0.0.1:{free_port()}/cb"
    site = make_site(settings.database_url, name="luki", callback_url=url)
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        first = make_callback(db, site.id, url, decision="review")
        (second,) = decide_comment(db, first.comment_id, "approve", actor="moderator:olga").notifications
        db.commit()
        while utcnow() < start + timedelta(minutes=59):
            for notification_id in _due(db):
                run(notification_id)
            clock.shift(STEP)
        db.refresh(first)
        assert first.status == "pending"  # still trying after 59 minutes, not after 8 tries
        assert first.attempts > 8
        assert db.get(Notification, second).attempts == 0  # never sent ahead of the first

        clock.shift(timedelta(minutes=2))
        for _ in range(3):
            for notification_id in _due(db):
                run(notification_id)
        db.refresh(first)
        assert first.status == "dead"
        assert db.get(Notification, second).attempts >= 1  # released when the first gave up
