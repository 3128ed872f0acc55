"""Every refusal has the right status and one JSON shape, and stores nothing."""

import json

import pytest
from sqlalchemy import func, select

from shared.models import Comment, CommentVersion
from tests.support.payloads import comment_body


@pytest.fixture(autouse=True)
def nothing_stored_on_error(request, db):
    """Every test here ends with no comment stored (they all send bad requests)."""
    yield
    if "keeps_rows" not in request.keywords:
        assert db.scalar(select(func.count()).select_from(Comment)) == 0
        assert db.scalar(select(func.count()).select_from(CommentVersion)) == 0


def assert_error(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert body["error"] == error
    assert body["message"]
    assert isinstance(body["details"], list)
    return body


def test_malformed_json_is_400(client, site):
    response = client.post(
        "/v1/comments", data='{"external_id": "c-1",', headers={**site.auth, "Content-Type": "application/json"}
    )
    assert_error(response, 400, "malformed_json")


def test_missing_key_is_401(client, site):
    assert_error(client.post("/v1/comments", json=comment_body()), 401, "unauthorized")


def test_wrong_key_is_401(client, site):
    response = client.post("/v1/comments", json=comment_body(), headers={"Authorization": "Bearer mk_wrong"})
    assert_error(response, 401, "unauthorized")


def test_unknown_comment_is_404(client, site):
    assert_error(client.get("/v1/comments/999999", headers=site.auth), 404, "not_found")


def test_unknown_route_is_404_in_the_same_shape(client):
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")


@pytest.mark.keeps_rows
@pytest.mark.parametrize(
    "field, value",
    [("article", {"id": "a-other", "url": "https://luki.ru/news/2"}), ("author", {"id": "u-other", "name": "Другой"})],
)
def test_reused_external_id_under_another_article_or_author_is_409(client, site, db, field, value):
    client.post("/v1/comments", json=comment_body(text="Оригинал"), headers=site.auth)

    response = client.post("/v1/comments", json=comment_body(text="Подмена", **{field: value}), headers=site.auth)

    body = assert_error(response, 409, "conflict")
    assert body["details"][0]["field"] == f"{field}.id"
    assert db.scalars(select(Comment.text)).all() == ["Оригинал"]
    assert db.scalar(select(Comment.version)) == 1


def test_body_over_the_limit_is_413(client, site):
    body = comment_body(text="а" * 70_000)  # about 140 KB of UTF-8, over the 64 KiB default
    assert_error(client.post("/v1/comments", json=body, headers=site.auth), 413, "request_entity_too_large")


def test_not_json_is_415(client, site):
    response = client.post(
        "/v1/comments", data="text=hello", headers={**site.auth, "Content-Type": "application/x-www-form-urlencoded"}
    )
    assert_error(response, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"text": "   "}, "text"),
        ({"text": "б" * 10_001}, "text"),
        ({"article": {"id": "a-1", "url": "not a url"}}, "article.url"),
        ({"author": {"id": "u-1", "name": "X", "ip": "999.1.1.1"}}, "author.ip"),
        ({"external_id": ""}, "external_id"),
        ({"surprise": 1}, "surprise"),
        ({"author": {"id": "u-1", "name": "X", "karma": 5}}, "author.karma"),
        ({"posted_at": "yesterday"}, "posted_at"),
        # Year 10000 in UTC: PostgreSQL keeps it, Python cannot read it back (every read of the row failed).
        ({"posted_at": "9999-12-31T23:59:59-14:00"}, "posted_at"),
        ({"posted_at": "0001-01-01T00:00:00+14:00"}, "posted_at"),
        ({"author": {"id": "u-1", "name": "X", "registered_at": "9999-12-31T23:59:59-14:00"}}, "author.registered_at"),
        ({"author": {"id": "u-1", "name": "X", "registered_at": "0001-01-01T00:00:00+14:00"}}, "author.registered_at"),
    ],
)
def test_invalid_fields_are_422_with_the_field_named(client, site, overrides, field):
    response = client.post("/v1/comments", json=comment_body(**overrides), headers=site.auth)

    body = assert_error(response, 422, "validation_failed")
    assert field in [detail["field"] for detail in body["details"]]
    assert all(detail["reason"] for detail in body["details"])


def test_missing_required_fields_are_all_listed(client, site):
    response = client.post("/v1/comments", json={"text": "Привет"}, headers=site.auth)

    body = assert_error(response, 422, "validation_failed")
    assert {"external_id", "article", "author"} <= {detail["field"] for detail in body["details"]}


def test_a_json_array_is_422_not_a_crash(client, site):
    assert_error(client.post("/v1/comments", json=[1, 2], headers=site.auth), 422, "validation_failed")


@pytest.mark.parametrize(
    ("raw_text", "reason"),
    [
        ('"a\\u0000b"', "must not contain NUL characters"),
        ('"\\ud83d alone"', "lone surrogate"),
    ],
)
def test_text_no_database_can_keep_is_a_422_naming_the_field(client, site, raw_text, reason):
    body = comment_body()
    body["author"]["name"] = "__NAME__"
    raw = json.dumps(body).replace('"__NAME__"', raw_text)

    response = client.post("/v1/comments", data=raw, headers={**site.auth, "Content-Type": "application/json"})

    details = assert_error(response, 422, "validation_failed")["details"]
    assert details[0]["field"] == "author.name" and reason in details[0]["reason"]


@pytest.mark.parametrize(("field", "value"), [("posted_at", 1731661200), ("author.ip", 3232235777)])
def test_numbers_where_text_is_documented_are_refused(client, site, field, value):
    body = comment_body()
    if field == "author.ip":
        body["author"]["ip"] = value
    else:
        body[field] = value

    details = assert_error(client.post("/v1/comments", json=body, headers=site.auth), 422, "validation_failed")[
        "details"
    ]
    assert details[0]["field"] == field


def test_an_id_beyond_any_row_is_a_404_not_a_database_error(client, site):
    assert_error(client.get(f"/v1/comments/{2**63}", headers=site.auth), 404, "not_found")


def test_a_wrong_method_is_a_405_that_says_which_are_allowed(client, site):
    response = client.delete("/v1/comments", headers=site.auth)
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]
