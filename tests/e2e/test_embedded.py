"""`make run`'s process (`modctl run`) on the embedded default: SQLite, SQLite broker, no servers."""

import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.support.payloads import comment_body
from tests.support.processes import BIN, free_port, log_contains, service_env, start, stop, wait_until

pytestmark = pytest.mark.e2e
KEY = "mk_embedded_demo_key"


def run_embedded(tmp_path: Path, port: int, run: int) -> tuple[subprocess.Popen[bytes], Path]:
    log = tmp_path / f"run-{run}.log"
    env = service_env(MOD_PORT=str(port), MOD_DEMO_SITE_KEY=KEY, MOD_WEB_WORKERS="1")
    process = start([str(BIN / "modctl"), "run"], env, log, cwd=tmp_path)
    wait_until(log_contains(log, "Ctrl-C stops everything"), timeout_s=90, what="modctl run to come up", log=log)
    return process, log


def decided(base: str, comment_id: int) -> dict | None:
    body = requests.get(
        f"{base}/v1/comments/{comment_id}", headers={"Authorization": f"Bearer {KEY}"}, timeout=5
    ).json()
    return body if body["status"] != "pending" else None


def test_make_run_moderates_on_sqlite_stops_on_ctrl_c_and_keeps_its_data(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {KEY}"}
    process, log = run_embedded(tmp_path, port, 1)
    try:
        assert KEY in log.read_text() and f"curl -s -X POST {base}/v1/comments" in log.read_text()
        clean = requests.post(
            f"{base}/v1/comments", json=comment_body("e-1", "Хорошая статья, спасибо"), headers=auth, timeout=5
        )
        abusive = requests.post(
            f"{base}/v1/comments", json=comment_body("e-2", "Заткнись, тупая мразь, пиздец"), headers=auth, timeout=5
        )
        assert clean.status_code == abusive.status_code == 202

        assert (
            wait_until(lambda: decided(base, clean.json()["id"]), what="clean verdict", log=log)["status"] == "approved"
        )
        assert wait_until(lambda: decided(base, abusive.json()["id"]), what="abusive verdict", log=log)["status"] in (
            "review",
            "rejected",
        )

        # gunicorn workers' counters are added up, and the SQLite broker's queues are measured.
        metrics = requests.get(f"{base}/metrics", timeout=5).text
        assert 'modsys_http_requests_total{method="POST",route="/v1/comments",status="202"} 2.0' in metrics
        assert 'modsys_queue_depth{queue="moderation"} 0.0' in metrics
        ready = requests.get(f"{base}/readyz", timeout=5)
        assert ready.status_code == 200  # the workers modctl run started report their heartbeats
        assert ready.json()["checks"] == {"database": "ok", "broker": "ok", "moderation_worker": "ok"}
    finally:
        # Ctrl-C in a terminal reaches the whole foreground process group.
        exit_code = stop(process, signal.SIGINT, timeout_s=30)
    assert exit_code == 0, log.read_text()[-3000:]
    assert (tmp_path / "var" / "modsys.db").exists()

    process, log = run_embedded(tmp_path, port, 2)
    try:
        again = requests.get(f"{base}/v1/comments/{clean.json()['id']}", headers=auth, timeout=5).json()
        assert again["status"] == "approved"
    finally:
        stop(process, signal.SIGINT, timeout_s=30)
