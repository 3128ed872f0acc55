"""The embedded SQLite broker is pruned of messages workers took long ago, and only of those."""

from kombu import Connection

from services.broker_housekeeping import prune_taken_messages
from shared import task_names
from shared.celery_app import create_celery
from shared.settings import Settings


def test_taken_messages_are_pruned_and_waiting_ones_kept(tmp_path):
    broker_url = f"sqla+sqlite:///{tmp_path / 'broker.db'}"
    celery = create_celery(Settings(database_url="sqlite://", broker_url=broker_url))
    for comment_id in (1, 2, 3):
        celery.send_task(task_names.SCORE_COMMENT, args=[comment_id])
    with Connection(broker_url) as conn:
        queue = conn.SimpleQueue(task_names.MODERATION_QUEUE)
        queue.get(timeout=5).ack()  # a worker took and finished one
        queue.close()

    assert prune_taken_messages(broker_url, older_than_s=3600) == 0  # taken just now: kept
    assert prune_taken_messages(broker_url, older_than_s=-1) == 1

    with Connection(broker_url) as conn:
        queue = conn.SimpleQueue(task_names.MODERATION_QUEUE)
        assert queue.qsize() == 2


def test_other_brokers_are_left_alone():
    assert prune_taken_messages("redis://127.0.0.1:6379/5", older_than_s=0) == 0
