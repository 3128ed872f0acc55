"""After the broker restarts, a lone comment in a quiet system is still decided by the batch timer.

celery-batches kept its flush timer's reference across the consumer restart a lost broker connection
causes, so no new timer started and only full batches (64) were flushed. The test runs its own
redis-server (on a free port, so nobody else's broker restarts), and no beat: the sweeper cannot
rescue the comment, only the flush timer can.
"""

import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from celery import Celery
from sqlalchemy import select

from shared import task_names
from shared.celery_app import create_celery
from shared.models import Comment
from tests.support.factories import make_comment
from tests.support.processes import free_port, start, stop, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")]


def redis_server(port: int, tmp_path: Path):  # type: ignore[no-untyped-def]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = start(command, {}, tmp_path / "redis.log", cwd=tmp_path)
    client = redis.Redis(port=port)
    wait_until(lambda: _pings(client), what="the test's redis-server")
    return process


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@contextmanager
def steady_stream(sender: Celery) -> Iterator[None]:
    """Score tasks every few milliseconds (for ids no comment has: the worker drops them), until the block ends."""
    done = threading.Event()

    def send() -> None:
        n = 10**9
        while not done.is_set():
            n += 1
            try:
                sender.send_task(task_names.SCORE_COMMENT, args=[n], retry=False)
            except Exception:  # noqa: BLE001 (the broker is down for a moment)
                time.sleep(0.05)
            time.sleep(0.005)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def status(db, comment_id: int) -> str:
    db.expire_all()
    db.commit()
    return db.scalar(select(Comment.status).where(Comment.id == comment_id))


def test_a_comment_after_a_broker_restart_is_decided_without_more_traffic(settings, site, db, start_worker, tmp_path):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    server = redis_server(port, tmp_path)
    try:
        _, log = start_worker("moderation", "--pool", "solo", env={"MOD_BROKER_URL": broker})
        sender = create_celery(settings.model_copy(update={"broker_url": broker}))
        first = make_comment(db, site.id, external_id="before").id
        sender.send_task(task_names.SCORE_COMMENT, args=[first])
        wait_until(lambda: status(db, first) != "pending", what="the comment before the restart", log=log)

        # The restart comes under traffic, while the flush timer is running (in a quiet system it
        # stops between batches, and a new one starts cleanly).
        with steady_stream(sender):
            time.sleep(0.5)
            stop(server, signal.SIGKILL)
            server = redis_server(port, tmp_path)
            reconnected = lambda: log.read_text(errors="replace").count("Connected to redis://") >= 2  # noqa: E731
            wait_until(reconnected, timeout_s=60, what="the worker reconnecting", log=log)
            time.sleep(0.5)

        after = make_comment(db, site.id, external_id="after").id
        sender.send_task(task_names.SCORE_COMMENT, args=[after])
        wait_until(lambda: status(db, after) != "pending", what="the lone comment after the restart", log=log)
    finally:
        stop(server)
