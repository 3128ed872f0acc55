"""A worker killed mid-stream (SIGKILL, no goodbye) loses no comment."""

import signal

import pytest
from sqlalchemy import func, select

from shared.models import Comment, Verdict
from tests.support.payloads import comment_body
from tests.support.processes import stop, wait_until

pytestmark = pytest.mark.e2e
N = 200


def count(db, query) -> int:
    db.expire_all()
    db.commit()
    return db.scalar(query)


def test_comments_in_flight_when_a_worker_dies_still_get_their_verdict(client, site, db, start_worker, tmp_path):
    for n in range(N):
        client.post("/v1/comments", json=comment_body(f"k-{n}", f"Комментарий номер {n} к новости"), headers=site.auth)
    victim, _ = start_worker("moderation", "--pool", "solo")
    verdicts = select(func.count()).select_from(Verdict)
    wait_until(lambda: count(db, verdicts) > 0, what="the first verdict")

    stop(victim, signal.SIGKILL)
    left = count(db, select(func.count()).where(Comment.status == "pending"))
    assert left > 0, "the worker finished everything before it was killed; nothing was tested"

    # The restarted worker runs beat too: its sweeper re-enqueues what the dead one held.
    start_worker("moderation", "--pool", "solo", "-B", "-s", str(tmp_path / "celerybeat-schedule"))
    wait_until(
        lambda: count(db, select(func.count()).where(Comment.status == "pending")) == 0,
        timeout_s=90,
        what="every comment decided",
    )
    assert count(db, verdicts) == N
