"""What the on-call sees, with real workers: readiness that follows the workers' heartbeats, and
metrics with the values a scripted run must leave."""

import re
import signal
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from notify.channel_admin import add_channel
from services.web import create_app
from shared.celery_app import create_celery
from shared.models import Comment, Notification, Site, Verdict
from shared.settings import NotifySettings
from tests.support.http_server import http_server
from tests.support.payloads import comment_body
from tests.support.processes import free_port, wait_until
from tests.support.sites import make_site

pytestmark = pytest.mark.e2e
OPS = Path(__file__).resolve().parents[2] / "ops"


def test_readyz_fails_when_the_moderation_worker_stops_heartbeating_and_recovers_when_it_returns(
    settings, worker_env, start_worker
):
    client = create_app(settings.model_copy(update={"worker_stale_s": 2.0})).test_client()
    worker_env["MOD_WORKER_HEARTBEAT_S"] = "0.3"
    process, _ = start_worker("moderation", "--pool", "solo")
    wait_until(lambda: client.get("/readyz").status_code == 200, what="ready with a live worker")

    process.send_signal(signal.SIGSTOP)  # hung, not gone: no clean goodbye
    try:
        stalled = wait_until(
            lambda: (r := client.get("/readyz")).status_code == 503 and r, timeout_s=10, what="not ready"
        )
        assert stalled.json["status"] == "not_ready"
        assert re.fullmatch(
            r"no moderation worker seen for \d+ s \(MOD_WORKER_STALE_S is 2\)",
            stalled.json["checks"]["moderation_worker"],
        )
    finally:
        process.send_signal(signal.SIGCONT)
    wait_until(lambda: client.get("/readyz").status_code == 200, timeout_s=10, what="ready again")


def parse_metrics(text: str) -> dict[str, float]:
    """A /metrics page as {series: value}, series written as in the page (name{labels})."""
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    }


def _comments() -> list[tuple[str, str]]:
    clean = [(f"ok-{n}", f"Спасибо за новость номер {n}, очень интересно") for n in range(6)]
    rude = [(f"bad-{n}", f"Заткнись, тупая мразь номер {n}") for n in range(3)]
    held = [  # a suspect word; unlike texts, so the duplicate signal stays out of it
        ("hold-0", "Завтра митинг у администрации, приходите"),
        ("hold-1", "Говорят, в субботу будет митинг на площади"),
    ]
    return clean + rude + held


SITE_REJECTS = 'modsys_verdicts_total{decided_by="site",decision="reject"}'


def test_metrics_after_a_scripted_run(settings, db, worker_env, start_worker):
    worker_port, notify_port = free_port(), free_port()
    with http_server(statuses=[410]) as (url, receiver):  # the first callback is refused for good
        site = make_site(
            settings.database_url, name="luki", callback_url=f"{url}/hooks", policy={"suspect_words": ["митинг"]}
        )
        nobody = f"http://127.0.0.1:{free_port()}/alerts"  # the moderators' webhook is down
        add_channel(
            db,
            db.get(Site, site.id),
            kind="webhook",
            target=nobody,
            events=("review", "reject"),
            settings=NotifySettings(),
        )
        db.commit()
        start_worker("moderation", "--concurrency", "2", env={"MOD_WORKER_METRICS_PORT": str(worker_port)})
        start_worker(
            "notify", "--pool", "threads", "--concurrency", "2", env={"MOD_WORKER_METRICS_PORT": str(notify_port)}
        )
        client = create_app(settings, create_celery(settings)).test_client()
        # The web app runs in this test process, whose counters earlier tests' in-process apps moved too.
        site_rejects_before = _scrape_web(client).get(SITE_REJECTS, 0.0)
        ids = [
            client.post("/v1/comments", json=comment_body(e, t), headers=site.auth).json["id"] for e, t in _comments()
        ]
        verdicts = wait_until(
            lambda: rows if len(rows := _verdicts(db)) == len(ids) else None, timeout_s=60, what="all verdicts"
        )
        decided = client.post(
            f"/v1/comments/{ids[0]}/decision", json={"decision": "reject", "reason": "spam"}, headers=site.auth
        )
        assert decided.status_code == 200
        receiver.wait_for(len(ids) + 1)
        wait_until(lambda: _settled(db), what="every callback settled")
        # The reject for spam teaches the site's spam model (in the moderation worker), and the
        # alert about the held comments fails on the dead webhook.
        awaited = ('modsys_spam_model_version{site="luki"}', 'modsys_alert_channel_failing{channel="1",kind="webhook"}')
        web = wait_until(
            lambda: m if all(k in (m := _scrape_web(client)) for k in awaited) else None,
            what="a spam model version and a failed alert",
            timeout_s=60,
        )

        moderation = parse_metrics(requests.get(f"http://127.0.0.1:{worker_port}/metrics", timeout=5).text)
        notify = parse_metrics(requests.get(f"http://127.0.0.1:{notify_port}/metrics", timeout=5).text)

    by_decision = Counter(verdicts)
    for decision in ("approve", "review", "reject"):
        series = f'modsys_verdicts_total{{decided_by="auto",decision="{decision}"}}'
        assert moderation.get(series, 0.0) == by_decision[decision]
    assert web[SITE_REJECTS] - site_rejects_before == 1.0
    assert moderation["modsys_verdict_latency_seconds_count"] == len(ids)
    assert 0 < moderation["modsys_verdict_latency_seconds_sum"] < 60 * len(ids)
    assert moderation["modsys_scoring_batch_comments_sum"] == len(ids)  # batches of any size, every comment once
    assert moderation["modsys_scoring_batch_seconds_count"] == moderation["modsys_scoring_batch_comments_count"]
    assert notify['modsys_notification_tries_total{kind="site_callback",outcome="dead"}'] == 1.0
    assert notify['modsys_notification_tries_total{kind="site_callback",outcome="delivered"}'] == len(ids)

    held = by_decision["review"] - (1 if verdicts[0] == "review" else 0)  # the first was rejected since
    assert held >= 1
    assert web.get('modsys_review_backlog_comments{queue="review",site="luki"}', 0.0) == held
    assert web['modsys_undelivered_notifications{kind="site_callback",status="dead"}'] == 1.0
    assert web['modsys_workers{queue="moderation"}'] == 1.0
    assert web['modsys_workers{queue="notify"}'] == 1.0
    assert web['modsys_worker_last_seen_seconds{queue="moderation"}'] < 30
    (model,) = [series for series in web if series.startswith("modsys_model_info{")]
    assert web[model] == 1.0 and 'model="embedded' in model
    assert web['modsys_spam_model_version{site="luki"}'] == 1.0
    assert web['modsys_alert_channel_failing{channel="1",kind="webhook"}'] == 1.0
    assert notify['modsys_notification_tries_total{kind="moderator_alert",outcome="retried"}'] >= 1

    exported = {re.sub(r"\{.*", "", series) for source in (web, moderation, notify) for series in source}
    exported |= {name.removesuffix("_bucket") for name in exported}  # a histogram named by its base name
    used = set()
    for path in [*OPS.glob("grafana/*.json"), OPS / "prometheus" / "alerts.yml"]:
        used |= set(re.findall(r"\bmodsys_[a-z0-9_]+", path.read_text()))
    missing = used - exported
    assert used and not missing, f"the dashboard or alert rules use metrics nobody exports: {sorted(missing)}"


def _verdicts(db) -> list[str]:
    db.expire_all()
    db.commit()
    return list(db.scalars(select(Verdict.decision).join(Comment).order_by(Comment.id)))


def _scrape_web(client) -> dict[str, float]:
    return parse_metrics(client.get("/metrics").get_data(as_text=True))


def _settled(db) -> bool:
    """Every site callback delivered or dead (the alerts to the dead webhook go on retrying)."""
    db.expire_all()
    db.commit()
    pending = select(Notification.id).where(Notification.status == "pending", Notification.kind == "site_callback")
    return db.scalar(pending.limit(1)) is None
