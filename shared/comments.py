"""A comment's row as every way in builds it: the site's API, and the Perspective and Akismet drop-ins."""

import hashlib
from datetime import datetime
from typing import Any

from shared.models import utcnow
from shared.vocabulary import CommentSource, CommentStatus

ARTICLE_ID_CHARS = 200  # the article id column; a URL may be ten times longer


def article_id_of(url: str) -> str:
    """An article's id when a client names it only by URL: the URL, or its digest when it is too long."""
    return url if len(url) <= ARTICLE_ID_CHARS else "sha256:" + hashlib.sha256(url.encode()).hexdigest()


def text_digest(text: str) -> str:
    """What identifies a text: a retry with the same text is the same comment, a new text is an edit."""
    return hashlib.sha256(text.encode()).hexdigest()


def comment_row(
    *,
    site_id: int,
    external_id: str,
    text: str,
    source: CommentSource,
    article_id: str,
    article_url: str,
    author_id: str,
    author_name: str,
    article_title: str | None = None,
    author_ip: str | None = None,
    author_user_agent: str | None = None,
    author_registered_at: datetime | None = None,
    parent_external_id: str | None = None,
    posted_at: datetime | None = None,
) -> dict[str, Any]:
    """The columns of a new comment, version 1, pending and queued now."""
    now = utcnow()
    return {
        "site_id": site_id,
        "external_id": external_id,
        "version": 1,
        "text": text,
        "text_sha256": text_digest(text),
        "source": source,
        "status": CommentStatus.PENDING,
        "article_id": article_id,
        "article_url": article_url,
        "article_title": article_title,
        "author_id": author_id,
        "author_name": author_name,
        "author_ip": author_ip,
        "author_user_agent": author_user_agent,
        "author_registered_at": author_registered_at,
        "parent_external_id": parent_external_id,
        "posted_at": posted_at,
        "created_at": now,
        "updated_at": now,
        "queued_at": now,
    }
