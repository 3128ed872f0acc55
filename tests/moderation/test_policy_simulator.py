"""The policy simulator on a small history worked out by hand (tests/support/history.py), on
PostgreSQL and on SQLite: its figures, its examples, and that it changes nothing it reads."""

from datetime import date, timedelta, timezone

import pytest
from sqlalchemy import select

from moderation.pipeline.simulator import PeriodTooLongError, simulate
from shared.db import get_sessionmaker
from shared.models import Comment, ModerationAction, Site, Verdict
from shared.settings import PolicySettings
from shared.site_policy import SitePolicy
from tests.support.history import NOV_1, seed_history
from tests.support.sites import make_site

# Current: the defaults (review from 0.5, reject from 0.9). Proposed: review toxicity from 0.7,
# "казино*" banned, each author's first comment reviewed.
PROPOSED = SitePolicy(review={"toxicity": 0.7}, banned_words=["казино*"], new_author_review=1)


@pytest.fixture
def history(any_database_url):
    site = make_site(any_database_url, name="luki")
    with get_sessionmaker(any_database_url)() as db:
        comments = seed_history(db, site.id)
        other = make_site(any_database_url, name="pskov")
        seed_history(db, other.id)  # another site's comments stay out of luki's figures
        yield db, db.get(Site, site.id), {name: c.id for name, c in comments.items()}


def run(db, site, proposed=PROPOSED, **options):
    return simulate(
        db, site, proposed, start=NOV_1, end=NOV_1 + timedelta(days=2), defaults=PolicySettings(), **options
    )


def test_both_policies_side_by_side_as_worked_out_by_hand(history):
    db, site, ids = history

    result = run(db, site)

    # first 0.20 anna (new)  | rude 0.60 anna, moderators approved | abuse 0.95 | banned (a ban rejected it)
    # casino 0.65 "К.А.З.И.Н.О", moderators rejected | nonsense 0.55 anna, moderators rejected | thanks 0.10
    # dasha, who had one approved before the period | pending: no verdict, not replayed.
    assert (result.replayed, result.unscored) == (7, 1)
    current, proposed = result.current, result.proposed
    assert (current.approved, current.held, current.rejected) == (2, 3, 2)  # first, thanks | rude, casino, nonsense
    assert (proposed.approved, proposed.held, proposed.rejected) == (3, 1, 3)  # rude, nonsense, thanks | first
    assert result.days == [date(2026, 11, 1), date(2026, 11, 2)]
    assert (current.held_per_day, proposed.held_per_day) == ([1, 2], [1, 0])
    # Moderators approved rude, rejected casino and nonsense; their reject of thanks was undone.
    assert (result.moderators_approved, result.moderators_rejected) == (1, 2)
    assert (current.would_pass, current.would_hold, current.agreed) == ([], [ids["rude"]], 2)
    assert (proposed.would_pass, proposed.would_hold, proposed.agreed) == ([ids["nonsense"]], [], 2)
    assert result.changed == 4  # first, rude, casino, nonsense
    bins = {n: count for n, count in enumerate(result.histogram) if count}
    assert bins == {2: 2, 4: 1, 11: 1, 12: 1, 13: 1, 19: 1}  # 0.10 ×2, 0.20, 0.55, 0.60, 0.65, 0.95


def test_examples_show_the_comments_behind_the_figures(history):
    db, site, ids = history

    examples = run(db, site).examples

    [passed] = examples["would_pass"]
    assert (passed.comment_id, passed.text, passed.moderators) == (ids["nonsense"], "Ну и бред", "reject")
    assert (passed.current, passed.proposed) == ("review", "approve")
    assert examples["would_hold"] == []
    assert [e.comment_id for e in examples["changed"]] == [ids[n] for n in ("casino", "rude", "nonsense", "first")]
    assert examples["changed"][0].proposed == "reject" and examples["changed"][0].score == 0.65


def test_the_same_policy_changes_nothing_and_days_follow_the_moderators_clock(history):
    db, site, _ids = history

    result = run(db, site, SitePolicy(), tz=timezone(timedelta(hours=3)))

    assert result.changed == 0 and result.current.held_per_day == result.proposed.held_per_day
    # In Moscow the period runs from 03:00 on 1 November to 03:00 on 3 November: three days.
    assert len(result.days) == 3 and result.current.held_per_day == [1, 2, 0]


def test_the_replay_touches_nothing_it_reads(history):
    db, site, _ids = history

    def snapshot():
        db.expire_all()
        return (
            [
                (c.id, c.status, c.version, c.updated_at, c.text)
                for c in db.scalars(select(Comment).order_by(Comment.id))
            ],
            [(v.id, v.decision) for v in db.scalars(select(Verdict).order_by(Verdict.id))],
            [(a.id, a.undone) for a in db.scalars(select(ModerationAction).order_by(ModerationAction.id))],
            dict(site.policy),
        )

    before = snapshot()
    run(db, site)
    assert not db.new and not db.dirty and not db.deleted
    db.rollback()
    assert snapshot() == before


def test_a_period_longer_than_one_replay_takes_is_refused(history, monkeypatch):
    db, site, _ids = history
    monkeypatch.setattr("moderation.pipeline.simulator.MAX_COMMENTS", 3)

    with pytest.raises(PeriodTooLongError, match="more than 3 comments"):
        run(db, site)
