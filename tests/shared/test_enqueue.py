"""The web's enqueue publishes what Celery's send_task would, on a real Redis broker."""

import json

from shared import task_names
from shared.celery_app import create_celery
from shared.web.enqueue import send

PER_MESSAGE = {"id", "root_id", "argsrepr", "correlation_id", "delivery_tag"}  # ids and the args' repr


def _flat(message: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in message.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif key not in PER_MESSAGE and key != "body":
            flat[prefix + key] = value
    return flat


def test_the_message_is_celerys_own_but_for_its_ids(settings, redis_client):
    app = create_celery(settings)
    app.send_task(task_names.SCORE_COMMENT, args=[1])

    send(app, task_names.SCORE_COMMENT, 2)
    send(app, task_names.DELIVER_CALLBACK, 3)

    celerys, ours = (json.loads(raw) for raw in reversed(redis_client.lrange(task_names.MODERATION_QUEUE, 0, -1)))
    assert _flat(ours) == _flat(celerys)
    assert ours["headers"]["task"] == task_names.SCORE_COMMENT and ours["headers"]["argsrepr"] == "[2]"
    assert ours["headers"]["id"] != celerys["headers"]["id"]
    callback = json.loads(redis_client.lindex(task_names.NOTIFY_QUEUE, 0))
    assert callback["headers"]["task"] == task_names.DELIVER_CALLBACK
