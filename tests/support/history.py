"""A small moderated history, small enough to work out by hand what any policy does to it.

Two days of a site's comments (1 and 2 November 2026, UTC), their stored verdict scores, and what
moderators decided. tests/moderation/test_policy_simulator.py works the figures out beside it.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from shared.models import Comment, ModerationAction, Verdict
from tests.support.factories import make_comment

NOV_1 = datetime(2026, 11, 1, tzinfo=UTC)
BANNED = {"code": "author_banned", "decision": "reject", "message": "the author is banned"}

# name: (author, posted at (day, hour), toxicity, text, status now, verdict's reasons or None for none)
HISTORY: dict[str, tuple[str, tuple[int, int], float | None, str, str, list[dict[str, Any]]]] = {
    "before": ("dasha", (31, 23), 0.10, "Хорошо написано", "approved", []),  # 31 October: before the period
    "first": ("anna", (1, 10), 0.20, "Хорошая статья", "approved", []),
    "rude": ("anna", (1, 11), 0.60, "Дурацкая статья", "approved", []),  # held, a moderator approved it
    "abuse": ("boris", (1, 12), 0.95, "Ты урод", "rejected", []),
    "banned": ("egor", (1, 13), 0.10, "Привет всем", "rejected", [BANNED]),
    "casino": ("boris", (2, 9), 0.65, "Играйте в К.А.З.И.Н.О", "rejected", []),  # held, moderator rejected
    "nonsense": ("anna", (2, 10), 0.55, "Ну и бред", "rejected", []),  # held, moderator rejected
    "pending": ("clara", (2, 11), None, "Ещё не оценён", "pending", []),
    "thanks": ("dasha", (2, 12), 0.10, "Спасибо", "approved", []),  # a moderator's reject, undone
}
MODERATORS = {"rude": ("approve", False), "casino": ("reject", False), "nonsense": ("reject", False)}
UNDONE = {"thanks": "reject"}


def _posted(day: int, hour: int) -> datetime:
    month = 10 if day == 31 else 11
    return datetime(2026, month, day, hour, tzinfo=UTC)


def seed_history(db: Session, site_id: int) -> dict[str, Comment]:
    """The history above, stored as the pipeline and the console would have left it."""
    comments = {}
    for n, (name, (author, when, toxicity, text, status, reasons)) in enumerate(HISTORY.items()):
        posted = _posted(*when)
        comment = make_comment(
            db,
            site_id,
            external_id=f"h-{n}",
            text=text,
            status=status,
            author_id=author,
            author_name=author.capitalize(),
            article_id=f"a-{when[0]}",
            article_title=f"Новость {when[0]} числа",
            created_at=posted,
            posted_at=posted,
        )
        comments[name] = comment
        if toxicity is not None:
            decision = "reject" if reasons else {"approved": "approve"}.get(status, "review")
            if name == "abuse":
                decision = "reject"
            scores = {"toxicity": toxicity, "spam": 0.01}
            db.add(
                Verdict(
                    comment_id=comment.id,
                    version=1,
                    decision=decision,
                    scores=scores,
                    reasons=reasons,
                    model_name="test",
                    model_version="0",
                    created_at=posted,
                )
            )
    for name, (action, undone) in MODERATORS.items() | {k: (v, True) for k, v in UNDONE.items()}.items():
        comment = comments[name]
        db.add(
            ModerationAction(
                site_id=site_id,
                comment_id=comment.id,
                author_id=comment.author_id,
                actor="moderator:masha",
                action=action,
                previous_status="review",
                new_status={"approve": "approved", "reject": "rejected"}[action],
                version=1,
                undone=undone,
            )
        )
    db.commit()
    return comments
