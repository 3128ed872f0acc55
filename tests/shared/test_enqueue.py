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


def test_the_kept_publish_client_publishes_again_after_the_broker_restarts(settings, tmp_path):
    # A dedicated redis-server on a free port: restarting it hurts nobody else's broker.
    import redis

    from tests.e2e.test_broker_restart import redis_server
    from tests.support.processes import free_port, stop

    port = free_port()
    broker = redis.Redis(port=port)
    app = create_celery(settings.model_copy(update={"broker_url": f"redis://127.0.0.1:{port}/0"}))
    server = redis_server(port, tmp_path)
    try:
        send(app, task_names.SCORE_COMMENT, 1)
        assert broker.llen(task_names.MODERATION_QUEUE) == 1
        stop(server)
        server = redis_server(port, tmp_path)  # empty: it kept nothing on disk

        send(app, task_names.SCORE_COMMENT, 2)

        (raw,) = broker.lrange(task_names.MODERATION_QUEUE, 0, -1)
        assert json.loads(raw)["headers"]["argsrepr"] == "[2]"
    finally:
        stop(server)
