"""Alerts as the dispatcher hands them to the channels, for channel tests."""

from typing import Any

from notify.alerts.message import Alert, AlertItem, Piece
from shared.vocabulary import EventKind

HOSTILE = "<script>alert(1)</script> & *bold* _x_ ~y~ `z` <!channel> <http://evil.example|click>"


def make_item(comment_id: int = 1, **fields: Any) -> AlertItem:
    """A comment waiting for review with one flagged word; `fields` override any attribute."""
    values: dict[str, Any] = {
        "comment_id": comment_id,
        "event": EventKind.REVIEW,
        "article_title": "Мост через Луку откроют в мае",
        "article_url": f"https://luki.ru/news/{comment_id}",
        "author_name": "Читатель",
        "pieces": (Piece("Автор статьи "), Piece("дурак", "insult"), Piece(", не читайте его.")),
        "top_scores": (("insult", 0.93), ("toxicity", 0.71)),
        "reasons": ("оскорбление: «дурак»",),
        "console_url": f"https://mod.luki.ru/console/comments/{comment_id}",
    }
    return AlertItem(**{**values, **fields})


def make_alert(*items: AlertItem, total: int | None = None, **fields: Any) -> Alert:
    """A Russian site's alert of the items (one by default); `total` defaults to their number."""
    items = items or (make_item(),)
    values: dict[str, Any] = {
        "site_name": "luki",
        "language": "ru",
        "items": items,
        "total": len(items) if total is None else total,
        "queue_url": "https://mod.luki.ru/console/sites/1/queue/review",
        "counts": {EventKind.REVIEW: len(items) if total is None else total},
    }
    return Alert(**{**values, **fields})


def hostile_item(comment_id: int = 1) -> AlertItem:
    """A comment whose every untrusted string tries to inject markup."""
    return make_item(
        comment_id,
        author_name="<img src=x onerror=alert(1)> *Админ*",
        article_title="Tom & Jerry <b>_live_</b>",
        pieces=(Piece(HOSTILE + " "), Piece("<b>дурак</b>", "insult"), Piece(" конец")),
        reasons=("<i>reason</i> & *more*",),
    )
