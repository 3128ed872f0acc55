"""A comment whose scoring fails cannot hold back its batch-mates, and is quarantined when it keeps failing."""

from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from moderation.pipeline.moderate import claim_stale_pending
from shared import task_names
from shared.celery_app import create_celery
from shared.models import Comment, Verdict
from shared.state_metrics import PendingCollector
from tests.support.factories import make_comment
from tests.support.sites import make_site


@pytest.fixture
def score(settings):
    """The worker's batch task, run in this process on a batch of comment ids."""
    app = create_celery(settings.model_copy(update={"quarantine_after_failures": 2}), ["moderation.pipeline.tasks"])
    app.loader.import_default_modules()
    task = app.tasks[task_names.SCORE_COMMENT]
    return lambda *ids: task.run([SimpleNamespace(args=[i]) for i in ids])


def poison(db, comment: Comment) -> int:
    # What a site could store before timestamps were range-checked: year 10000 in UTC, which
    # PostgreSQL keeps and psycopg cannot read back.
    comment_id = comment.id
    db.execute(text("UPDATE comments SET posted_at = '9999-12-31T23:59:59-14:00' WHERE id = :id"), {"id": comment_id})
    db.commit()
    db.expunge_all()  # the session must not try to load it back
    return comment_id


def failures(db, comment_id: int) -> tuple[int, bool]:
    db.rollback()
    row = db.execute(select(Comment.scoring_failures, Comment.quarantined_at).where(Comment.id == comment_id)).one()
    return row.scoring_failures, row.quarantined_at is not None


def gauges(settings) -> dict[str, float]:
    return {m.name: m.samples[0].value for m in PendingCollector(settings).collect()}


def test_a_row_that_cannot_be_read_does_not_hold_back_other_sites(db, settings, score):
    other = make_site(settings.database_url, name="other")
    ours = make_site(settings.database_url, name="ours")
    good = [make_comment(db, other.id, external_id=f"ok-{n}").id for n in range(3)]
    bad = poison(db, make_comment(db, ours.id, external_id="bad"))

    score(good[0], bad, good[1], good[2])

    decided = set(db.scalars(select(Verdict.comment_id)))
    assert decided == set(good)
    assert failures(db, bad) == (1, False)


def test_a_row_failing_again_is_quarantined_counted_and_not_swept(db, settings, score):
    site = make_site(settings.database_url, name="ours")
    bad = poison(db, make_comment(db, site.id, external_id="bad"))
    assert claim_stale_pending(db, older_than_s=-1) == [bad]
    db.commit()

    score(bad)
    assert failures(db, bad) == (1, False)
    score(bad)
    assert failures(db, bad) == (2, True)

    assert claim_stale_pending(db, older_than_s=-1) == []  # the sweeper no longer re-sends it
    assert gauges(settings)["modsys_comments_quarantined"] == 1.0
    assert gauges(settings)["modsys_comments_pending"] == 0.0
    score(bad)  # a copy still in the queue is dropped, not counted again
    assert failures(db, bad) == (2, True)
