"""Telegram: one sendMessage of the Bot API, HTML-formatted, at most 4096 characters.

The bot token is part of the request path (the Bot API's design), so it is a secret in every error
we return and in urllib3's debug log line, which names the path.
"""

import html
import ipaddress
import logging
import re
import time
from typing import Any
from urllib.parse import urlsplit

import requests

from notify.alerts import wording as alert_text
from notify.alerts.message import Alert, AlertItem, ChannelTarget
from notify.callbacks import AttemptResult
from notify.channels.common import clip, hidden_count, ms_since, network_error, redact, web_link
from shared import outbound
from shared.settings import NotifySettings

MAX_UNITS = 4096  # Telegram's limit, in UTF-16 code units; we count the HTML, a safe over-estimate
COMMENT_LIMITS = (700, 350, 150, 60)  # a comment's characters, shrunk until the message fits
TOKEN_IN_PATH = re.compile(r"/bot[^/\s]+/")


def escape(text: str) -> str:
    """Text for Telegram's HTML: `&`, `<` and `>` as entities (quotes need none outside attributes)."""
    return html.escape(text, quote=False)


def escape_attribute(url: str) -> str:
    # Telegram knows only &lt; &gt; &amp; &quot;, so not html.escape(quote=True), whose &#x27; it refuses.
    return escape(url).replace('"', "&quot;")


def message_text(alert: Alert) -> str:
    """The HTML message: comments shortened, then items dropped, until it fits Telegram's limit."""
    for limit in COMMENT_LIMITS:
        text = _render(alert, len(alert.items), limit)
        if _fits(text):
            return text
    shown = len(alert.items)
    while shown and not _fits(text):
        shown -= 1
        text = _render(alert, shown, COMMENT_LIMITS[-1])
    return text


def _fits(text: str) -> bool:
    return len(text.encode("utf-16-le")) // 2 <= MAX_UNITS


def _render(alert: Alert, shown: int, comment_chars: int) -> str:
    language = alert_text.language_of(alert)
    head = [f"<b>{escape(alert.site_name)}: {escape(alert_text.title(alert))}</b>"]
    head += [
        escape(note)
        for note in (alert_text.test_text(alert) if alert.is_test else None, alert_text.counts_line(alert))
        if note
    ]
    parts = ["\n".join(head), *(_item(item, language, comment_chars) for item in alert.items[:shown])]
    if hidden := hidden_count(alert, shown):
        parts.append(escape(alert_text.more_line(hidden, language)))
    if (alert.is_digest or alert.is_test) and not keyboard(alert):  # no button to carry the queue's link
        parts.append(_link(alert.queue_url, alert_text.word("queue", language)))
    return "\n\n".join(parts)


def _item(item: AlertItem, language: str, comment_chars: int) -> str:
    pieces = clip(item.pieces, comment_chars)
    comment = "".join(f"<b>{escape(p.text)}</b>" if p.mark else escape(p.text) for p in pieces)
    lines = [
        f"<b>{escape(alert_text.item_heading(item, language))}</b>",
        f"{alert_text.word('article', language)}: {_article(item, language)}",
        f"{alert_text.word('author', language)}: {escape(item.author_name)}",
        f"<blockquote>{comment or '—'}</blockquote>",
    ]
    if scores := alert_text.scores_line(item, language):
        lines.append(f"{alert_text.word('scores', language)}: {escape(scores)}")
    if item.reasons:
        lines.append(f"{alert_text.word('reasons', language)}: {escape('; '.join(item.reasons))}")
    lines.append(_link(item.console_url, alert_text.word("open", language)))
    return "\n".join(lines)


def _article(item: AlertItem, language: str) -> str:
    title = item.article_title or alert_text.word("untitled", language)
    return _link(item.article_url, title)


def _link(url: str, text: str) -> str:
    safe = web_link(url)
    return f'<a href="{escape_attribute(safe)}">{escape(text)}</a>' if safe else escape(text)


def keyboard(alert: Alert) -> list[list[dict[str, str]]]:
    """One button: to the comment, or to the queue for a digest; none for a host Telegram may refuse
    (http://localhost:8000), whose links stay in the text."""
    language = alert_text.language_of(alert)
    if alert.is_digest or alert.is_test or not alert.items:
        label, url = alert_text.word("queue", language), alert.queue_url
    else:
        label, url = alert_text.word("open", language), alert.items[0].console_url
    safe = web_link(url)
    return [[{"text": label, "url": safe}]] if safe and _public_host(urlsplit(safe).hostname or "") else []


def _public_host(host: str) -> bool:
    """A dotted name. Telegram refuses dotless hosts; bare IPs we leave out too, since a refused button
    fails the whole message. The text keeps its links either way."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "." in host
    return False


def payload(target: ChannelTarget, alert: Alert) -> dict[str, Any]:
    body: dict[str, Any] = {
        "chat_id": target.target.strip(),
        "text": message_text(alert),
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    if buttons := keyboard(alert):
        body["reply_markup"] = {"inline_keyboard": buttons}
    return body


def send(target: ChannelTarget, alert: Alert, settings: NotifySettings, *, message_id: int) -> AttemptResult:
    """sendMessage. 429 (with retry_after) and 5xx pass later; 400 (chat not found), 401 (bad token)
    and 403 (bot blocked or removed) will not."""
    del message_id  # the Bot API has no idempotency key
    token = (target.secret or "").strip()
    if not token:
        return AttemptResult(None, "the Telegram channel has no bot token", 0, transient=False)
    url = f"{settings.telegram_api_base.rstrip('/')}/bot{token}/sendMessage"
    started = time.perf_counter()
    try:
        response = requests.post(
            url,
            json=payload(target, alert),
            headers=outbound.headers(),
            timeout=settings.timeout_s,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        failed = network_error(exc, started, token)
        return AttemptResult(None, TOKEN_IN_PATH.sub("/bot***/", failed.error or ""), failed.duration_ms)
    return _result(response, started, token)


def _result(response: requests.Response, started: float, token: str) -> AttemptResult:
    """Telegram answers {"ok": true, ...}, or {"ok": false, "error_code", "description", "parameters"}."""
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    if 200 <= response.status_code < 300 and answer.get("ok") is not False:
        return AttemptResult(response.status_code, None, ms_since(started))
    code = response.status_code if response.status_code >= 300 else int(answer.get("error_code") or 502)
    parameters = answer.get("parameters") or {}
    error = f"Telegram {code}: {answer.get('description') or response.text[:500]}"
    if "migrate_to_chat_id" in parameters:
        error += f" (the group is now the supergroup {parameters['migrate_to_chat_id']}: update the chat id)"
    wait = parameters.get("retry_after")
    return AttemptResult(
        code,
        redact(error, token),
        ms_since(started),
        retry_after_s=float(wait) if isinstance(wait, (int, float)) else None,
    )


class _RedactTokens(logging.Filter):
    """urllib3 logs each request's path at DEBUG; for Telegram that path holds the bot token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/bot" in message:
            record.msg, record.args = TOKEN_IN_PATH.sub("/bot***/", message), None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactTokens())
