"""What the channels share: cutting a comment to size, safe links, and HTTP outcomes as AttemptResults."""

import time
from typing import Any
from urllib.parse import urlsplit

import requests

from notify.alerts.message import Alert, Piece
from notify.callbacks import AttemptResult, encode
from shared import outbound

MAX_ERROR_CHARS = 2000


def clip(pieces: tuple[Piece, ...], limit: int) -> tuple[Piece, ...]:
    """The comment's first `limit` characters, cut at a word where possible, marks kept, "…" after."""
    kept: list[Piece] = []
    room = limit
    for piece in pieces:
        if len(piece.text) > room:
            cut = piece.text[:room]
            cut = cut.rsplit(" ", 1)[0] if " " in cut[room // 2 :] else cut
            return (*kept, *([Piece(cut, piece.mark)] if cut else []), Piece("…"))
        kept.append(piece)
        room -= len(piece.text)
    return tuple(kept)


def web_link(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a javascript: or data: link must never become clickable."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.hostname else None


def hidden_count(alert: Alert, shown: int) -> int:
    """Events the message covers but does not show (the digest was cut)."""
    return max(alert.total - shown, 0)


def ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def redact(text: str, *secrets: str | None) -> str:
    """The text without any of the secrets (a bot token, a Slack webhook path), cut to a storable size."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:MAX_ERROR_CHARS]


def network_error(exc: Exception, started: float, *secrets: str | None) -> AttemptResult:
    """A failure before any answer (refused, reset, timeout): worth another try."""
    return AttemptResult(None, redact(f"{type(exc).__name__}: {exc}", *secrets), ms_since(started))


def retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds, when the server sent one as a number."""
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    timeout_s: float,
    secrets: tuple[str | None, ...] = (),
) -> AttemptResult:
    """POST JSON, no redirects; never raises for network trouble; `secrets` never reach the error."""
    started = time.perf_counter()
    try:
        response = requests.post(
            url,
            data=encode(payload),
            headers=outbound.headers(**{"Content-Type": "application/json"}),
            timeout=timeout_s,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return network_error(exc, started, *secrets)
    if 200 <= response.status_code < 300:
        return AttemptResult(response.status_code, None, ms_since(started))
    error = redact(f"HTTP {response.status_code}: {response.text[:500]}", *secrets)
    return AttemptResult(response.status_code, error, ms_since(started), retry_after_s=retry_after(response))
