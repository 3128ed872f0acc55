"""Template helpers: dates in the moderator's language, safe link targets, the suggested reject reason."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import format_datetime, get_locale, get_translations

from shared.reasons import Reason, ReasonCode
from shared.vocabulary import OTHER_REASON, TOXIC_REJECT_REASONS


def when(value: str | datetime | None) -> str:
    """A stored time (ISO text from the cards, or a datetime) in the moderator's language and format."""
    if not value:
        return ""
    return format_datetime(datetime.fromisoformat(value) if isinstance(value, str) else value, "short")


def http_url(url: str | None) -> str:
    # Autoescaping keeps a URL inside its attribute but would still let "javascript:..." run on click.
    return url if url and urlsplit(url).scheme in ("http", "https") else "#"


def suggested_reason(card: dict[str, Any]) -> str:
    """The reject reason the verdict points to: its highest-scoring toxic category over a threshold, else "other"."""
    reasons = (card.get("verdict") or {}).get("reasons") or []
    over = [
        r
        for r in reasons
        if r.get("code") == ReasonCode.CATEGORY_THRESHOLD and r.get("category") in TOXIC_REJECT_REASONS
    ]
    if not over:
        return OTHER_REASON
    return max(over, key=lambda r: r.get("score", 0))["category"]


def describe_reason(reason: dict[str, Any]) -> str:
    """A stored reason in the moderator's language."""
    return Reason.model_validate(reason).describe(get_translations())


def init_presentation(app: Flask) -> None:
    app.jinja_env.filters.update(when=when, http_url=http_url)
    app.jinja_env.globals.update(
        get_locale=get_locale, suggested_reason=suggested_reason, describe_reason=describe_reason
    )
