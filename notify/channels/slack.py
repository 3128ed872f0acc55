"""Slack: an incoming-webhook message of Block Kit blocks.

Untrusted text (comment, author, article title, reasons) goes only into `rich_text` elements, never
into mrkdwn. Slack's docs prefer rich_text for user-defined text, and it has no markup to inject:
a comment's `*bold*`, `_x_`, `<!channel>` or `<http://evil|click>` shows as typed, and the flagged
words are bold by style, not by asterisks. The mrkdwn fallback `text` carries only our own words
and the site's name, with `&`, `<` and `>` escaped as Slack documents.
"""

from typing import Any
from urllib.parse import urlsplit

from notify.alerts import wording as alert_text
from notify.alerts.message import Alert, AlertItem, ChannelTarget
from notify.callbacks import AttemptResult
from notify.channels.common import clip, hidden_count, post_json, web_link
from shared.settings import NotifySettings

MAX_ITEMS = 15  # Slack allows 50 blocks: header, counts, three per item, "… and N more", queue button
COMMENT_CHARS = 1500
HEADER_CHARS = 150


def escape_mrkdwn(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(alert: Alert) -> dict[str, Any]:
    """The webhook body: fallback `text` for notifications, and the blocks a channel shows."""
    header = f"{alert.site_name}: {alert_text.title(alert)}"
    blocks = _blocks(alert, header)
    return {"text": escape_mrkdwn(header), "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def _blocks(alert: Alert, header: str) -> list[dict[str, Any]]:
    language = alert_text.language_of(alert)
    shown = alert.items[:MAX_ITEMS]
    notes = [alert_text.test_text(alert) if alert.is_test else None, alert_text.counts_line(alert)]
    blocks = [{"type": "header", "text": _plain(header[:HEADER_CHARS])}]
    blocks += [_context(note) for note in notes if note]
    for item in shown:
        blocks += _item_blocks(item, language)
    if hidden := hidden_count(alert, len(shown)):
        blocks.append(_context(alert_text.more_line(hidden, language)))
    if alert.is_digest or alert.is_test:
        blocks.append(_actions(_button(alert_text.word("queue", language), alert.queue_url, "open-queue")))
    return blocks


def _item_blocks(item: AlertItem, language: str) -> list[dict[str, Any]]:
    comment = [_text(p.text, bold=bool(p.mark)) for p in clip(item.pieces, COMMENT_CHARS) if p.text]
    about = [
        _text(alert_text.item_heading(item, language), bold=True),
        _text("\n"),
        *_labelled("article", language),
        _article(item, language),
        _text("\n"),
        *_labelled("author", language),
        _text(item.author_name or "—"),
    ]
    details = [*_labelled("scores", language), _text(alert_text.scores_line(item, language) or "—")]
    if item.reasons:
        details += [_text("\n"), *_labelled("reasons", language), _text("; ".join(item.reasons))]
    sections = [_section(about), {"type": "rich_text_quote", "elements": comment or [_text("—")]}, _section(details)]
    button = _button(alert_text.word("open", language), item.console_url, f"open-{item.comment_id}")
    return [{"type": "divider"}, {"type": "rich_text", "elements": sections}, _actions(button)]


def _article(item: AlertItem, language: str) -> dict[str, Any]:
    title = item.article_title or alert_text.word("untitled", language)
    url = web_link(item.article_url)
    return {"type": "link", "url": url, "text": title} if url else _text(title)


def _labelled(key: str, language: str) -> list[dict[str, Any]]:
    return [_text(alert_text.word(key, language) + ": ", bold=True)]


def _text(text: str, *, bold: bool = False) -> dict[str, Any]:
    return {"type": "text", "text": text, **({"style": {"bold": True}} if bold else {})}


def _section(elements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "rich_text_section", "elements": elements}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_plain(text)]}


def _button(label: str, url: str, action_id: str) -> dict[str, Any]:
    return {"type": "button", "text": _plain(label), "url": url, "action_id": action_id}


def _actions(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(buttons)}


def send(target: ChannelTarget, alert: Alert, settings: NotifySettings, *, message_id: int) -> AttemptResult:
    """POST to the incoming webhook. Slack answers 200 "ok"; 4xx (404 no_service, 410 channel_is_archived)
    are permanent, 429 and 5xx pass later. The webhook's path is a secret: never in an error."""
    del message_id  # Slack has no idempotency key for incoming webhooks
    path = urlsplit(target.target).path
    secret_path = path if len(path) > 1 else None
    return post_json(target.target, payload(alert), timeout_s=settings.timeout_s, secrets=(secret_path,))
