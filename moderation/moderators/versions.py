"""A comment's edit history: every text it has had, what the machine and moderators made of each,
and what changed from one version to the next, word by word."""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Comment, CommentVersion, ModerationAction, Verdict
from shared.vocabulary import ActionKind

_TOKENS = re.compile(r"\w+|\s+|[^\w\s]+")  # words, spaces and punctuation: the diff keeps the layout


@dataclass(frozen=True)
class Piece:
    text: str
    change: Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Version:
    version: int
    text: str
    created_at: datetime
    verdict: str | None  # the machine's decision on this text
    decisions: list[str]  # moderators' approve / reject on this text, in order (undone ones left out)
    diff: list[Piece]  # from the version before (the whole text, unchanged, for the first)


def word_diff(before: str, after: str) -> list[Piece]:
    """What changed between two texts, word by word: removed words, added words, the rest the same."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("".join(old[i1:i2]), "same"))
            continue
        if i2 > i1:
            pieces.append(Piece("".join(old[i1:i2]), "removed"))
        if j2 > j1:
            pieces.append(Piece("".join(new[j1:j2]), "added"))
    return pieces


def edit_history(session: Session, comment: Comment) -> list[Version]:
    """Every version of the comment, newest first, each with its diff from the one before."""
    texts = session.scalars(
        select(CommentVersion).where(CommentVersion.comment_id == comment.id).order_by(CommentVersion.version)
    ).all()
    verdicts = dict(
        session.execute(select(Verdict.version, Verdict.decision).where(Verdict.comment_id == comment.id)).all()
    )
    decisions: dict[int, list[str]] = {}
    for version, action in session.execute(
        select(ModerationAction.version, ModerationAction.action)
        .where(
            ModerationAction.comment_id == comment.id,
            ModerationAction.action.in_([ActionKind.APPROVE, ActionKind.REJECT]),
            ModerationAction.undone.is_(False),
        )
        .order_by(ModerationAction.id)
    ):
        if version is not None:
            decisions.setdefault(version, []).append(action)
    history, before = [], None
    for v in texts:
        diff = [Piece(v.text, "same")] if before is None else word_diff(before, v.text)
        history.append(
            Version(v.version, v.text, v.created_at, verdicts.get(v.version), decisions.get(v.version, []), diff)
        )
        before = v.text
    return history[::-1]
