"""Handing a committed decision's follow-up work to the workers, from a web request."""

import logging
from collections.abc import Iterable

from flask import current_app
from prometheus_client import Counter

from moderation.moderators.decisions import Outcome
from moderation.pipeline.moderate import Moderated
from shared import task_names

log = logging.getLogger(__name__)
ACTIONS = Counter("modsys_moderation_actions_total", "Moderators' actions (console and API), by action", ["action"])


def _send(task_name: str, arg: int) -> None:
    # After the commit. If the broker is down the work waits in its rows (pending notification,
    # unlearnt feedback); beat's sweeper or the next label picks it up, and the decision stands.
    try:
        current_app.extensions["celery"].send_task(
            task_name,
            args=[arg],
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception:
        log.exception("could not enqueue %s(%s); it will be picked up later", task_name, arg)


def enqueue_outcomes(outcomes: Iterable[Outcome]) -> None:
    """Count the committed actions; queue the callbacks they owe the site and one spam-learning run per site."""
    learn: set[int] = set()
    for outcome in outcomes:
        ACTIONS.labels(outcome.action.action).inc()
        for rejected in outcome.rejected:
            ACTIONS.labels(rejected.action).inc()
        for notification_id in outcome.notifications:
            _send(task_names.DELIVER_CALLBACK, notification_id)
        if outcome.learn_site_id is not None:
            learn.add(outcome.learn_site_id)
    for site_id in sorted(learn):
        _send(task_names.LEARN_SPAM, site_id)


def enqueue_moderated(moderated: Moderated) -> None:
    """After a synchronous verdict's commit: its callback to the site, and the moderators' alerts."""
    for notification_id in moderated.callbacks:
        _send(task_names.DELIVER_CALLBACK, notification_id)
    for site_id in moderated.alert_sites:
        _send(task_names.DISPATCH_ALERTS, site_id)


def enqueue_spam_learning(site_id: int) -> None:
    """After committed spam feedback: one learning run for the site's spam model."""
    _send(task_names.LEARN_SPAM, site_id)
