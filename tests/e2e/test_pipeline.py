"""Comment in, verdict out, site called back: real workers, PostgreSQL, Redis and HTTP."""

import pytest

from notify.signing import verify
from tests.support.http_server import http_server
from tests.support.payloads import comment_body
from tests.support.processes import wait_until
from tests.support.sites import make_site

pytestmark = pytest.mark.e2e

COMMENTS = {
    "ru-clean": "Спасибо за статью, очень интересно, что кластер так быстро защитил два проекта.",
    "ru-abusive": "Ты тупой урод, заткнись уже, хyйлo",
    "en-clean": "Thanks for the article, the new park looks great.",
    "en-abusive": "You are a fucking idiot, shut up",
}


def decided(client, site, comment_id: int) -> dict | None:
    body = client.get(f"/v1/comments/{comment_id}", headers=site.auth).json
    return body if body["status"] != "pending" else None


def test_each_comment_gets_a_verdict_and_the_site_a_signed_callback(client, settings, pipeline):
    with http_server() as (url, recorder):
        site = make_site(settings.database_url, name="luki", callback_url=f"{url}/moderation")
        ids = {
            key: client.post("/v1/comments", json=comment_body(key, text), headers=site.auth).json["id"]
            for key, text in COMMENTS.items()
        }

        results = {
            key: wait_until(lambda i=i: decided(client, site, i), what=f"verdict for {key}") for key, i in ids.items()
        }
        callbacks = recorder.wait_for(len(COMMENTS))

    assert results["ru-clean"]["status"] == "approved"
    assert results["en-clean"]["status"] == "approved"
    assert results["ru-abusive"]["status"] in ("review", "rejected")
    assert results["en-abusive"]["status"] in ("review", "rejected")
    abusive = results["ru-abusive"]["verdict"]
    assert abusive["decided_by"] == "auto" and abusive["model"]["name"]
    assert abusive["scores"]["toxicity"] > 0.5
    assert 0 <= abusive["scores"]["spam"] < 0.5 and abusive["spam_model_version"] is None
    assert any(r["code"] == "category_threshold" for r in abusive["reasons"])
    matched = [w["word"] for r in abusive["reasons"] if r["code"] == "matched_words" for w in r["words"]]
    assert "хyйлo" in matched  # as written, Latin look-alikes included

    for request in callbacks:
        assert verify(site.signing_secret, request.headers, request.body)
    by_id = {request.json()["comment_id"]: request.json() for request in callbacks}
    assert set(by_id) == set(ids.values())
    for key, comment_id in ids.items():
        assert by_id[comment_id]["status"] == results[key]["status"]
        assert by_id[comment_id]["external_id"] == key


def test_an_edit_is_moderated_again(client, site, pipeline):
    first = client.post("/v1/comments", json=comment_body("c-9", "Отличная новость!"), headers=site.auth).json["id"]
    wait_until(lambda: decided(client, site, first), what="first verdict")

    client.post("/v1/comments", json=comment_body("c-9", "Автор статьи тупой дебил и мразь"), headers=site.auth)
    result = wait_until(
        lambda: (d := decided(client, site, first)) and d["version"] == 2 and d, what="verdict on the edit"
    )

    assert result["status"] in ("review", "rejected")
    assert result["verdict"]["version"] == 2


def test_a_site_that_fails_first_gets_the_callback_on_retry(client, settings, pipeline):
    with http_server(statuses=[503, 500]) as (url, recorder):
        site = make_site(settings.database_url, name="flaky", callback_url=url)
        client.post("/v1/comments", json=comment_body("c-1", "Хорошая новость"), headers=site.auth)

        requests = recorder.wait_for(3)

    assert len({request.headers["X-Modsys-Delivery"] for request in requests}) == 1


def test_site_feedback_teaches_the_sites_spam_model_in_the_worker(client, site, db, pipeline):
    from sqlalchemy import select

    from shared.models import SpamModelVersion

    comment_id = client.post(
        "/v1/comments", json=comment_body("s-1", "Займ без отказа, пиши @dengi_bystro"), headers=site.auth
    ).json["id"]
    wait_until(lambda: decided(client, site, comment_id), what="verdict")

    response = client.post(f"/v1/comments/{comment_id}/feedback", json={"label": "spam"}, headers=site.auth)

    assert response.status_code == 202
    version = wait_until(lambda: db.commit() or db.scalar(select(SpamModelVersion.version)), what="a learnt spam model")
    assert version == 1
    assert db.scalar(select(SpamModelVersion.examples)) == 1
