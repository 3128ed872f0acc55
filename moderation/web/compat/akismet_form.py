"""Reading an Akismet request: its form (in the blog's charset), its fields, and the comment it describes."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from flask import Request

from moderation.web.compat.sync import new_comment
from shared.models import Comment, Site
from shared.vocabulary import CommentSource

TRUE_VALUES = {"1", "true", "yes", "on"}
# Akismet's documented test values: always spam, so a site can try its spam path.
SPAM_TEST_AUTHOR, SPAM_TEST_EMAIL = "viagra-test-123", "akismet-guaranteed-spam@example.com"


def read_form(request: Request) -> dict[str, str]:
    """The posted fields. An url-encoded body is decoded in its `blog_charset` (old Russian blogs
    send windows-1251), which Flask's own form parsing (always UTF-8) would garble."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return _storable_form(request.form.to_dict())
    raw = request.get_data(cache=True)
    charset = dict(parse_qsl(raw.decode("latin-1"))).get("blog_charset", "").strip() or "utf-8"
    try:
        pairs = parse_qsl(raw.decode(charset, "replace"), keep_blank_values=True, encoding=charset, errors="replace")
    except (LookupError, ValueError):  # not a text encoding Python knows (UnicodeError included): UTF-8
        pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True, errors="replace")
    return _storable_form(dict(pairs))


def _storable(text: str) -> str:
    # PostgreSQL text holds neither NUL nor lone surrogates (an odd blog_charset can make them);
    # Akismet takes any bytes, so drop or replace them rather than refuse the request.
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _storable_form(form: dict[str, str]) -> dict[str, str]:
    return {_storable(name): _storable(value) for name, value in form.items()}


def _clip(value: str, limit: int) -> str:
    return value[:limit]


def _posted_at(value: str) -> datetime | None:
    """comment_date_gmt: ISO 8601 ("2026-11-26T12:00:00Z" or WordPress's "2026-11-26 12:00:00"), UTC."""
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # not a date, or beyond year 9999 in UTC: the time is unknown
        return None


@dataclass(frozen=True)
class AkismetComment:
    """The fields of comment-check / submit-spam / submit-ham that mean something here."""

    form: dict[str, str]

    def get(self, name: str) -> str:
        return self.form.get(name, "").strip()

    @property
    def author_id(self) -> str:
        """Who wrote it, as stable as the request allows: e-mail, else name, else IP."""
        return _clip(self.get("comment_author_email").lower() or self.get("comment_author") or self.get("user_ip"), 200)

    @property
    def article_url(self) -> str:
        return _clip(self.get("permalink") or self.get("blog"), 2000)

    @property
    def external_id(self) -> str:
        """The same for a comment-check and a later submit-spam/ham of that comment (clients resend
        what they first sent, not an id): hash of the page, the author and the text."""
        key = "\x1f".join((self.article_url, self.author_id, self.get("comment_content")))
        return "akismet:" + hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_test(self) -> bool:
        return self.get("is_test").lower() in TRUE_VALUES

    @property
    def is_spam_test(self) -> bool:
        return self.get("comment_author") == SPAM_TEST_AUTHOR or self.get("comment_author_email") == SPAM_TEST_EMAIL

    @property
    def honeypot_filled(self) -> bool:
        """The site's hidden field (named by honeypot_field_name) came back filled in: a bot."""
        name = self.get("honeypot_field_name")
        return bool(name) and bool(self.get(name))

    def to_comment(self, site: Site, max_text_chars: int) -> Comment:
        """A transient comment with what Akismet's fields tell (the rest are ignored)."""
        article_url = self.article_url
        return new_comment(
            site,
            text=self.get("comment_content")[:max_text_chars],
            source=CommentSource.AKISMET,
            external_id=self.external_id,
            author_id=self.author_id,
            author_name=_clip(self.get("comment_author") or self.author_id, 200),
            article_url=article_url,
            author_ip=_clip(self.get("user_ip"), 45) or None,
            author_user_agent=_clip(self.get("user_agent"), 1000) or None,
            posted_at=_posted_at(self.get("comment_date_gmt")),
        )
