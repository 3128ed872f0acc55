"""A database or Redis that is down answers 503 with Retry-After in the API's error shape, never a 500."""

import psycopg
import pytest

from services.web import create_app
from shared.celery_app import create_celery
from shared.settings import Settings, SpamSettings
from tests.conftest import ADMIN_URL
from tests.support.payloads import comment_body

CLOSED_PORT = "127.0.0.1:1"  # nothing listens there: connecting is refused at once


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.json["error"] == "service_unavailable" and response.json["message"]
    assert isinstance(response.json["details"], list)
    assert int(response.headers["Retry-After"]) > 0


def test_a_post_while_the_database_is_unreachable_is_503_with_retry_after(settings, site):
    down = settings.model_copy(update={"database_url": f"postgresql+psycopg://postgres@{CLOSED_PORT}/modsys"})
    client = create_app(down, create_celery(down)).test_client()

    assert_unavailable(client.post("/v1/comments", json=comment_body(), headers=site.auth))
    assert_unavailable(client.get("/v1/comments/1", headers=site.auth))


def test_connections_dropped_by_a_database_restart_are_503_not_500(settings, site, client):
    assert client.post("/v1/comments", json=comment_body(external_id="before"), headers=site.auth).status_code == 202
    # What a PostgreSQL restart does to the pool's open connections.
    database = settings.database_url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        )

    response = client.post("/v1/comments", json=comment_body(external_id="after"), headers=site.auth)

    assert response.status_code in (202, 503)  # the pool may notice before it hands the connection out
    if response.status_code == 503:
        assert_unavailable(response)
    assert client.post("/v1/comments", json=comment_body(external_id="later"), headers=site.auth).status_code == 202


@pytest.mark.parametrize("path", ["/perspective/v1alpha1/comments:analyze"])
def test_perspective_while_the_spam_counters_redis_is_down_is_503(settings, site, path):
    down = settings.model_copy(update={"spam": SpamSettings(redis_url=f"redis://{CLOSED_PORT}/0")})
    client = create_app(down, create_celery(down)).test_client()

    body = {"comment": {"text": "Спасибо за новость"}, "requestedAttributes": {"TOXICITY": {}}}
    response = client.post(path, query_string={"key": site.api_key}, json=body)

    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.json["error"]["status"] == "UNAVAILABLE"
    assert int(response.headers["Retry-After"]) > 0


def test_a_post_while_the_broker_is_down_is_still_accepted(settings, site):
    down = Settings(database_url=settings.database_url, broker_url=f"redis://{CLOSED_PORT}/0", site_cache_s=0)
    client = create_app(down, create_celery(down)).test_client()

    assert (
        client.post("/v1/comments", json=comment_body(), headers=site.auth).status_code == 202
    )  # the sweeper sends it
