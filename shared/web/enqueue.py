"""Handing committed work to the workers from a web request, by task name."""

import logging
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery import Celery
from celery.utils import uuid
from flask import current_app
from kombu import Producer

log = logging.getLogger(__name__)
# A request must not hang on a broker that is down: two quick retries, then the row waits.
_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}

# Per app and thread: a producer on a broker connection of its own, opened at the first enqueue
# (after gunicorn forked), and the route of each task name. Celery's send_task takes a producer
# from its pool, re-binds it and routes the name at every call: in a POST /v1/comments that was
# a fifth of the CPU time (py-spy --gil), four times the LPUSH it wraps.
_senders: "weakref.WeakKeyDictionary[Celery, threading.local]" = weakref.WeakKeyDictionary()
_senders_lock = threading.Lock()


def _sender(celery: Celery) -> Any:
    with _senders_lock:
        sender = _senders.get(celery)
        if sender is None:
            sender = _senders[celery] = threading.local()
    if getattr(sender, "producer", None) is None:
        sender.producer = Producer(celery.connection_for_write())  # type: ignore[no-untyped-call]
        sender.routes = {}
        _keep_publish_client(sender.producer.channel)
    return sender


def _keep_publish_client(channel: Any) -> None:
    # kombu's Redis channel builds a new redis-py client object (on its shared connection pool)
    # for every message it publishes: 0.2 ms, about a tenth of a POST's CPU time. This channel is
    # this thread's alone, so one client serves all its publishes. Other transports are left as
    # they are.
    create = getattr(channel, "_create_client", None)
    if create is None or not hasattr(channel, "conn_or_acquire"):
        return
    client = create()

    @contextmanager
    def conn_or_acquire(given: Any = None) -> Iterator[Any]:
        yield given or client

    channel.conn_or_acquire = conn_or_acquire


def send(celery: Celery, task_name: str, arg: int) -> None:
    """Publish `task_name(arg)` as Celery's send_task would (the same message protocol, queue and
    declaration, retry policy and signals), on this thread's producer."""
    sender = _sender(celery)
    route = sender.routes.get(task_name)
    if route is None:
        route = sender.routes[task_name] = celery.amqp.router.route({}, task_name, None, None)
    message = celery.amqp.create_task_message(uuid(), task_name, [arg], {}, reply_to=celery.thread_oid)
    celery.amqp.send_task_message(sender.producer, task_name, message, retry_policy=_RETRY, **route)


def enqueue_after_commit(task_name: str, arg: int) -> None:
    """Queue `task_name(arg)`; call it after the commit, so the row exists before a worker looks for it.

    If the broker is down the work waits in its row (a pending comment or notification, unlearnt
    feedback) and beat's sweeper or the next enqueue picks it up; the request still succeeds.
    """
    try:
        send(current_app.extensions["celery"], task_name, arg)
    except Exception:
        log.exception("could not enqueue %s(%s); it will be picked up later", task_name, arg)
