"""POST /v1/comments: accepted at once, stored, queued; retries and edits behave."""

import base64
import json
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from shared.models import Comment, CommentVersion
from tests.support.payloads import comment_body


def queued_scoring_tasks(redis_client) -> list[list]:
    """The args of every score_comment message waiting in the real Redis queue."""
    messages = [json.loads(raw) for raw in reversed(redis_client.lrange("moderation", 0, -1))]
    return [
        json.loads(base64.b64decode(m["body"]))[0]
        for m in messages
        if m["headers"]["task"] == "moderation.score_comment"
    ]


def test_accepts_a_comment_with_202_id_and_location(client, site, db, redis_client):
    response = client.post("/v1/comments", json=comment_body(), headers=site.auth)

    assert response.status_code == 202
    assert response.json["status"] == "pending"
    comment_id = response.json["id"]
    assert response.headers["Location"] == f"/v1/comments/{comment_id}"
    stored = db.get(Comment, comment_id)
    assert stored.text == "Спасибо за новость, очень интересно!"
    assert stored.author_name == "Сизов Вячеслав" and stored.article_url == "https://luki.ru/news/1001"
    assert queued_scoring_tasks(redis_client) == [[comment_id]]


def test_status_is_pending_until_a_worker_decides(client, site):
    comment_id = client.post("/v1/comments", json=comment_body(), headers=site.auth).json["id"]

    response = client.get(f"/v1/comments/{comment_id}", headers=site.auth)

    assert response.status_code == 200
    assert response.json["status"] == "pending"
    assert response.json["verdict"] is None
    assert response.json["external_id"] == "c-1"


def test_the_same_post_twice_makes_one_comment(client, site, db, redis_client):
    first = client.post("/v1/comments", json=comment_body(), headers=site.auth)
    second = client.post("/v1/comments", json=comment_body(), headers=site.auth)

    assert second.status_code == 202
    assert first.json["id"] == second.json["id"]
    assert db.scalar(select(func.count()).select_from(Comment)) == 1
    assert len(queued_scoring_tasks(redis_client)) == 1


def test_concurrent_identical_posts_make_one_comment(app, site, db):
    def post(_: int) -> int:
        return app.test_client().post("/v1/comments", json=comment_body(), headers=site.auth).json["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(post, range(16)))

    assert len(ids) == 1
    assert db.scalar(select(func.count()).select_from(Comment)) == 1
    assert db.scalar(select(func.count()).select_from(CommentVersion)) == 1


def test_new_text_for_the_same_external_id_is_a_new_version(client, site, db, redis_client):
    first = client.post("/v1/comments", json=comment_body(text="Первый вариант"), headers=site.auth).json
    edit = client.post("/v1/comments", json=comment_body(text="Исправленный вариант"), headers=site.auth)

    assert edit.status_code == 202
    assert edit.json["id"] == first["id"] and edit.json["version"] == 2
    versions = db.scalars(select(CommentVersion.text).order_by(CommentVersion.version)).all()
    assert versions == ["Первый вариант", "Исправленный вариант"]
    assert queued_scoring_tasks(redis_client) == [[first["id"]], [first["id"]]]


def test_concurrent_edits_each_become_a_version(app, site, db):
    app.test_client().post("/v1/comments", json=comment_body(text="v1"), headers=site.auth)

    def edit(n: int) -> int:
        return (
            app.test_client().post("/v1/comments", json=comment_body(text=f"edit {n}"), headers=site.auth).status_code
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(edit, range(4)))

    assert statuses == [202] * 4
    assert db.scalar(select(Comment.version)) == 5
    assert sorted(db.scalars(select(CommentVersion.version))) == [1, 2, 3, 4, 5]


def test_sites_do_not_share_external_ids_or_comments(client, site, settings):
    from tests.support.sites import make_site

    other = make_site(settings.database_url, name="other")
    ours = client.post("/v1/comments", json=comment_body(), headers=site.auth).json["id"]
    theirs = client.post("/v1/comments", json=comment_body(), headers=other.auth).json["id"]

    assert ours != theirs
    assert client.get(f"/v1/comments/{ours}", headers=other.auth).status_code == 404


def test_a_broker_that_is_down_leaves_the_comment_stored_and_pending_for_the_sweeper(settings, site, db):
    from services.web import create_app
    from shared.celery_app import create_celery

    down = settings.model_copy(update={"broker_url": "redis://127.0.0.1:1/0"})  # nothing listens there
    app = create_app(down, create_celery(down))

    response = app.test_client().post("/v1/comments", json=comment_body(), headers=site.auth)

    assert response.status_code == 202
    assert db.get(Comment, response.json["id"]).status == "pending"
