"""Secrets out of every log line: site API keys, signing secrets, bot tokens, passwords, bearer tokens.

Applied to the finished line (message, exception and traceback alike) by the log formatter, so
a secret that reaches a message by any road (an exception's text with a URL in it, a library's
debug line) is still not written. Known shapes are matched by pattern; the installation's own
secrets from its settings, by value.
"""

import re
from collections.abc import Iterable

MASK = "[redacted]"
_PATTERNS = (
    re.compile(r"\bmk_[A-Za-z0-9_-]{16,}"),  # a site's API key
    re.compile(r"\bwhsec_[A-Za-z0-9_-]{16,}"),  # a signing secret
    re.compile(r"(?<![0-9])\d{5,12}:[A-Za-z0-9_-]{30,}"),  # a Telegram bot token (also in /bot<token>/ paths)
    re.compile(r"(?<=hooks\.slack\.com/services/)[^\s\"'<>]+"),  # a Slack webhook's path is its key
    re.compile(r"(?i)(?<=bearer )[^\s\"',;]+"),  # an Authorization header's value
    re.compile(r"(?i)(?<=[?&;\s])(?:api_key|key|token|password|secret)=[^&\s\"']+"),  # query strings and forms
    re.compile(r"(?<=://)[^:/@\s]*:[^@\s/]+(?=@)"),  # user:password@ in a URL (database, broker, SMTP)
)


class Redactor:
    """Masks the known shapes of secrets, and the given secret values."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole; short values would
        # mask ordinary words, so only values of 8 characters or more are taken.
        self.values = sorted({s for s in secrets if s and len(s) >= 8}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(MASK, text)
        return text
