"""Handing a committed decision's follow-up work to the workers, from a web request."""

from collections.abc import Iterable

from prometheus_client import Counter

from moderation.moderators.decisions import Outcome
from moderation.pipeline.moderate import Moderated
from shared import task_names
from shared.web.enqueue import enqueue_after_commit

ACTIONS = Counter("modsys_moderation_actions_total", "Moderators' actions (console and API), by action", ["action"])


def enqueue_outcomes(outcomes: Iterable[Outcome]) -> None:
    """Count the committed actions; queue the callbacks they owe the site and one spam-learning run per site."""
    learn: set[int] = set()
    for outcome in outcomes:
        ACTIONS.labels(outcome.action.action).inc()
        for rejected in outcome.rejected:
            ACTIONS.labels(rejected.action).inc()
        for notification_id in outcome.notifications:
            enqueue_after_commit(task_names.DELIVER_CALLBACK, notification_id)
        if outcome.learn_site_id is not None:
            learn.add(outcome.learn_site_id)
    for site_id in sorted(learn):
        enqueue_after_commit(task_names.LEARN_SPAM, site_id)


def enqueue_moderated(moderated: Moderated) -> None:
    """After a synchronous verdict's commit: its callback to the site, and the moderators' alerts."""
    for notification_id in moderated.callbacks:
        enqueue_after_commit(task_names.DELIVER_CALLBACK, notification_id)
    for site_id in moderated.alert_sites:
        enqueue_after_commit(task_names.DISPATCH_ALERTS, site_id)


def enqueue_spam_learning(site_id: int) -> None:
    """After committed spam feedback: one learning run for the site's spam model."""
    enqueue_after_commit(task_names.LEARN_SPAM, site_id)
