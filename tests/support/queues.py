"""What waits in the real Redis broker's queues: the tasks the web process handed to the workers."""

import base64
import json


def queued(redis_client, queue: str, task: str) -> list[list]:
    """The args of every `task` message waiting in `queue`, oldest first."""
    messages = [json.loads(raw) for raw in reversed(redis_client.lrange(queue, 0, -1))]
    return [json.loads(base64.b64decode(m["body"]))[0] for m in messages if m["headers"]["task"] == task]
