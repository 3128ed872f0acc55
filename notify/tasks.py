"""The notify worker's tasks."""

import logging
from collections.abc import Callable
from typing import TypeVar

from celery import Task, shared_task

from notify import channels
from notify.alerts.dispatch import dispatch_site, sites_with_channels
from notify.callbacks import AttemptResult, post_signed
from notify.deliveries import claim, claim_alert, record_attempt, release_next, stale_pending
from shared import task_names
from shared.db import session_scope
from shared.notifications import delivery_task
from shared.settings import CallbackSettings, NotifySettings
from shared.targets import TargetRefusedError, check_target
from shared.vocabulary import ChannelKind, NotificationKind
from shared.work_metrics import count_try

log = logging.getLogger(__name__)
Claimed = TypeVar("Claimed")  # what a claim hands to the sender: a site callback, or a channel and its alert


def _try_once(
    task: Task,
    notification_id: int,
    *,
    what: str,
    kind: NotificationKind,
    claim_one: Callable[..., Claimed | None],
    send: Callable[[Claimed], AttemptResult],
    policy: CallbackSettings | NotifySettings,
) -> None:
    """Claim the row, send without holding a transaction, record the attempt; schedule the retry if any."""
    settings = task.app.settings
    with session_scope(settings.database_url) as session:
        claimed = claim_one(session, notification_id, lease_s=policy.timeout_s * 2 + 5)
    if claimed is None:
        return  # delivered, dead, or another try holds it
    result = send(claimed)
    with session_scope(settings.database_url) as session:
        delay = record_attempt(session, notification_id, result, policy)
        following = None if delay is not None else release_next(session, notification_id)
    count_try(kind, delivered=result.delivered, retrying=delay is not None)
    if delay is not None:
        log.info("%s %s failed (%s); next try in %.1fs", what, notification_id, result.error, delay)
        task.app.send_task(task.name, args=[notification_id], countdown=delay)
    elif not result.delivered:
        log.warning("%s %s is dead: %s", what, notification_id, result.error)
    if following is not None:  # the comment's next callback waited for this one
        task.app.send_task(task.name, args=[following])


URL_CHANNELS = (ChannelKind.WEBHOOK, ChannelKind.SLACK)  # the channels whose target is a URL a site admin sets


def _refused(task: Task, url: str) -> AttemptResult | None:
    """A failed attempt that no retry can mend, when the target is not one we send to (checked at
    each delivery: a host name may have been re-pointed since the URL was saved)."""
    try:
        check_target(url, allow_private=task.app.settings.allow_private_targets)
    except TargetRefusedError as exc:
        return AttemptResult(None, f"refused: {exc}", 0, transient=False)
    return None


# Idempotent, hence acks_late: a try first claims the row (pending, not leased), so a
# redelivered or swept copy of a delivered notification does nothing.
@shared_task(name=task_names.DELIVER_CALLBACK, bind=True, acks_late=True)
def deliver_callback(self: Task, notification_id: int) -> None:
    """Try one signed POST to the site; on a retryable failure, schedule the next try with backoff."""
    policy = self.app.settings.callback
    _try_once(
        self,
        notification_id,
        what="callback",
        kind=NotificationKind.SITE_CALLBACK,
        claim_one=claim,
        policy=policy,
        send=lambda delivery: _refused(self, delivery.url) or post_signed(delivery, timeout_s=policy.timeout_s),
    )


@shared_task(name=task_names.SWEEP_PENDING_NOTIFICATIONS, bind=True)
def sweep_pending_notifications(self: Task) -> int:
    """Re-enqueue notifications whose message was lost; claiming makes duplicates harmless."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        stale = stale_pending(session, older_than_s=settings.pending_requeue_after_s)
    for notification_id, kind in stale:
        self.app.send_task(delivery_task(kind), args=[notification_id])
    return len(stale)


# Safe to repeat: each channel is locked while its new events become one message, and its
# last covered event id moves forward in the same transaction.
@shared_task(name=task_names.DISPATCH_ALERTS, bind=True, acks_late=True)
def dispatch_alerts(self: Task, site_id: int) -> int:
    """Send the site's channels what is new for them: one message now, or a digest when one falls due."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        owed = dispatch_site(session, site_id, base_url=settings.base_url)
    for notification_id in owed:
        self.app.send_task(task_names.DELIVER_ALERT, args=[notification_id])
    return len(owed)


@shared_task(name=task_names.SWEEP_ALERTS, bind=True)
def sweep_alerts(self: Task) -> int:
    """Dispatch every site with channels: this is when waiting digests fall due."""
    with session_scope(self.app.settings.database_url) as session:
        sites = sites_with_channels(session)
    for site_id in sites:
        self.app.send_task(task_names.DISPATCH_ALERTS, args=[site_id])
    return len(sites)


# Idempotent like deliver_callback: the try claims the row first.
@shared_task(name=task_names.DELIVER_ALERT, bind=True, acks_late=True)
def deliver_alert(self: Task, notification_id: int) -> None:
    """Send one alert through its channel; on a retryable failure, schedule the next try with backoff."""
    policy = self.app.settings.notify
    _try_once(
        self,
        notification_id,
        what="alert",
        kind=NotificationKind.MODERATOR_ALERT,
        claim_one=claim_alert,
        policy=policy,
        send=lambda claimed: (
            (_refused(self, claimed[0].target) if claimed[0].kind in URL_CHANNELS else None)
            or channels.send(*claimed, policy, message_id=notification_id)
        ),
    )
