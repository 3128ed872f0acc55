"""Hostile input found by a fault run: each answered 500; each must be a 4xx that says what is wrong."""

import json

import pytest

from tests.support.factories import make_comment
from tests.support.payloads import comment_body

ANALYZE = "/perspective/v1alpha1/comments:analyze"
BEYOND_BIGINT = 2**64


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [100, 20_000])
def test_deeply_nested_json_is_400(client, site, depth):
    response = client.post(
        "/v1/comments", data=nested(depth), headers={**site.auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json["error"] == "malformed_json"
    assert "nests deeper" in response.json["message"]


def test_deeply_nested_json_to_perspective_is_400(client, site):
    body = '{"comment": {"text": "hi"}, "context": ' + nested(20_000) + "}"
    response = client.post(ANALYZE, query_string={"key": site.api_key}, data=body, content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["status"] == "INVALID_ARGUMENT"


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("sessionId", '"s\\u0000"'),
        ("sessionId", '"\\ud800"'),
        ("communityId", '"c\\u0000"'),
        ("clientToken", '"\\udfff x"'),
        ("context", '{"entries": [{"type": "PLAIN_TEXT", "text": "a\\u0000b"}]}'),
        ("comment.type", '"PLAIN_TEXT\\u0000"'),
    ],
)
def test_nul_or_lone_surrogate_in_any_perspective_field_is_400(client, site, db, field, raw):
    body = {"comment": {"text": "Спасибо"}, "requestedAttributes": {"TOXICITY": {}}}
    if field == "comment.type":
        text = json.dumps(body).replace('"text"', f'"type": {raw}, "text"')
    else:
        text = json.dumps(body)[:-1] + f', "{field}": {raw}}}'

    response = client.post(ANALYZE, query_string={"key": site.api_key}, data=text, content_type="application/json")

    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"]["status"] == "INVALID_ARGUMENT"


def test_a_nul_in_the_queue_search_is_400(client, site):
    response = client.get("/v1/queue?q=%00", headers=site.auth)
    assert response.status_code == 400 and response.json["details"][0]["field"] == "q"


@pytest.mark.parametrize("value", ["²", "١٢", "1" * 40])
def test_per_page_that_is_not_plain_digits_in_range_is_400(client, site, value):
    response = client.get("/v1/queue", query_string={"per_page": value}, headers=site.auth)
    assert response.status_code == 400 and response.json["details"][0]["field"] == "per_page"


def test_a_ban_naming_a_comment_id_beyond_bigint_is_422(client, site):
    response = client.post("/v1/authors/troll/ban", headers=site.auth, json={"comment_id": BEYOND_BIGINT})
    assert response.status_code == 422 and response.json["details"][0]["field"] == "comment_id"


@pytest.mark.parametrize("author_id", ["a%00b", "x" * 10_000])
def test_an_api_ban_of_an_unstorable_author_id_is_4xx(client, site, author_id):
    response = client.post(f"/v1/authors/{author_id}/ban", headers=site.auth, json={})
    assert response.status_code in (404, 414, 422), response.get_data(as_text=True)[:300]


def test_an_ipv6_zone_id_longer_than_the_column_is_422(client, site):
    body = comment_body(author={"id": "u-1", "name": "X", "ip": "fe80::1%" + "z" * 60})
    response = client.post("/v1/comments", json=body, headers=site.auth)
    assert response.status_code == 422 and response.json["details"][0]["field"] == "author.ip"


def test_a_short_ipv6_zone_id_is_kept(client, site, db):
    body = comment_body(author={"id": "u-1", "name": "X", "ip": "fe80::1%eth0"})
    assert client.post("/v1/comments", json=body, headers=site.auth).status_code == 202


def test_queue_reads_survive_what_used_to_break_them(client, site, db):
    make_comment(db, site.id)
    assert client.get("/v1/queue", query_string={"queue": "all", "page": "²"}, headers=site.auth).status_code == 400
    assert client.get("/v1/queue", query_string={"queue": "all"}, headers=site.auth).status_code == 200
