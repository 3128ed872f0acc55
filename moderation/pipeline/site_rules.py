"""A site's own rules beyond thresholds: banned and suspect words, new authors, banned authors.

Word lists match through the scorer's normalisation, so "к.а.з.и.н.о", "kaзинo" and "КАЗИНО" are
all "казино", and the spans point into the original text for the console to highlight.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from moderation.scoring.normalize import Normalized, Skeletons, normalize, normalize_text
from shared.authors import active_restrictions
from shared.i18n import N_
from shared.models import AuthorRestriction, Comment, ModerationAction, as_utc
from shared.reasons import Reason, ReasonCode, WordSpan, phrase, plural_phrase
from shared.site_policy import SitePolicy
from shared.vocabulary import REJECT_REASON_LABELS, ActionKind, CommentStatus, Decision

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


def find_words(text: str, normalized: Normalized, words: Sequence[str]) -> list[WordSpan]:
    """Where the list's words occur, as spans of the original text."""
    pattern = _pattern(tuple(words))
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(normalized.text):
        if match.end() > match.start():
            start, end = normalized.original_span(match.start(), match.end())
            found.append(WordSpan(word=text[start:end], start=start, end=end))
    return found


@dataclass(frozen=True)
class WordList:
    """A word list made ready to test many texts: a skeleton test rules most of them out in one
    pass, and find_words (what the workers use) decides the rest."""

    words: tuple[str, ...]

    def candidates(self, skeletons: Skeletons) -> set[int]:
        """The texts that might contain one of the words; the others surely do not."""
        found: set[int] = set()
        for word in self.words:
            found |= skeletons.containing(word.rstrip("*").strip())
        return found

    def found_in(self, text: str, normalized: Normalized) -> bool:
        return bool(find_words(text, normalized, self.words))


@dataclass(frozen=True)
class RuleFacts:
    """What the rules need to know beyond a batch's texts, fetched once per batch: its authors'
    bans and approved comments, and which comments a moderator rejected before this version."""

    restrictions: dict[tuple[int, str], AuthorRestriction]
    approved: dict[tuple[int, str], int]
    rejected_earlier: dict[int, ModerationAction] = field(default_factory=dict)


def rejected_earlier(session: Session, comments: Sequence[Comment]) -> dict[int, ModerationAction]:
    """Edited comments whose latest standing human decision, on an earlier version, was a reject."""
    edited = {c.id: c.version for c in comments if c.version > 1}
    if not edited:
        return {}
    decisions = session.scalars(
        select(ModerationAction)
        .where(
            ModerationAction.comment_id.in_(list(edited)),
            ModerationAction.action.in_([ActionKind.APPROVE, ActionKind.REJECT]),
            ModerationAction.undone.is_(False),
        )
        .order_by(ModerationAction.id)
    )
    latest = {action.comment_id: action for action in decisions}  # the last one of each comment wins
    return {
        comment_id: action
        for comment_id, action in latest.items()
        if comment_id is not None
        and action.action == ActionKind.REJECT
        and (action.version is None or action.version < edited[comment_id])
    }


def rule_facts(
    session: Session,
    comments: Sequence[Comment],
    policies: dict[int, SitePolicy],
    unknown: Collection[tuple[int, str]] = (),
) -> RuleFacts:
    """None is looked up for `unknown` authors: ids made up for these comments have no past."""
    authors = list({(c.site_id, c.author_id) for c in comments}.difference(unknown))
    approved: dict[tuple[int, str], int] = {}
    needs_counts = [a for a in authors if policies[a[0]].new_author_review > 0]
    if needs_counts:
        rows = session.execute(
            select(Comment.site_id, Comment.author_id, func.count())
            .where(
                tuple_(Comment.site_id, Comment.author_id).in_(needs_counts), Comment.status == CommentStatus.APPROVED
            )
            .group_by(Comment.site_id, Comment.author_id)
        )
        approved = {(site_id, author_id): count for site_id, author_id, count in rows}
    return RuleFacts(active_restrictions(session, authors), approved, rejected_earlier(session, comments))


_LISTS = {
    ReasonCode.BANNED_WORDS: (Decision.REJECT, N_("banned words: %(words)s")),
    ReasonCode.SUSPECT_WORDS: (Decision.REVIEW, N_("suspect words: %(words)s")),
}


def _words_reason(code: ReasonCode, words: list[WordSpan]) -> Reason:
    decision, wording = _LISTS[code]
    listed = ", ".join(w.word for w in words)
    return Reason(
        code=code,
        category=code.value,
        decision=decision,
        words=tuple(words),
        message=f"{code}: {listed}",
        phrases=(phrase(wording, words=listed),),
    )


def _restriction_reason(restriction: AuthorRestriction) -> Reason:
    why = REJECT_REASON_LABELS.get(restriction.reason or "", N_("no reason given"))
    if restriction.until is None:
        words = phrase("the author is banned (%(reason)s)", reason=why, translate=["reason"])
    else:
        until = as_utc(restriction.until).strftime("%Y-%m-%d %H:%M")
        words = phrase(
            "the author is suspended until %(until)s UTC (%(reason)s)", reason=why, translate=["reason"], until=until
        )
    return Reason.of(ReasonCode.AUTHOR_BANNED, [words], decision=Decision.REJECT, action_id=restriction.action_id)


def _new_author_reason(approved: int, reviewed: int) -> Reason:
    words = plural_phrase(
        "new author: %(approved)d approved comment, the site reviews the first %(reviewed)d",
        "new author: %(approved)d approved comments, the site reviews the first %(reviewed)d",
        number="approved",
        approved=approved,
        reviewed=reviewed,
    )
    return Reason.of(ReasonCode.NEW_AUTHOR, [words], decision=Decision.REVIEW, approved_comments=approved)


def _edited_after_reject_reason(action: ModerationAction, policy: SitePolicy) -> Reason:
    words = phrase("edited after a moderator rejected version %(version)s", version=action.version or "?")
    decision = Decision(policy.edit_after_reject)
    return Reason.of(ReasonCode.EDITED_AFTER_REJECT, [words], decision=decision, action_id=action.id)


def rule_reasons(comment: Comment, policy: SitePolicy, facts: RuleFacts) -> list[Reason]:
    """The site rules this comment breaks, each with the decision it calls for."""
    reasons = []
    restriction = facts.restrictions.get((comment.site_id, comment.author_id))
    if restriction is not None:
        reasons.append(_restriction_reason(restriction))
    # An author must not get past a moderator by editing: the new text is never approved unseen.
    if (rejected := facts.rejected_earlier.get(comment.id)) is not None:
        reasons.append(_edited_after_reject_reason(rejected, policy))
    if policy.banned_words or policy.suspect_words:
        normalized = normalize(comment.text)
        if banned := find_words(comment.text, normalized, policy.banned_words):
            reasons.append(_words_reason(ReasonCode.BANNED_WORDS, banned))
        if suspect := find_words(comment.text, normalized, policy.suspect_words):
            reasons.append(_words_reason(ReasonCode.SUSPECT_WORDS, suspect))
    approved = facts.approved.get((comment.site_id, comment.author_id), 0)
    if policy.new_author_review and approved < policy.new_author_review:
        reasons.append(_new_author_reason(approved, policy.new_author_review))
    return reasons


def strictest(decision: Decision, reasons: Sequence[Reason]) -> Decision:
    """The harshest of the threshold decision and the rules' decisions."""
    return Decision.strictest([decision, *(r.decision for r in reasons if r.decision is not None)])
