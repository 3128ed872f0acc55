"""One comment through scoring and policy, on PostgreSQL with the committed model."""

import pytest
from sqlalchemy import func, select

from moderation.pipeline.moderate import claim_stale_pending, moderate_comments
from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import SpamScorer
from shared.categories import CATEGORIES
from shared.models import Notification, Verdict
from shared.settings import PolicySettings, SpamSettings, ToxicitySettings
from tests.support.factories import make_comment
from tests.support.sites import make_site

SCORER = get_scorer(ToxicitySettings())


@pytest.fixture
def spam(redis_client) -> SpamScorer:
    """The real spam scorer, its counters in the tests' Redis database."""
    return SpamScorer(redis_client, SpamSettings())


@pytest.fixture
def moderate(db, spam):
    """One comment through the batch path; returns the callback it owes, if any."""

    def run(comment_id: int) -> int | None:
        owed = moderate_comments(db, [comment_id], scorer=SCORER, spam=spam, defaults=PolicySettings()).callbacks
        db.commit()
        return owed[0] if owed else None

    return run


def test_an_abusive_comment_is_held_with_scores_reasons_and_model(moderate, db, site):
    comment = make_comment(db, site.id, text="Ты тупая мразь, заткнись")
    moderate(comment.id)

    verdict = db.scalar(select(Verdict))
    assert verdict.decision in ("review", "reject")
    assert verdict.scores["toxicity"] >= 0.5
    assert verdict.model_name == SCORER.name and verdict.model_version == SCORER.version
    assert verdict.reasons and verdict.decided_by == "auto"
    db.refresh(comment)
    assert comment.status == {"review": "review", "reject": "rejected"}[verdict.decision]


def test_a_friendly_comment_is_approved(moderate, db, site):
    comment = make_comment(db, site.id, text="Спасибо за статью, очень интересно про кластер")
    moderate(comment.id)
    db.refresh(comment)
    assert comment.status == "approved"


def test_running_twice_stores_one_verdict_and_owes_one_callback(moderate, db, settings):
    site = make_site(settings.database_url, name="cb", callback_url="http://127.0.0.1:9/cb")
    comment = make_comment(db, site.id)

    first, second = moderate(comment.id), moderate(comment.id)

    assert first is not None and second is None
    assert db.scalar(select(func.count()).select_from(Verdict)) == 1
    assert db.scalar(select(func.count()).select_from(Notification)) == 1


def test_no_callback_is_owed_to_a_site_without_a_callback_url(moderate, db, site):
    assert moderate(make_comment(db, site.id).id) is None


def test_an_unknown_comment_is_ignored(moderate, db):
    assert moderate(424242) is None


def test_a_site_threshold_changes_the_decision(moderate, db, settings):
    never = dict.fromkeys(CATEGORIES, 1.01)  # no score reaches these thresholds
    lenient = make_site(settings.database_url, name="lenient", policy={"review": never, "reject": never})
    comment = make_comment(db, lenient.id, text="Ты тупая мразь, заткнись")
    moderate(comment.id)
    db.refresh(comment)
    assert comment.status == "approved"


def test_the_sweeper_claims_only_stale_pending_comments(db, site):
    stale = make_comment(db, site.id, external_id="old")
    decided = make_comment(db, site.id, external_id="done", status="approved")

    assert claim_stale_pending(db, older_than_s=3600) == []
    assert claim_stale_pending(db, older_than_s=-1) == [stale.id]
    db.commit()
    assert claim_stale_pending(db, older_than_s=5) == []  # just re-queued: not again at once
    assert decided.id not in claim_stale_pending(db, older_than_s=-1)


class CountingScorer:
    """The real scorer, counting how often the model is called."""

    def __init__(self) -> None:
        self.name, self.version, self.calls = SCORER.name, SCORER.version, 0

    def score_batch(self, texts):
        self.calls += 1
        return SCORER.score_batch(texts)


def test_a_batch_is_scored_in_one_model_call_and_skips_what_is_decided(db, settings, spam):
    site = make_site(settings.database_url, name="batch", callback_url="http://127.0.0.1:9/cb")
    clean = make_comment(db, site.id, external_id="a", text="Спасибо, хорошая новость")
    rude = make_comment(db, site.id, external_id="b", text="Заткнись, тупая мразь")
    done = make_comment(db, site.id, external_id="c", status="approved")
    scorer = CountingScorer()

    owed = moderate_comments(
        db, [clean.id, rude.id, done.id, 424242, clean.id], scorer=scorer, spam=spam, defaults=PolicySettings()
    ).callbacks
    db.commit()

    assert scorer.calls == 1
    assert len(owed) == 2
    verdicts = dict(db.execute(select(Verdict.comment_id, Verdict.decision)).all())
    assert set(verdicts) == {clean.id, rude.id}  # the decided one and the unknown id drop out
    assert verdicts[clean.id] == "approve" and verdicts[rude.id] in ("review", "reject")


def test_a_human_decision_taken_while_the_worker_scores_is_not_overwritten(db, settings, spam, monkeypatch):
    """The worker read the comment as pending; a moderator approved it before the worker wrote."""
    import moderation.pipeline.moderate as moderate_module
    from moderation.moderators.decisions import decide_comment
    from shared.db import get_sessionmaker

    site = make_site(settings.database_url, name="race", callback_url="http://127.0.0.1:9/cb")
    comment = make_comment(db, site.id, text="Заткнись, тупая мразь")
    db.commit()
    score = moderate_module.score_and_decide

    def score_then_a_human_approves(*args, **kwargs):
        decided = score(*args, **kwargs)
        with get_sessionmaker(settings.database_url)() as other:
            decide_comment(other, comment.id, "approve", actor="moderator:anna")
            other.commit()
        return decided

    monkeypatch.setattr(moderate_module, "score_and_decide", score_then_a_human_approves)
    moderated = moderate_comments(db, [comment.id], scorer=SCORER, spam=spam, defaults=PolicySettings())
    db.commit()

    db.refresh(comment)
    assert comment.status == "approved"
    assert moderated.callbacks == [] and moderated.alert_sites == []
    assert db.scalar(select(func.count()).select_from(Verdict)) == 0
    auto = select(func.count()).select_from(Notification).where(Notification.verdict_id.is_not(None))
    assert db.scalar(auto) == 0  # the human's own callback is the only one owed
