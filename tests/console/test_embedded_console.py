"""`modctl run` (SQLite, no servers) prints the console's URL and demo login, and the console works on SQLite."""

import re
import signal
from pathlib import Path

import pytest
import requests

from tests.support.payloads import comment_body
from tests.support.processes import BIN, free_port, log_contains, service_env, start, stop, wait_until

pytestmark = pytest.mark.e2e
KEY = "mk_embedded_console_key"
PASSWORD = "demo password 123"


def token(session: requests.Session, url: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', session.get(url, timeout=5).text).group(1)


def test_the_demo_admin_logs_in_and_decides_a_comment_on_sqlite(tmp_path: Path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = service_env(
        MOD_PORT=str(port), MOD_DEMO_SITE_KEY=KEY, MOD_WEB_WORKERS="1", MOD_DEMO_MODERATOR_PASSWORD=PASSWORD
    )
    log = tmp_path / "run.log"
    process = start([str(BIN / "modctl"), "run"], env, log, cwd=tmp_path)
    try:
        wait_until(log_contains(log, "Ctrl-C stops everything"), timeout_s=90, what="modctl run", log=log)
        assert f"{base}/console/" in log.read_text() and "user: demo" in log.read_text() and PASSWORD in log.read_text()
        posted = requests.post(
            f"{base}/v1/comments",
            json=comment_body("e-1", "Заткнись, тупая мразь"),
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=5,
        ).json()["id"]
        browser = requests.Session()
        browser.post(
            f"{base}/console/login",
            timeout=5,
            data={"username": "demo", "password": PASSWORD, "csrf_token": token(browser, f"{base}/console/login")},
        )

        page = wait_until(
            lambda: (
                (p := browser.get(f"{base}/console/queue?queue=all", timeout=5).text)
                and f'id="comment-{posted}"' in p
                and "оценивается" not in p
                and p
            ),
            what="the scored comment in the console",
            log=log,
        )
        assert "<mark" in page  # the matched words, highlighted
        browser.post(
            f"{base}/console/comments/{posted}/decide",
            timeout=5,
            data={"decision": "approve", "csrf_token": token(browser, f"{base}/console/queue")},
        )

        decided = requests.get(f"{base}/v1/comments/{posted}", headers={"Authorization": f"Bearer {KEY}"}, timeout=5)
        assert decided.json()["status"] == "approved"
        assert "moderator:demo" in browser.get(f"{base}/console/comments/{posted}", timeout=5).text
    finally:
        stop(process, signal.SIGINT, timeout_s=30)
