"""Publishing tasks through the one Celery configuration, on a real Redis broker."""

import base64
import json

from shared import task_names
from shared.celery_app import create_celery, send_tasks


def _queued(redis_client, queue: str) -> list[tuple[str, list]]:
    messages = [json.loads(raw) for raw in reversed(redis_client.lrange(queue, 0, -1))]
    return [(m["headers"]["task"], json.loads(base64.b64decode(m["body"]))[0]) for m in messages]


def test_a_batch_of_tasks_reaches_each_queue_in_order_as_celery_messages(settings, redis_client):
    app = create_celery(settings)

    send_tasks(
        app,
        [
            (task_names.DELIVER_CALLBACK, [11]),
            (task_names.DELIVER_CALLBACK, [12]),
            (task_names.DISPATCH_ALERTS, [3]),
            (task_names.SCORE_COMMENT, [7]),
        ],
    )

    assert _queued(redis_client, task_names.NOTIFY_QUEUE) == [
        (task_names.DELIVER_CALLBACK, [11]),
        (task_names.DELIVER_CALLBACK, [12]),
        (task_names.DISPATCH_ALERTS, [3]),
    ]
    assert _queued(redis_client, task_names.MODERATION_QUEUE) == [(task_names.SCORE_COMMENT, [7])]


def test_an_empty_batch_sends_nothing(settings, redis_client):
    send_tasks(create_celery(settings), [])

    assert redis_client.llen(task_names.MODERATION_QUEUE) == redis_client.llen(task_names.NOTIFY_QUEUE) == 0
