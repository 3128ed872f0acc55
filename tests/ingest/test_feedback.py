"""POST /v1/comments/<id>/feedback: the site's spam / ham reports feed the spam learner."""

import json

from sqlalchemy import select

from shared.models import SpamFeedback
from tests.support.payloads import comment_body
from tests.support.sites import make_site


def learn_tasks(redis_client) -> list[str]:
    return [
        json.loads(raw)["headers"]["task"]
        for raw in redis_client.lrange("moderation", 0, -1)
        if json.loads(raw)["headers"]["task"] == "moderation.learn_spam"
    ]


def post_comment(client, site) -> int:
    return client.post("/v1/comments", json=comment_body(), headers=site.auth).json["id"]


def test_feedback_is_stored_and_queues_learning(client, site, db, redis_client):
    comment_id = post_comment(client, site)

    response = client.post(f"/v1/comments/{comment_id}/feedback", json={"label": "spam"}, headers=site.auth)

    assert response.status_code == 202
    assert response.json == {"comment_id": comment_id, "label": "spam", "recorded": True}
    assert db.execute(select(SpamFeedback.source, SpamFeedback.label)).all() == [("site", "spam")]
    assert learn_tasks(redis_client) == ["moderation.learn_spam"]


def test_repeated_feedback_is_idempotent_and_a_new_label_replaces_the_old(client, site, db, redis_client):
    comment_id = post_comment(client, site)
    url = f"/v1/comments/{comment_id}/feedback"

    client.post(url, json={"label": "spam"}, headers=site.auth)
    again = client.post(url, json={"label": "spam"}, headers=site.auth)
    changed = client.post(url, json={"label": "ham"}, headers=site.auth)

    assert again.json["recorded"] is False and changed.json["recorded"] is True
    assert db.scalars(select(SpamFeedback.label)).all() == ["ham"]
    assert len(learn_tasks(redis_client)) == 2


def test_feedback_needs_the_sites_key_and_its_own_comment(client, site, settings):
    comment_id = post_comment(client, site)
    other = make_site(settings.database_url, name="other")

    assert client.post(f"/v1/comments/{comment_id}/feedback", json={"label": "spam"}).status_code == 401
    assert (
        client.post(f"/v1/comments/{comment_id}/feedback", json={"label": "spam"}, headers=other.auth).status_code
        == 404
    )
    assert client.post("/v1/comments/999999/feedback", json={"label": "spam"}, headers=site.auth).status_code == 404


def test_a_bad_label_is_422_naming_the_field(client, site, db):
    comment_id = post_comment(client, site)

    response = client.post(f"/v1/comments/{comment_id}/feedback", json={"label": "maybe"}, headers=site.auth)

    assert response.status_code == 422
    assert response.json["details"][0]["field"] == "label"
    assert db.scalars(select(SpamFeedback)).all() == []
