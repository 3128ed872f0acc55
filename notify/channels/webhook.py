"""A generic webhook: the alert as JSON, signed exactly like the site callback."""

from typing import Any

from notify.alerts import wording as alert_text
from notify.alerts.message import Alert, AlertItem, ChannelTarget
from notify.callbacks import AttemptResult, Delivery, post_signed
from shared.settings import NotifySettings

EVENT = "moderation.alert"


def payload(alert: Alert) -> dict[str, Any]:
    """The JSON body; texts are data here, escaping is the receiver's business."""
    return {
        "event": EVENT,
        "site": alert.site_name,
        "language": alert.language,
        "title": alert_text.title(alert),
        "total": alert.total,
        "counts": dict(alert.counts),
        "queue_url": alert.queue_url,
        "test": alert.is_test,
        "items": [_item(item) for item in alert.items],
    }


def _item(item: AlertItem) -> dict[str, Any]:
    return {
        "comment_id": item.comment_id,
        "event": item.event,
        "article": {"title": item.article_title, "url": item.article_url},
        "author": item.author_name,
        "text": item.text,
        "marked_words": [{"text": p.text, "category": p.mark} for p in item.pieces if p.mark],
        "top_scores": [{"category": category, "score": score} for category, score in item.top_scores],
        "reasons": list(item.reasons),
        "console_url": item.console_url,
        "report_count": item.report_count,
    }


def send(target: ChannelTarget, alert: Alert, settings: NotifySettings, *, message_id: int) -> AttemptResult:
    """POST the signed JSON; the delivery header carries `message_id`, so receivers can drop repeats."""
    if not target.secret:
        return AttemptResult(None, "the webhook has no signing secret", 0, transient=False)
    delivery = Delivery(message_id, target.target, (target.secret, *target.previous_secrets), payload(alert))
    return post_signed(delivery, timeout_s=settings.timeout_s)
