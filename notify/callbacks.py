"""Calling the site back: one signed POST, and what its outcome means for the next try."""

import json
import random
import time
from dataclasses import dataclass
from typing import Any

import requests

from notify.signing import signed_headers
from shared.settings import CallbackSettings, NotifySettings


@dataclass(frozen=True)
class Delivery:
    """What one notification needs for a try, copied out of its row."""

    notification_id: int
    url: str
    secrets: tuple[str, ...]  # the site's current signing secret, then the previous one while it overlaps
    payload: dict[str, Any]


@dataclass(frozen=True)
class AttemptResult:
    """One try's outcome. `status_code` is HTTP's, or SMTP's reply code for e-mail (250 when sent)."""

    status_code: int | None
    error: str | None
    duration_ms: int
    # Set by channels whose codes are not HTTP's (SMTP: 4xx transient, 5xx permanent); None means
    # judge by the HTTP status.
    transient: bool | None = None
    retry_after_s: float | None = None  # how long the server asked us to wait (HTTP 429, Telegram)

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        """Network errors, timeouts, 5xx and 429 may pass later; other 4xx will not."""
        if self.transient is not None:
            return self.transient and not self.delivered
        return self.status_code is None or self.status_code >= 500 or self.status_code in (408, 429)


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def post_signed(delivery: Delivery, *, timeout_s: float) -> AttemptResult:
    """POST the payload with its signature headers; never raises for network trouble."""
    body = encode(delivery.payload)
    headers = signed_headers(delivery.secrets, body, delivery.notification_id)
    started = time.perf_counter()
    try:
        response = requests.post(delivery.url, data=body, headers=headers, timeout=timeout_s, allow_redirects=False)
    except requests.RequestException as exc:
        return AttemptResult(None, f"{type(exc).__name__}: {exc}"[:2000], _ms_since(started))
    error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}: {response.text[:500]}"
    return AttemptResult(response.status_code, error, _ms_since(started))


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)


def backoff_s(attempts: int, policy: CallbackSettings | NotifySettings) -> float:
    """Exponential backoff with jitter: about base·2^(n-1), capped, scaled by 0.5–1."""
    return min(policy.backoff_base_s * 2 ** (attempts - 1), policy.backoff_max_s) * random.uniform(0.5, 1.0)
