"""One comment through scoring and policy, on PostgreSQL with the committed model."""

from sqlalchemy import func, select

from moderation.scorers import get_scorer
from moderation.scoring import CATEGORIES
from moderation.service import claim_stale_pending, moderate_comment
from shared.models import Comment, Notification, Verdict
from shared.settings import PolicySettings, ToxicitySettings
from tests.support.factories import make_comment
from tests.support.sites import make_site

SCORER = get_scorer(ToxicitySettings())


def moderate(db, comment_id: int) -> int | None:
    notification_id = moderate_comment(db, comment_id, scorer=SCORER, defaults=PolicySettings())
    db.commit()
    return notification_id


def test_an_abusive_comment_is_held_with_scores_reasons_and_model(db, site):
    comment = make_comment(db, site.id, text="Ты тупая мразь, заткнись")
    moderate(db, comment.id)

    verdict = db.scalar(select(Verdict))
    assert verdict.decision in ("review", "reject")
    assert verdict.scores["toxicity"] >= 0.5
    assert verdict.model_name == SCORER.name and verdict.model_version == SCORER.version
    assert verdict.reasons and verdict.decided_by == "auto"
    db.refresh(comment)
    assert comment.status == {"review": "review", "reject": "rejected"}[verdict.decision]


def test_a_friendly_comment_is_approved(db, site):
    comment = make_comment(db, site.id, text="Спасибо за статью, очень интересно про кластер")
    moderate(db, comment.id)
    db.refresh(comment)
    assert comment.status == "approved"


def test_running_twice_stores_one_verdict_and_owes_one_callback(db, settings):
    site = make_site(settings.database_url, name="cb", callback_url="http://127.0.0.1:9/cb")
    comment = make_comment(db, site.id)

    first, second = moderate(db, comment.id), moderate(db, comment.id)

    assert first is not None and second is None
    assert db.scalar(select(func.count()).select_from(Verdict)) == 1
    assert db.scalar(select(func.count()).select_from(Notification)) == 1


def test_no_callback_is_owed_to_a_site_without_a_callback_url(db, site):
    assert moderate(db, make_comment(db, site.id).id) is None


def test_an_unknown_comment_is_ignored(db):
    assert moderate(db, 424242) is None


def test_a_site_threshold_changes_the_decision(db, settings):
    never = dict.fromkeys(CATEGORIES, 1.01)  # no score reaches these thresholds
    lenient = make_site(settings.database_url, name="lenient", policy={"review": never, "reject": never})
    comment = make_comment(db, lenient.id, text="Ты тупая мразь, заткнись")
    moderate(db, comment.id)
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
