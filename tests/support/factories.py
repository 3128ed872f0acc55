"""Rows as the pipeline leaves them, for tests that start half-way along it."""

from typing import Any

from sqlalchemy.orm import Session

from shared.models import Comment, CommentVersion, Notification, Verdict


def make_comment(
    db: Session,
    site_id: int,
    *,
    text: str = "Хорошая новость",
    external_id: str = "c-1",
    status: str = "pending",
    **fields: Any,
) -> Comment:
    """A stored comment; `fields` override any column (author_id, author_ip, created_at, ...)."""
    values = {
        "site_id": site_id,
        "external_id": external_id,
        "text": text,
        "text_sha256": "0" * 64,
        "status": status,
        "article_id": "a-1",
        "article_url": "https://luki.ru/news/1",
        "author_id": "u-1",
        "author_name": "Читатель",
    }
    comment = Comment(**{**values, **fields})
    db.add(comment)
    db.flush()
    db.add(CommentVersion(comment_id=comment.id, version=1, text=text))
    db.commit()
    return comment


def make_callback(
    db: Session, site_id: int, url: str, *, decision: str = "approve", external_id: str = "c-1"
) -> Notification:
    """A decided comment and the callback it owes the site."""
    status = {"approve": "approved", "reject": "rejected"}.get(decision, decision)
    comment = make_comment(db, site_id, status=status, external_id=external_id)
    verdict = Verdict(
        comment_id=comment.id,
        version=1,
        decision=decision,
        scores={"toxicity": 0.01},
        reasons=[],
        model_name="test",
        model_version="0",
    )
    db.add(verdict)
    db.flush()
    notification = Notification(
        kind="site_callback",
        site_id=site_id,
        comment_id=comment.id,
        verdict_id=verdict.id,
        target_url=url,
        payload={"comment_id": comment.id, "decision": decision},
    )
    db.add(notification)
    db.commit()
    return notification
