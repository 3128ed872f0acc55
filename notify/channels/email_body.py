"""An alert's e-mail bodies: plain text, and HTML in which every untrusted string is escaped."""

from html import escape

from notify.alerts import wording as alert_text
from notify.alerts.message import Alert, AlertItem
from notify.channels.common import clip, hidden_count, web_link

COMMENT_CHARS = 2000


def text_body(alert: Alert) -> str:
    """Plain text; flagged words between asterisks, the comment quoted with "> "."""
    language = alert_text.language_of(alert)
    parts = ["\n".join(_notes(alert)), *(_text_item(item, language) for item in alert.items)]
    parts += [f"{text}: {url}" if url else text for text, url in _tail(alert)]
    return "\n\n".join(parts) + "\n"


def _text_item(item: AlertItem, language: str) -> str:
    comment = "".join(f"*{p.text}*" if p.mark else p.text for p in clip(item.pieces, COMMENT_CHARS))
    lines = [
        alert_text.item_heading(item, language),
        f"{alert_text.word('article', language)}: {_title(item, language)} <{item.article_url}>",
        f"{alert_text.word('author', language)}: {item.author_name}",
        *(f"> {line}" for line in comment.splitlines() or [""]),
        *_details(item, language),
        f"{alert_text.word('open', language)}: {item.console_url}",
    ]
    return "\n".join(lines)


def html_body(alert: Alert) -> str:
    """HTML alternative; flagged words in <mark>, links only to http(s) addresses."""
    language = alert_text.language_of(alert)
    title, *notes = _notes(alert)
    parts = [f"<h2>{escape(title)}</h2>", *(f"<p>{escape(note)}</p>" for note in notes)]
    parts += [_html_item(item, language) for item in alert.items]
    parts += [f"<p>{_a(url, text) if url else escape(text)}</p>" for text, url in _tail(alert)]
    body = "\n".join(parts)
    return f'<!doctype html>\n<html lang="{language}"><body style="font-family:sans-serif">\n{body}\n</body></html>\n'


def _html_item(item: AlertItem, language: str) -> str:
    comment = "".join(
        f"<mark>{escape(p.text)}</mark>" if p.mark else escape(p.text) for p in clip(item.pieces, COMMENT_CHARS)
    ).replace("\n", "<br>")
    about = [
        f"<b>{escape(alert_text.item_heading(item, language))}</b>",
        f"{alert_text.word('article', language)}: {_a(item.article_url, _title(item, language))}",
        f"{alert_text.word('author', language)}: {escape(item.author_name)}",
    ]
    quote = '<blockquote style="margin:8px 0;padding-left:8px;border-left:3px solid #ccc">'
    return (
        f'<div style="border-top:1px solid #ddd;padding:8px 0">\n<p>{"<br>".join(about)}</p>\n'
        f"{quote}{comment}</blockquote>\n<p>{'<br>'.join(escape(d) for d in _details(item, language))}</p>\n"
        f"<p>{_a(item.console_url, alert_text.word('open', language))}</p>\n</div>"
    )


def _a(url: str, text: str) -> str:
    safe = web_link(url)
    return f'<a href="{escape(safe)}">{escape(text)}</a>' if safe else escape(text)


def _notes(alert: Alert) -> list[str]:
    """Title, then the test sentence and the digest's counts when there are any."""
    notes = [alert_text.test_text(alert) if alert.is_test else None, alert_text.counts_line(alert)]
    return [f"[{alert.site_name}] {alert_text.title(alert)}", *(note for note in notes if note)]


def _details(item: AlertItem, language: str) -> list[str]:
    details = []
    if scores := alert_text.scores_line(item, language):
        details.append(f"{alert_text.word('scores', language)}: {scores}")
    if item.reasons:
        details.append(f"{alert_text.word('reasons', language)}: {'; '.join(item.reasons)}")
    return details


def _tail(alert: Alert) -> list[tuple[str, str | None]]:
    """ "… и ещё N" when the digest is cut, and the queue's link for digests and tests: (text, url)."""
    language = alert_text.language_of(alert)
    tail: list[tuple[str, str | None]] = []
    if hidden := hidden_count(alert, len(alert.items)):
        tail.append((alert_text.more_line(hidden, language), None))
    if alert.is_digest or alert.is_test:
        tail.append((alert_text.word("queue", language), alert.queue_url))
    return tail


def _title(item: AlertItem, language: str) -> str:
    return item.article_title or alert_text.word("untitled", language)
