"""A small client for modsys's site API, and the check a site runs on each callback.

Copy it into your code base or import it; it needs only `requests`.

    client = ModsysClient("http://127.0.0.1:8000", api_key="mk_...")
    accepted = client.post_comment("c-1001", article={"id": "a-42", "url": "https://luki.ru/news/42"},
                                   author={"id": "u-7", "name": "Сизов Вячеслав"}, text="Спасибо за новость!")
    decided = client.wait_for_decision(accepted["id"])
    if decided["publish"]: ...
"""

import hashlib
import hmac
import time
from typing import Any

import requests

TOLERANCE_S = 300  # refuse callbacks stamped more than this far from now: a captured one cannot be replayed later


class ModsysError(Exception):
    """An error answer: its HTTP status, the API's machine-readable code, the message and the fields."""

    def __init__(self, status: int, body: dict[str, Any]):
        self.status, self.code = status, body.get("error", "error")
        self.message, self.details = body.get("message", ""), body.get("details", [])
        super().__init__(f"{status} {self.code}: {self.message}")


class ModsysClient:
    def __init__(
        self, base_url: str, api_key: str, *, timeout_s: float = 10.0, session: requests.Session | None = None
    ):
        self.base_url, self.timeout_s = base_url.rstrip("/"), timeout_s
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {api_key}", "User-Agent": "modsys-client/1"})

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.session.request(method, f"{self.base_url}{path}", json=body, timeout=self.timeout_s)
        answer = response.json() if response.content else {}
        if response.status_code >= 400:
            raise ModsysError(response.status_code, answer)
        return answer

    def post_comment(
        self, external_id: str, *, article: dict[str, Any], author: dict[str, Any], text: str, **extra: Any
    ) -> dict[str, Any]:
        """Send a new comment (or a new version of one): {"id", "status": "pending", "version"} at once.
        `article` needs id and url, `author` id and name; extra: parent_external_id, posted_at (ISO 8601)."""
        body = {"external_id": external_id, "article": article, "author": author, "text": text, **extra}
        return self._call("POST", "/v1/comments", body)

    def get_comment(self, comment_id: int) -> dict[str, Any]:
        """Its status, the verdict once decided, the last human action, and whether to publish it now."""
        return self._call("GET", f"/v1/comments/{comment_id}")

    def wait_for_decision(self, comment_id: int, timeout_s: float = 30.0, every_s: float = 0.2) -> dict[str, Any]:
        """Poll until the comment is no longer pending (a site that takes callbacks need not poll)."""
        deadline = time.monotonic() + timeout_s
        while True:
            comment = self.get_comment(comment_id)
            if comment["status"] != "pending" or time.monotonic() >= deadline:
                return comment
            time.sleep(every_s)

    def decide(
        self,
        comment_id: int,
        decision: str,
        *,
        reason: str | None = None,
        moderator: str | None = None,
        note: str | None = None,
    ) -> dict[str, Any]:
        """approve or reject (reason: spam, toxicity, obscene, insult, threat, identity_attack, off_topic,
        personal_data, other); answers the action's id, for an undo."""
        body = {"decision": decision, "reason": reason, "moderator": moderator, "note": note}
        return self._call("POST", f"/v1/comments/{comment_id}/decision", {k: v for k, v in body.items() if v})

    def ban_author(
        self, author_id: str, *, reason: str | None = None, duration_s: int | None = None, moderator: str | None = None
    ) -> dict[str, Any]:
        """Ban an author (or suspend for duration_s): their waiting comments are rejected, new ones too."""
        body = {"reason": reason, "duration_s": duration_s, "moderator": moderator}
        return self._call("POST", f"/v1/authors/{author_id}/ban", {k: v for k, v in body.items() if v})

    def undo(self, action_id: int) -> dict[str, Any]:
        return self._call("POST", f"/v1/actions/{action_id}/undo")

    def report(self, comment_id: int, reporter_id: str, reason: str = "other") -> dict[str, Any]:
        """A reader reports a comment (spam, abuse, off_topic, personal_data, other)."""
        return self._call("POST", f"/v1/comments/{comment_id}/reports", {"reporter_id": reporter_id, "reason": reason})

    def label_spam(self, comment_id: int, spam: bool) -> dict[str, Any]:
        """Tell the site's spam model what a comment was (Akismet's submit-spam / submit-ham)."""
        return self._call("POST", f"/v1/comments/{comment_id}/feedback", {"label": "spam" if spam else "ham"})


def verify_callback(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> bool:
    """A callback is ours and fresh: its timestamp within 5 minutes, and one of its `v1=` signatures the
    HMAC-SHA256 of "<timestamp>." + the raw body (two during a secret rotation)."""
    found = {name.lower(): value for name, value in headers.items()}
    try:
        timestamp = int(found["x-modsys-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_S:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    offered = [
        part.strip()[3:]
        for part in found.get("x-modsys-signature", "").replace(",", " ").split()
        if part.strip().startswith("v1=")
    ]
    return any(hmac.compare_digest(expected, signature) for signature in offered)
