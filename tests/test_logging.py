"""Log lines say which request or task they come from."""

import io
import json
import logging

import pytest
from celery import Celery

from shared.logging import WorkContext, configure_logging
from shared.settings import Settings


def record() -> logging.LogRecord:
    made = logging.LogRecord("test", logging.INFO, __file__, 1, "hello", None, None)
    WorkContext().filter(made)
    return made


def test_a_line_written_during_a_request_names_it(app):
    with app.test_request_context("/v1/comments/7", method="GET"):
        assert record().context == "GET /v1/comments/7"


def test_a_line_written_by_a_task_names_it_with_its_id():
    celery = Celery("t", set_as_current=False)
    seen = []

    @celery.task(name="moderation.example")
    def example() -> None:
        seen.append(record().context)

    example.apply(task_id="abc-123")
    assert seen == ["moderation.example abc-123"]


def test_elsewhere_the_context_is_a_dash():
    assert record().context == "-"


SECRETS = {
    "key": "mk_o-78VkEtA7l8cv4LhX12ZOiH9fi4YxPSyqPZCYTVPVI",
    "signing": "whsec_G9uLr1AHmd39y79fuK1rQsM2A4lBv9hMwyKZvE-H-tk",
    "bot": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "db_password": "pg-pass-5e1f0c",
    "setting": "console-signing-secret-7f3a9c2e5b",
    "slack": "T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX",
}
LEAKY_LINES = [
    f"POST https://api.telegram.org/bot{SECRETS['bot']}/sendMessage failed",
    f"header Authorization: Bearer {SECRETS['key']}",
    f"GET /perspective/v1alpha1/comments:analyze?key={SECRETS['key']}&x=1",
    f"signing with {SECRETS['signing']}",
    f"connecting to postgresql+psycopg://modsys:{SECRETS['db_password']}@db:5432/modsys",
    f"hook https://hooks.slack.com/services/{SECRETS['slack']} answered 404",
]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_every_shape_of_secret_is_masked_in_messages_and_tracebacks(log_format):
    stream = io.StringIO()
    settings = Settings(log_format=log_format, secret_key=SECRETS["setting"])
    configure_logging(settings, stream)
    log = logging.getLogger("test.leaky")
    try:
        for line in LEAKY_LINES:
            log.warning(line)
        try:
            raise RuntimeError(f"session signed with {SECRETS['setting']}")
        except RuntimeError:
            log.exception("failed")
    finally:
        logging.basicConfig(force=True)

    written = stream.getvalue()
    assert written.count("[redacted]") >= len(LEAKY_LINES) + 1
    for secret in SECRETS.values():
        assert secret not in written
    if log_format == "json":
        assert all(json.loads(line)["logger"] == "test.leaky" for line in written.splitlines() if line.startswith("{"))


def test_an_access_line_per_request_with_route_status_request_id_and_site(app, site, caplog):
    from tests.support.payloads import comment_body

    with caplog.at_level(logging.INFO, logger="modsys.access"):
        answer = app.test_client().post("/v1/comments", json=comment_body(), headers=site.auth)
    (line,) = [r for r in caplog.records if r.name == "modsys.access"]
    assert (line.method, line.route, line.status, line.site) == ("POST", "/v1/comments", 202, "luki")
    assert line.request_id == answer.headers["X-Request-ID"] and len(line.request_id) == 32
