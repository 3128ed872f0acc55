"""Handing committed work to the workers from a web request, by task name."""

import logging

from flask import current_app

log = logging.getLogger(__name__)
# A request must not hang on a broker that is down: two quick retries, then the row waits.
_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}


def enqueue_after_commit(task_name: str, arg: int) -> None:
    """Queue `task_name(arg)`; call it after the commit, so the row exists before a worker looks for it.

    If the broker is down the work waits in its row (a pending comment or notification, unlearnt
    feedback) and beat's sweeper or the next enqueue picks it up; the request still succeeds.
    """
    try:
        current_app.extensions["celery"].send_task(task_name, args=[arg], retry_policy=_RETRY)
    except Exception:
        log.exception("could not enqueue %s(%s); it will be picked up later", task_name, arg)
