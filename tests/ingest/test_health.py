"""What ops watch: liveness, readiness with its reasons, and Prometheus metrics."""

from services.web import create_app
from shared.celery_app import create_celery
from shared.heartbeats import beat
from shared.models import utcnow
from shared.settings import Settings
from tests.support.payloads import comment_body


def test_healthz_answers_while_the_process_is_up(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_checks_database_broker_and_a_live_moderation_worker(client, db):
    waiting = client.get("/readyz")
    assert waiting.status_code == 503
    assert waiting.json["checks"] == {
        "database": "ok",
        "broker": "ok",
        "moderation_worker": "no moderation worker is running (none has reported)",
    }

    beat(db, name="moderation@host", queue="moderation", pid=1, started_at=utcnow())
    db.commit()
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok", "broker": "ok", "moderation_worker": "ok"}


def test_readyz_is_503_and_says_why_when_the_broker_is_unreachable(settings):
    broken = Settings(database_url=settings.database_url, broker_url="redis://127.0.0.1:1/0")
    client = create_app(broken, create_celery(broken)).test_client()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["broker"].startswith("error")
    assert "127.0.0.1" not in response.get_data(as_text=True)  # hosts and ports stay in the log


def test_readyz_shows_no_database_address_when_the_database_is_unreachable(settings):
    broken = settings.model_copy(update={"database_url": "postgresql+psycopg://postgres@127.0.0.1:1/secretdb"})
    response = create_app(broken, create_celery(broken)).test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("error")
    assert "secretdb" not in response.get_data(as_text=True) and ":1" not in response.get_data(as_text=True)


def test_metrics_count_requests_accepted_comments_and_queue_depth(client, site):
    for n in range(3):
        client.post("/v1/comments", json=comment_body(external_id=f"m-{n}"), headers=site.auth)
    client.post("/v1/comments", json={}, headers=site.auth)

    text = client.get("/metrics").get_data(as_text=True)

    assert 'modsys_http_requests_total{method="POST",route="/v1/comments",status="202"}' in text
    assert 'modsys_http_requests_total{method="POST",route="/v1/comments",status="422"}' in text
    assert "modsys_http_request_duration_seconds_bucket" in text
    assert 'modsys_queue_depth{queue="moderation"} 3.0' in text
    assert 'modsys_queue_depth{queue="notify"} 0.0' in text
    assert "modsys_comments_accepted_total" in text
