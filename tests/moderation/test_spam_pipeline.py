"""Spam in the moderation pipeline: campaigns, bursts, account age, learning from moderators (real PostgreSQL and Redis)."""

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from moderation.pipeline.moderate import moderate_comments
from moderation.scoring.backends import get_scorer
from moderation.spam.learning import learn_site
from moderation.spam.scorer import SpamScorer
from shared.feedback import record_spam_feedback
from shared.models import SpamModelVersion, Verdict
from shared.settings import PolicySettings, SpamSettings, ToxicitySettings
from tests.support.factories import make_comment

SCORER = get_scorer(ToxicitySettings())
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
CAMPAIGN = "Лучшие ставки на спорт без вложений! Пиши в телегу @bet_master_77, бонус 5000 рублей каждому"


@pytest.fixture
def spam(redis_client) -> SpamScorer:
    return SpamScorer(redis_client, SpamSettings())


@pytest.fixture
def decide(db, site, spam):
    """Moderate comments (given as make_comment field dicts) and return their verdicts, in order."""
    counter = iter(range(10_000))

    def run(*comments: dict) -> list[Verdict]:
        made = [make_comment(db, site.id, external_id=f"x-{next(counter)}", **fields) for fields in comments]
        moderate_comments(db, [c.id for c in made], scorer=SCORER, spam=spam, defaults=PolicySettings())
        db.commit()
        return [db.scalar(select(Verdict).where(Verdict.comment_id == c.id)) for c in made]

    return run


def signals(verdict: Verdict) -> dict[str, dict]:
    return {r["signal"]: r for r in verdict.reasons if r["code"] == "spam_signal"}


def test_every_verdict_has_a_spam_score_next_to_the_toxicity_scores(decide):
    (verdict,) = decide({"text": "Спасибо за новость, дорогу давно пора было отремонтировать", "created_at": T0})
    assert 0 <= verdict.scores["spam"] < 0.5 and "toxicity" in verdict.scores
    assert verdict.decision == "approve"


def test_a_duplicate_campaign_across_articles_is_caught_from_the_second_copy_on(decide):
    first, second, third = (
        decide(
            {
                "text": CAMPAIGN.replace("77", str(n)),
                "article_id": f"a-{n}",
                "author_id": f"u-{n}",
                "created_at": T0 + timedelta(minutes=n),
            }
        )[0]
        for n in range(3)
    )
    assert "duplicate" not in signals(first)
    assert signals(second)["duplicate"]["details"]["count"] == 1
    assert signals(third)["duplicate"]["message"].startswith("same text as 2 comments")
    assert third.scores["spam"] > first.scores["spam"]


def test_a_burst_from_one_ip_raises_the_score_but_the_same_volume_spread_out_does_not(decide):
    text = "Интересно, а когда откроют новый мост через Ловать? Уже полгода ждём, {n}"
    burst = [
        decide(
            {
                "text": text.format(n=n),
                "author_id": f"b-{n}",
                "author_ip": "203.0.113.9",
                "created_at": T0 + timedelta(seconds=10 * n),
            }
        )[0]
        for n in range(10)
    ]
    spread = [
        decide(
            {
                "text": text.format(n=n),
                "author_id": f"s-{n}",
                "author_ip": f"198.51.100.{n}",
                "created_at": T0 + timedelta(hours=n),
            }
        )[0]
        for n in range(10)
    ]

    assert (
        "rate_ip" in signals(burst[-1])
        and "10 comments from this IP address" in signals(burst[-1])["rate_ip"]["message"]
    )
    assert not any("rate_ip" in signals(v) or "rate_author" in signals(v) for v in spread)
    assert burst[-1].scores["spam"] > spread[-1].scores["spam"]


def test_a_flood_on_the_site_is_a_signal_for_every_comment_in_it(decide):
    from moderation.spam.context import SITE_FLOOD_FLOOR

    flood = decide(
        *[
            {
                "text": f"Комментарий {n} о погоде",
                "author_id": f"f-{n}",
                "author_ip": f"192.0.2.{n % 250}",
                "created_at": T0 + timedelta(seconds=n),
            }
            for n in range(SITE_FLOOD_FLOOR + 2)
        ]
    )

    assert "rate_site" not in signals(flood[SITE_FLOOD_FLOOR - 1])
    assert signals(flood[-1])["rate_site"]["details"]["count"] == SITE_FLOOD_FLOOR + 2


def test_a_fresh_account_is_a_signal(decide):
    (verdict,) = decide(
        {
            "text": "Все подробности по ссылке в профиле",
            "created_at": T0,
            "posted_at": T0,
            "author_registered_at": T0 - timedelta(minutes=2),
        }
    )
    assert signals(verdict)["new_account"]["message"] == "account registered 2 minutes ago"


def test_a_blocked_domain_is_spam_for_that_site_only(decide, db, site):
    from ingest.sites import set_domain_rules
    from shared.models import Site

    set_domain_rules(db, db.get(Site, site.id), "block", ["lucky-win.example"])
    db.commit()
    (verdict,) = decide({"text": "Смотрите тут: https://lucky-win.example/promo", "created_at": T0})
    assert "blocked_domain" in signals(verdict)


def _pattern(n: int) -> dict:
    return {
        "text": f"Новинка! Фитнес-браслет ВитаПульс-{n} снижает давление за день, закажи у Марины, недорого",
        "author_id": f"p-{n}",
        "created_at": T0 + timedelta(hours=n),
    }


def _teach(db, site, verdicts: list[Verdict], label: str) -> int:
    for verdict in verdicts:
        record_spam_feedback(db, site_id=site.id, comment_id=verdict.comment_id, source="moderator", label=label)
    version = learn_site(db, site.id)
    db.commit()
    return version


def test_rejecting_a_new_spam_pattern_teaches_the_model_and_approving_false_positives_unteaches_it(decide, db, site):
    before = decide(_pattern(0))[0]
    version = _teach(db, site, decide(*[_pattern(n) for n in range(1, 6)]), "spam")
    after = decide(_pattern(6))[0]

    assert after.scores["spam"] > before.scores["spam"] + 0.05
    assert after.spam_model_version == version == 1 and before.spam_model_version is None

    _teach(db, site, decide(*[_pattern(n) for n in range(7, 17)]), "ham")
    unlearnt = decide(_pattern(17))[0]
    assert unlearnt.scores["spam"] < after.scores["spam"]
    assert unlearnt.spam_model_version == 2


def test_learning_twice_from_the_same_feedback_stores_no_new_version(decide, db, site):
    _teach(db, site, decide(_pattern(1)), "spam")
    assert learn_site(db, site.id) is None
    assert db.scalars(select(SpamModelVersion.version)).all() == [1]


def test_modctl_train_spam_retrains_from_all_feedback(decide, db, site, settings, monkeypatch, redis_client, redis_url):
    from services.modctl import cli
    from shared.settings import get_settings

    _teach(db, site, decide(*[_pattern(n) for n in range(3)]), "spam")
    assert redis_client.hlen(f"spam:known:{site.id}:sig") == 0  # _teach learns without the memory
    monkeypatch.setenv("MOD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOD_SPAM__REDIS_URL", redis_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["train-spam", "--site", site.name], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert "spam model version 2" in result.output
    assert redis_client.hlen(f"spam:known:{site.id}:sig") == 3  # every spam label remembered again
    db.expire_all()
    assert db.scalar(select(SpamModelVersion.examples).where(SpamModelVersion.version == 2)) == 3


def test_a_comment_scored_but_not_stored_sees_the_campaign_but_leaves_no_trace(db, site, spam, decide):
    from shared.models import Comment, Site

    site_row = db.get(Site, site.id)

    def unstored(n: int) -> dict[str, dict]:
        comment = Comment(
            site=site_row,
            site_id=site.id,
            text=CAMPAIGN,
            author_id="visitor",
            author_ip="203.0.113.9",
            created_at=T0 + timedelta(minutes=n),
        )  # transient, as Perspective's doNotStore makes it
        (result,) = spam.score(db, [comment], record=False)
        return {s.code: s.details for s in result.signals}

    assert "duplicate" not in unstored(1) and "duplicate" not in unstored(2)  # the first left nothing behind
    decide({"text": CAMPAIGN, "author_id": "u-1", "created_at": T0 + timedelta(minutes=3)})
    assert unstored(4)["duplicate"]["count"] == 1  # but a stored copy is seen
