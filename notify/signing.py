"""HMAC-SHA256 signatures over timestamp and body, so a site can verify and refuse replays.

While a rotated-out secret overlaps the new one, a callback carries one `v1=` signature per secret
(`v1=<new>,v1=<old>`, as Stripe does): a site that still verifies with the old secret, and one
that already has the new, both accept it.
"""

import hashlib
import hmac
import time
from collections.abc import Sequence

from shared import outbound

TIMESTAMP_HEADER = "X-Modsys-Timestamp"
SIGNATURE_HEADER = "X-Modsys-Signature"
DELIVERY_HEADER = "X-Modsys-Delivery"
DEFAULT_TOLERANCE_S = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`v1=<hex>` of HMAC-SHA256(secret, "<timestamp>." + body)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signed_headers(
    secrets: str | Sequence[str], body: bytes, delivery_id: int, now: float | None = None
) -> dict[str, str]:
    """The headers of a signed POST: one `v1=` signature per secret, comma-separated."""
    if isinstance(secrets, str):
        secrets = (secrets,)
    timestamp = int(now if now is not None else time.time())
    return {
        "Content-Type": "application/json",
        "User-Agent": outbound.user_agent(),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: ",".join(sign(secret, timestamp, body) for secret in secrets),
        DELIVERY_HEADER: str(delivery_id),
    }


def verify(
    secret: str,
    headers: dict[str, str],
    body: bytes,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """What a site does on receipt: a fresh timestamp and one matching `v1=` signature (reference code)."""
    try:
        timestamp = int(headers[TIMESTAMP_HEADER])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance_s:
        return False
    expected = sign(secret, timestamp, body)
    signatures = [part.strip() for part in headers.get(SIGNATURE_HEADER, "").split(",")]
    # Every candidate is compared (no early exit), each in constant time.
    return sum(hmac.compare_digest(expected, candidate) for candidate in signatures) > 0
