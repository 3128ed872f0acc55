"""What the processes write to their logs: one access line per request, JSON on request, and never a
secret, even at DEBUG, where the HTTP libraries log every URL they call."""

import json
import re
import signal

import pytest
import requests

from notify.channel_admin import add_channel
from services.processes import web_command
from shared.models import Site
from shared.settings import NotifySettings
from tests.support.http_server import http_server
from tests.support.payloads import comment_body
from tests.support.processes import free_port, start, stop, wait_until
from tests.support.sites import make_site

pytestmark = pytest.mark.e2e
SECRET_KEY = "console-signing-secret-7f3a9c2e5b"  # MOD_SECRET_KEY: signs console sessions
SMTP_PASSWORD = "smtp-password-c81d44e0"
BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def logged(settings, worker_env, tmp_path):
    """The real web tier (gunicorn) and both workers at DEBUG, JSON lines, with secrets configured."""
    env = {
        **worker_env,
        "MOD_LOG_LEVEL": "DEBUG",
        "MOD_LOG_FORMAT": "json",
        "MOD_SECRET_KEY": SECRET_KEY,
        "MOD_NOTIFY__SMTP_PASSWORD": SMTP_PASSWORD,
        "MOD_PORT": str(free_port()),
        "MOD_WEB_WORKERS": "1",
        "MOD_WORKER_HEARTBEAT_S": "0.5",
    }
    return env, tmp_path


def test_no_key_secret_token_or_password_reaches_a_log_line(logged, settings, db, start_worker):
    env, tmp_path = logged
    with http_server(statuses=[500] * 20, bodies=[f'{{"description": "bot {BOT_TOKEN} refused"}}'.encode()] * 20) as (
        telegram,
        recorder,
    ):
        env["MOD_NOTIFY__TELEGRAM_API_BASE"] = telegram
        site = make_site(settings.database_url, name="luki", policy={"suspect_words": ["митинг"]})
        add_channel(
            db, db.get(Site, site.id), kind="telegram", target="-100123", secret=BOT_TOKEN, settings=NotifySettings()
        )
        db.commit()
        web_log = tmp_path / "web.log"
        web = start(web_command(), env, web_log)
        logs = [web_log]
        try:
            for queue, extra in (("moderation", ("--pool", "solo")), ("notify", ("--pool", "threads"))):
                logs.append(start_worker(queue, *extra, env=env)[1])
            base = f"http://127.0.0.1:{env['MOD_PORT']}"
            wait_until(lambda: _answers(f"{base}/healthz"), what="gunicorn", log=web_log)
            sent = _requests_carrying_the_key(base, site, request_id="trace-42")
            recorder.wait_for(1)  # the alert reached "Telegram", which failed it
            wait_until(lambda: "alert 1 failed" in logs[-1].read_text(), what="the failed alert logged", log=logs[-1])
        finally:
            stop(web, signal.SIGTERM)

    everything = "\n".join(log.read_text(errors="replace") for log in logs)
    for secret in (
        site.api_key,
        site.signing_secret,
        SECRET_KEY,
        SMTP_PASSWORD,
        BOT_TOKEN,
        "mk_not-a-key-of-any-site-000",
    ):
        assert secret not in everything
    assert "/bot***/sendMessage" in everything  # the HTTP client's debug line was written, token masked

    access = [line for line in map(json.loads, _json_lines(web_log)) if line["logger"] == "modsys.access"]
    posted = next(line for line in access if line["request_id"] == "trace-42")
    assert {k: posted[k] for k in ("method", "route", "status", "site")} == {
        "method": "POST",
        "route": "/v1/comments",
        "status": 202,
        "site": "luki",
    }
    assert posted["duration_ms"] > 0 and posted["level"] == "INFO" and "time" in posted
    assert len(access) >= sent  # one line per request
    assert {line["route"] for line in access} >= {"/perspective/v1alpha1/comments:analyze", "/akismet/1.1/verify-key"}


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.ConnectionError:
        return False


def _requests_carrying_the_key(base: str, site, request_id: str) -> int:
    """The key in every way a client sends it: a header, a query string, a form; and a wrong key."""
    held = comment_body(text="Завтра митинг у администрации")
    posted = requests.post(
        f"{base}/v1/comments", json=held, headers={**site.auth, "X-Request-ID": request_id}, timeout=5
    )
    assert posted.status_code == 202 and posted.headers["X-Request-ID"] == request_id
    analyze = {"comment": {"text": "Спасибо"}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True}
    assert requests.post(f"{base}/perspective/v1alpha1/comments:analyze?key={site.api_key}", json=analyze, timeout=5).ok
    akismet = {"key": site.api_key, "blog": "https://luki.ru"}
    assert requests.post(f"{base}/akismet/1.1/verify-key", data=akismet, timeout=5).text == "valid"
    wrong = {"Authorization": "Bearer mk_not-a-key-of-any-site-000"}
    assert requests.get(f"{base}/v1/comments/1", headers=wrong, timeout=5).status_code == 401
    return 4


def _json_lines(log) -> list[str]:
    """The lines the service wrote (every one JSON); a dependency's print would show up as not JSON."""
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    not_json = [line for line in lines if not re.match(r"\s*\{", line)]
    assert not not_json, f"not JSON: {not_json[:3]}"
    return lines
