"""The policy simulator: what a proposed policy would have done to a site's stored comments.

It replays the current and the proposed policy over the comments of a period, side by side, and
changes nothing (it only reads). Thresholds apply to each comment's stored verdict scores, so
nothing is scored again; word lists apply to the text, through the workers' own matching; new-author
review to how many comments the author had approved before. Each side is then compared with what
moderators decided on the same comments.

What it approximates (the console and modctl say so beside the figures):
- an author's approved comments "at the time" are those approved before the period plus, inside it,
  their earlier comments (by order of posting) whose status is approved now, by the machine or a human;
- a ban in force when a comment was scored keeps it rejected under both policies (bans are not policy),
  and an edit of a rejected comment is replayed like any comment.

The comments are read column by column into arrays, once, and each policy is a few array operations
over them: 100,000 comments replay in seconds (`make bench-simulate`).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import numpy as np
from sqlalchemy import Text, cast, func, null, select
from sqlalchemy.orm import Session

from moderation.pipeline.policy import Policy, site_policy, threshold_decisions
from moderation.pipeline.site_rules import WordList
from moderation.scoring.normalize import Normalized, Skeletons, normalize
from shared.categories import POLICY_SCORES, Category
from shared.models import Comment, ModerationAction, Site, Verdict
from shared.reasons import ReasonCode
from shared.settings import PolicySettings
from shared.site_policy import SitePolicy, load_site_policy, threshold_applies
from shared.vocabulary import DECISIONS_BY_SEVERITY, ActionKind, CommentStatus, Decision, ModerationMode

MAX_COMMENTS = 1_000_000  # a longer period is refused: the replay holds its comments in memory
HISTOGRAM_BINS = 20
APPROVE, REVIEW, REJECT = (DECISIONS_BY_SEVERITY.index(d) for d in (Decision.APPROVE, Decision.REVIEW, Decision.REJECT))
NO_DECISION = -1  # moderators did not decide the comment (or their decision was undone, or is of an older text)


class PeriodTooLongError(ValueError):
    """The period holds more comments than one replay takes."""


@dataclass
class StoredPeriod:
    """The period's scored comments, one array (or list) per column, in order of posting."""

    ids: np.ndarray
    authors: list[str]
    approved_now: np.ndarray  # bool: the comment's status now is approved
    day: np.ndarray  # index into Simulation.days
    scores: np.ndarray  # a row per comment, a column per POLICY_SCORES name, NaN where absent
    texts: list[str] | None  # only when a word list needs them
    banned: np.ndarray  # bool: a ban in force rejected it when it was scored
    moderators: np.ndarray  # DECISIONS_BY_SEVERITY index of their standing decision, or NO_DECISION
    approved_before: np.ndarray  # the author's approved comments before this one


@dataclass
class Replay:
    """One policy's outcome over the period."""

    policy: SitePolicy
    thresholds: Policy
    approved: int = 0
    held: int = 0  # sent to review: the moderators' workload
    rejected: int = 0
    held_per_day: list[int] = field(default_factory=list)  # one per Simulation.days
    # Comments moderators rejected that this policy approves, and ones they approved that it holds back.
    would_pass: list[int] = field(default_factory=list)
    would_hold: list[int] = field(default_factory=list)
    agreed: int = 0  # moderators' decisions it takes too (their reject ~ held back, their approve ~ approve)

    @property
    def shown_while_held(self) -> bool:
        """Under post-moderation readers see a comment while it waits for a human."""
        return self.policy.mode == ModerationMode.POST

    def threshold(self, category: str, kind: Decision) -> float | None:
        """The category's review or reject threshold; None when the category is off."""
        value = (self.thresholds.review if kind == Decision.REVIEW else self.thresholds.reject).get(category)
        return value if threshold_applies(value) else None

    def as_json(self, days: Sequence[date]) -> dict[str, Any]:
        return {
            "policy": self.policy.model_dump(mode="json", exclude_defaults=True),
            "approved": self.approved,
            "held": self.held,
            "rejected": self.rejected,
            "held_per_day": {day.isoformat(): held for day, held in zip(days, self.held_per_day, strict=True)},
            "moderators_rejected_would_pass": len(self.would_pass),
            "moderators_approved_would_be_held": len(self.would_hold),
            "agreed_with_moderators": self.agreed,
        }


@dataclass(frozen=True)
class Example:
    """A comment shown to explain a figure."""

    comment_id: int
    text: str
    author_name: str
    article_title: str | None
    created_at: datetime
    score: float | None  # the histogram's category
    moderators: Decision | None
    current: Decision
    proposed: Decision


@dataclass
class Simulation:
    site_id: int
    start: datetime
    end: datetime
    days: list[date]
    category: str  # the score the histogram shows
    current: Replay
    proposed: Replay
    replayed: int = 0
    unscored: int = 0  # stored without a verdict (still pending, or never scored): not replayed
    moderators_approved: int = 0
    moderators_rejected: int = 0
    histogram: list[int] = field(default_factory=list)  # HISTOGRAM_BINS counts of the category's score
    changed: int = 0  # comments the two policies decide differently
    examples: dict[str, list[Example]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The figures as modctl prints them with --json."""
        return {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "replayed": self.replayed,
            "unscored": self.unscored,
            "moderators": {"approved": self.moderators_approved, "rejected": self.moderators_rejected},
            "changed": self.changed,
            "current": self.current.as_json(self.days),
            "proposed": self.proposed.as_json(self.days),
            "histogram": {"category": self.category, "bins": self.histogram},
            "examples": {
                name: [
                    {"comment_id": e.comment_id, "text": e.text, "moderators": e.moderators}
                    | {"current": e.current, "proposed": e.proposed}
                    for e in examples
                ]
                for name, examples in self.examples.items()
            },
        }


def _in_period(site_id: int, start: datetime, end: datetime) -> Any:
    return (Comment.site_id == site_id) & (Comment.created_at >= start) & (Comment.created_at < end)


def _scored() -> Any:
    return (Verdict.comment_id == Comment.id) & (Verdict.version == Comment.version)


def whole_days(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period from midnight of `first` to the midnight after `last`, on the moderators' clock."""
    if last < first:
        raise ValueError(f"the period ends ({last}) before it begins ({first})")
    return datetime.combine(first, time(), tz), datetime.combine(last + timedelta(days=1), time(), tz)


def _days(start: datetime, end: datetime, tz: tzinfo) -> list[date]:
    first, last = start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _day_index(created: Sequence[datetime], days: list[date], tz: tzinfo) -> np.ndarray:
    """Each time's day on the moderators' clock, as an index into `days` (DST-proof: by midnights)."""
    midnights = [datetime.combine(day, time(), tz).timestamp() for day in days[1:]]
    stamps = np.fromiter((moment.timestamp() for moment in created), dtype=np.float64, count=len(created))
    return np.searchsorted(np.array(midnights), stamps, side="right")


def read_period(
    session: Session, site_id: int, start: datetime, end: datetime, *, with_text: bool, days: list[date], tz: tzinfo
) -> StoredPeriod:
    """The period's scored comments, with one query; the text only when a word list needs it. (Alone,
    it is the floor `make bench-simulate` measures the simulator against.)"""
    query = (
        select(
            Comment.id,
            Comment.author_id,
            Comment.status,
            Comment.created_at,
            cast(Verdict.scores, Text),  # parsed below in one call, not one per row
            Comment.text if with_text else null(),
        )
        .join(Verdict, _scored())
        .where(_in_period(site_id, start, end))
        .order_by(Comment.created_at)  # the index's order: "by order of posting"
        .limit(MAX_COMMENTS + 1)
    )
    rows = session.connection().execute(query).all()
    if len(rows) > MAX_COMMENTS:
        raise PeriodTooLongError(f"more than {MAX_COMMENTS} comments in the period; choose a shorter one")
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    ids, authors, statuses, created, scores_json, texts = (list(column) for column in columns)
    parsed = json.loads("[" + ",".join(scores_json) + "]")
    nan = float("nan")
    matrix = np.array([[s.get(name, nan) for name in POLICY_SCORES] for s in parsed], dtype=np.float64)
    return StoredPeriod(
        ids=np.array(ids, dtype=np.int64),
        authors=authors,
        approved_now=np.array([status == CommentStatus.APPROVED for status in statuses], dtype=bool),
        day=_day_index(created, days, tz),
        scores=matrix.reshape(len(rows), len(POLICY_SCORES)),
        texts=texts if with_text else None,
        banned=np.zeros(len(rows), dtype=bool),
        moderators=np.full(len(rows), NO_DECISION, dtype=np.int8),
        approved_before=np.zeros(len(rows), dtype=np.int32),
    )


def _mark_bans(session: Session, stored: StoredPeriod, site_id: int, start: datetime, end: datetime) -> None:
    """Comments a ban rejected when they were scored (their verdicts name the ban)."""
    rejected = session.execute(
        select(Comment.id, Verdict.reasons)
        .join(Verdict, _scored())
        .where(_in_period(site_id, start, end), Verdict.decision == Decision.REJECT)
    )
    banned = [cid for cid, reasons in rejected if any(r.get("code") == ReasonCode.AUTHOR_BANNED for r in reasons)]
    stored.banned = np.isin(stored.ids, np.array(banned, dtype=np.int64))


def _mark_moderators(session: Session, stored: StoredPeriod, site_id: int, start: datetime, end: datetime) -> None:
    """Each comment's standing human decision (approve or reject, not undone) on its present text."""
    actions = session.execute(
        select(ModerationAction.comment_id, ModerationAction.action, ModerationAction.version, Comment.version)
        .join(Comment, Comment.id == ModerationAction.comment_id)
        .where(
            _in_period(site_id, start, end),
            ModerationAction.action.in_([ActionKind.APPROVE, ActionKind.REJECT]),
            ModerationAction.undone.is_(False),
        )
        .order_by(ModerationAction.id)
    )
    latest = {cid: action if version in (None, current) else None for cid, action, version, current in actions}
    position = {int(cid): n for n, cid in enumerate(stored.ids)}
    for cid, action in latest.items():
        if action is not None and cid in position:
            stored.moderators[position[cid]] = DECISIONS_BY_SEVERITY.index(Decision(action))


def _count_approved_before(session: Session, stored: StoredPeriod, site_id: int, start: datetime) -> None:
    """Each comment's author's approved comments before it: before the period, then in order of posting."""
    before = dict(
        session.execute(
            select(Comment.author_id, func.count())
            .where(Comment.site_id == site_id, Comment.created_at < start, Comment.status == CommentStatus.APPROVED)
            .group_by(Comment.author_id)
        ).all()
    )
    counts = stored.approved_before
    for n, (author, approved) in enumerate(zip(stored.authors, stored.approved_now, strict=True)):
        counts[n] = seen = before.get(author, 0)
        if approved:
            before[author] = seen + 1


class _Judge:
    """One policy, replayed over every comment at once."""

    def __init__(self, policy: SitePolicy, defaults: PolicySettings):
        self.replay = Replay(policy, site_policy(defaults, policy))
        self.banned = WordList(tuple(policy.banned_words))
        self.suspect = WordList(tuple(policy.suspect_words))

    def decide(self, stored: StoredPeriod, listed: "_ListedWords") -> np.ndarray:
        """Each comment's decision: the strictest of the thresholds and the rules, as the workers take it."""
        decisions = threshold_decisions(stored.scores, POLICY_SCORES, self.replay.thresholds)
        held = (stored.approved_before < self.replay.policy.new_author_review) | listed.found(self.suspect)
        decisions = np.maximum(decisions, np.where(held, REVIEW, APPROVE))
        rejected = stored.banned | listed.found(self.banned)
        return np.where(rejected, REJECT, decisions).astype(np.int8)

    def tally(self, stored: StoredPeriod, decisions: np.ndarray, days: int) -> Replay:
        replay = self.replay
        replay.approved, replay.held, replay.rejected = (int(n) for n in np.bincount(decisions, minlength=3)[:3])
        replay.held_per_day = np.bincount(stored.day[decisions == REVIEW], minlength=days)[:days].tolist()
        rejected_by_them, approved_by_them = stored.moderators == REJECT, stored.moderators == APPROVE
        replay.would_pass = stored.ids[rejected_by_them & (decisions == APPROVE)].tolist()
        replay.would_hold = stored.ids[approved_by_them & (decisions != APPROVE)].tolist()
        replay.agreed = int(
            np.sum(rejected_by_them & (decisions != APPROVE)) + np.sum(approved_by_them & (decisions == APPROVE))
        )
        return replay


class _ListedWords:
    """Which comments hold a list's words: the skeletons rule most out at once, find_words decides the rest."""

    def __init__(self, stored: StoredPeriod):
        self.texts = stored.texts or []
        self.count = len(stored.ids)
        self._skeletons: Skeletons | None = None
        self._normalized: dict[int, Normalized] = {}  # each comment normalised once, for every list

    def found(self, words: WordList) -> np.ndarray:
        found = np.zeros(self.count, dtype=bool)
        if not words.words or not self.texts:
            return found
        if self._skeletons is None:
            self._skeletons = Skeletons(self.texts)
        for n in words.candidates(self._skeletons):
            if n not in self._normalized:
                self._normalized[n] = normalize(self.texts[n])
            found[n] = words.found_in(self.texts[n], self._normalized[n])
        return found


def simulate(
    session: Session,
    site: Site,
    proposed: SitePolicy,
    *,
    start: datetime,
    end: datetime,
    defaults: PolicySettings,
    tz: tzinfo = UTC,
    category: str = Category.TOXICITY,
    examples: int = 5,
) -> Simulation:
    """Replay the site's current policy and `proposed` over its comments posted in [start, end)."""
    judges = (_Judge(load_site_policy(site.policy), defaults), _Judge(proposed, defaults))
    with_text = any(judge.banned.words or judge.suspect.words for judge in judges)
    days = _days(start, end, tz)
    stored = read_period(session, site.id, start, end, with_text=with_text, days=days, tz=tz)
    _mark_bans(session, stored, site.id, start, end)
    _mark_moderators(session, stored, site.id, start, end)
    if any(judge.replay.policy.new_author_review for judge in judges):
        _count_approved_before(session, stored, site.id, start)
    listed = _ListedWords(stored)
    current, new = (judge.decide(stored, listed) for judge in judges)
    result = Simulation(
        site.id,
        start,
        end,
        days,
        category,
        judges[0].tally(stored, current, len(days)),
        judges[1].tally(stored, new, len(days)),
    )
    result.replayed = len(stored.ids)
    unscored = select(func.count()).where(
        _in_period(site.id, start, end), ~select(Verdict.id).where(_scored()).exists()
    )
    result.unscored = session.scalar(unscored) or 0
    result.moderators_approved = int(np.sum(stored.moderators == APPROVE))
    result.moderators_rejected = int(np.sum(stored.moderators == REJECT))
    column = stored.scores[:, POLICY_SCORES.index(category)]
    result.histogram = _histogram(column)
    changed = current != new
    result.changed = int(np.sum(changed))
    result.examples = _examples(session, stored, column, (current, new), changed, examples, result)
    return result


def _histogram(scores: np.ndarray) -> list[int]:
    """Counts per bin of width 1/HISTOGRAM_BINS; a score on an edge (0.60) counts in the bin it opens,
    as a threshold at that edge would catch it (the epsilon undoes 0.6 * 20 = 11.999…)."""
    bins = np.clip((scores[~np.isnan(scores)] * HISTOGRAM_BINS + 1e-9).astype(np.int64), 0, HISTOGRAM_BINS - 1)
    return np.bincount(bins, minlength=HISTOGRAM_BINS).tolist()


def _examples(
    session: Session,
    stored: StoredPeriod,
    score: np.ndarray,
    decisions: tuple[np.ndarray, np.ndarray],
    changed: np.ndarray,
    limit: int,
    result: Simulation,
) -> dict[str, list[Example]]:
    """A few comments behind each figure that needs explaining, the highest-scoring first."""
    position = {int(cid): n for n, cid in enumerate(stored.ids)}
    wanted = {
        "would_pass": [position[i] for i in result.proposed.would_pass],
        "would_hold": [position[i] for i in result.proposed.would_hold],
        "changed": np.flatnonzero(changed).tolist(),
    }
    ranked = np.nan_to_num(score, nan=-1.0)
    chosen = {name: sorted(rows, key=lambda n: (-ranked[n], -stored.ids[n]))[:limit] for name, rows in wanted.items()}
    wanted_ids = {int(stored.ids[n]) for rows in chosen.values() for n in rows}
    comments = (
        {c.id: c for c in session.scalars(select(Comment).where(Comment.id.in_(wanted_ids)))} if wanted_ids else {}
    )

    def example(n: int) -> Example:
        comment, by_them = comments[int(stored.ids[n])], int(stored.moderators[n])
        return Example(
            comment_id=comment.id,
            text=comment.text,
            author_name=comment.author_name,
            article_title=comment.article_title,
            created_at=comment.created_at,
            score=None if np.isnan(score[n]) else float(score[n]),
            moderators=None if by_them == NO_DECISION else DECISIONS_BY_SEVERITY[by_them],
            current=DECISIONS_BY_SEVERITY[int(decisions[0][n])],
            proposed=DECISIONS_BY_SEVERITY[int(decisions[1][n])],
        )

    return {name: [example(n) for n in rows] for name, rows in chosen.items()}
