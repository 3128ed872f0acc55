"""What a web process remembers about a site for `site_cache_s`: its key, policy, domain rules.

The compatible APIs score in the request; reading these on every request was most of their cost.
A change made meanwhile (by modctl, the console, the learning worker) takes effect within
site_cache_s, and not a request later than that.
"""

import time

import pytest
from sqlalchemy import select

from ingest.sites import set_domain_rules
from services.web import create_app
from shared.celery_app import create_celery
from shared.models import Site, Verdict
from shared.site_lifecycle import rotate_api_key
from tests.compat.test_perspective import analyze

CACHE_S = 0.5
LINK = "Подробности тут: https://lucky-win.example/promo"


@pytest.fixture
def cached(settings):
    remembering = settings.model_copy(update={"site_cache_s": CACHE_S})
    return create_app(remembering, create_celery(remembering)).test_client()


def _expire() -> None:
    time.sleep(CACHE_S + 0.1)


def _stored_decision(client, db, site, text: str) -> str:
    response = analyze(client, site, {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
    assert response.status_code == 200, response.json
    db.expire_all()
    return db.scalars(select(Verdict.decision).order_by(Verdict.id.desc())).first()


def _spam(client, site, text: str) -> float:
    response = analyze(
        client, site, {"comment": {"text": text}, "doNotStore": True, "requestedAttributes": {"SPAM": {}}}
    )
    assert response.status_code == 200, response.json
    return response.json["attributeScores"]["SPAM"]["summaryScore"]["value"]


def test_a_new_banned_word_applies_to_stored_comments_once_the_cache_time_has_passed(cached, db, site):
    text = "Арбуз на рынке опять подорожал"
    assert _stored_decision(cached, db, site, text) == "approve"

    db.get(Site, site.id).policy = {"banned_words": ["арбуз"]}
    db.commit()

    assert (
        _stored_decision(cached, db, site, text) == "approve"
    )  # the remembered policy, the site merged without a query
    _expire()
    assert _stored_decision(cached, db, site, text) == "reject"


def test_a_newly_blocked_domain_raises_the_spam_score_once_the_cache_time_has_passed(cached, db, site):
    before = _spam(cached, site, LINK)

    set_domain_rules(db, db.get(Site, site.id), "block", ["lucky-win.example"])
    db.commit()

    assert _spam(cached, site, LINK) == before
    _expire()
    assert _spam(cached, site, LINK) > before + 0.3


def test_a_key_rotated_without_grace_retires_the_old_one_within_the_cache_time(cached, db, site):
    body = {"comment": {"text": "Спасибо"}, "doNotStore": True, "requestedAttributes": {"TOXICITY": {}}}
    assert analyze(cached, site, body).status_code == 200

    rotate_api_key(db, db.get(Site, site.id), grace_s=0, actor="test")
    db.commit()

    assert analyze(cached, site, body).status_code == 200
    _expire()
    refused = analyze(cached, site, body)
    assert (
        refused.status_code == 400 and refused.json["error"]["status"] == "INVALID_ARGUMENT"
    )  # Google's "API key not valid"


def test_a_remembered_key_posts_comments_to_its_site_and_a_disabled_site_is_refused_after_the_cache_time(
    cached, db, site
):
    from shared.models import Comment, utcnow
    from tests.support.payloads import comment_body

    first = cached.post("/v1/comments", json=comment_body(external_id="c-1"), headers=site.auth)
    second = cached.post("/v1/comments", json=comment_body(external_id="c-2"), headers=site.auth)  # remembered
    assert first.status_code == second.status_code == 202
    assert db.get(Comment, second.json["id"]).site_id == site.id

    db.get(Site, site.id).disabled_at = utcnow()
    db.commit()
    _expire()

    refused = cached.post("/v1/comments", json=comment_body(external_id="c-3"), headers=site.auth)
    assert refused.status_code == 403 and refused.json["error"] == "site_disabled"
    remembered_disabled = cached.post("/v1/comments", json=comment_body(external_id="c-4"), headers=site.auth)
    assert remembered_disabled.status_code == 403  # the disabled site is remembered too, and still refused
