"""A site's own rules beyond thresholds: banned and suspect words, new authors, banned authors.

Word lists match through the scorer's normalisation, so "к.а.з.и.н.о", "kaзинo" and "КАЗИНО" are
all "казино", and the spans point into the original text for the console to highlight.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from moderation.scoring.normalize import Normalized, normalize, normalize_text
from shared.authors import active_restrictions
from shared.models import AuthorRestriction, Comment, CommentStatus, Decision, as_utc
from shared.site_policy import SitePolicy

_NOT_AFTER_LETTER = r"(?<![^\W\d_])"
_NOT_BEFORE_LETTER = r"(?![^\W\d_])"


def _forms(word: str) -> set[str]:
    """The word as the normaliser sees it in Cyrillic and in Latin context (a list word has no context)."""
    plain = word.lower().replace("ё", "е")
    return {form for form in (normalize_text(word), plain) if form}


@lru_cache(maxsize=512)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a whole list; "word*" matches words that begin with it, "word" whole words only."""
    alternatives = []
    for word in words:
        prefix = word.endswith("*")
        for form in _forms(word.rstrip("*").strip()):
            ending = r"[^\W_]*" if prefix else _NOT_BEFORE_LETTER
            alternatives.append(_NOT_AFTER_LETTER + re.escape(form) + ending)
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True))) if alternatives else None


def find_words(text: str, normalized: Normalized, words: Sequence[str]) -> list[dict[str, Any]]:
    """Where the list's words occur, as {word, start, end} spans of the original text."""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(normalized.text):
        if match.end() > match.start():
            start, end = normalized.original_span(match.start(), match.end())
            found.append({"word": text[start:end], "start": start, "end": end})
    return found


@dataclass(frozen=True)
class AuthorFacts:
    """What the rules need to know about a batch's authors, fetched once per batch."""

    restrictions: dict[tuple[int, str], AuthorRestriction]
    approved: dict[tuple[int, str], int]


def author_facts(
    session: Session, comments: Sequence[Comment], policies: dict[int, SitePolicy],
    unknown: Collection[tuple[int, str]] = (),
) -> AuthorFacts:
    """None is looked up for `unknown` authors: ids made up for these comments have no past."""
    authors = list({(c.site_id, c.author_id) for c in comments}.difference(unknown))
    approved: dict[tuple[int, str], int] = {}
    needs_counts = [a for a in authors if policies[a[0]].new_author_review > 0]
    if needs_counts:
        rows = session.execute(
            select(Comment.site_id, Comment.author_id, func.count())
            .where(tuple_(Comment.site_id, Comment.author_id).in_(needs_counts), Comment.status == CommentStatus.APPROVED)
            .group_by(Comment.site_id, Comment.author_id)
        )
        approved = {(site_id, author_id): count for site_id, author_id, count in rows}
    return AuthorFacts(active_restrictions(session, authors), approved)


def _words_reason(code: str, decision: str, words: list[dict[str, Any]]) -> dict[str, Any]:
    listed = ", ".join(w["word"] for w in words)
    return {"code": code, "category": code, "decision": decision, "words": words, "message": f"{code}: {listed}"}


def rule_reasons(comment: Comment, policy: SitePolicy, facts: AuthorFacts) -> list[dict[str, Any]]:
    """The site rules this comment breaks, each with the decision it calls for."""
    reasons = []
    restriction = facts.restrictions.get((comment.site_id, comment.author_id))
    if restriction is not None:
        until = f" until {as_utc(restriction.until):%Y-%m-%d %H:%M} UTC" if restriction.until else ""
        reasons.append({
            "code": "author_banned", "decision": Decision.REJECT, "action_id": restriction.action_id,
            "message": f"the author is {'suspended' if restriction.until else 'banned'}{until}"
                       f" ({restriction.reason or 'no reason given'})",
        })
    if policy.banned_words or policy.suspect_words:
        normalized = normalize(comment.text)
        if banned := find_words(comment.text, normalized, policy.banned_words):
            reasons.append(_words_reason("banned_words", Decision.REJECT, banned))
        if suspect := find_words(comment.text, normalized, policy.suspect_words):
            reasons.append(_words_reason("suspect_words", Decision.REVIEW, suspect))
    approved = facts.approved.get((comment.site_id, comment.author_id), 0)
    if policy.new_author_review and approved < policy.new_author_review:
        reasons.append({
            "code": "new_author", "decision": Decision.REVIEW, "approved_comments": approved,
            "message": f"new author: {approved} approved comments, the site reviews the first {policy.new_author_review}",
        })
    return reasons


def strictest(decision: str, reasons: Sequence[dict[str, Any]]) -> str:
    """The harshest of the threshold decision and the rules' decisions."""
    order = (Decision.APPROVE, Decision.REVIEW, Decision.REJECT)
    return max([decision, *(r["decision"] for r in reasons if "decision" in r)], key=order.index)

