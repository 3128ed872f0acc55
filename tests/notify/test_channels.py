"""Each channel against a real server on loopback: what it sends, how it escapes, what failures mean."""

import json
import re
import shutil
import ssl
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from notify import channels
from notify.alerts.message import ChannelTarget, Piece
from notify.channels import slack, telegram
from notify.signing import DELIVERY_HEADER, verify
from shared.settings import NotifySettings
from shared.vocabulary import EventKind
from tests.support.alerts import HOSTILE, hostile_item, make_alert, make_item
from tests.support.http_server import http_server
from tests.support.processes import free_port
from tests.support.smtp_server import smtp_server

TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
SECRET = "whsec-test"


def settings(**fields) -> NotifySettings:
    return NotifySettings(timeout_s=5, smtp_host="127.0.0.1", smtp_from="moderation@luki.ru", **fields)


def target(kind: str, where: str, secret: str | None = None) -> ChannelTarget:
    return ChannelTarget(id=7, kind=kind, target=where, secret=secret)


def digest(shown: int, total: int, **fields):
    return make_alert(*(make_item(i) for i in range(1, shown + 1)), total=total, **fields)


class Markup(HTMLParser):
    """The tags and the text a mail client or Telegram would see."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text = ""
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.links += [value for name, value in attrs if name == "href"]

    def handle_data(self, data):
        self.text += data


# Webhook


def test_the_webhook_posts_the_alert_as_signed_json():
    alert = digest(2, 9, counts={EventKind.REVIEW: 8, EventKind.REPORT: 1})
    with http_server() as (url, recorder):
        result = channels.send(target("webhook", f"{url}/hooks/mod", SECRET), alert, settings(), message_id=41)
        (request,) = recorder.received

    assert result.delivered and result.error is None
    assert (request.method, request.path) == ("POST", "/hooks/mod")
    assert verify(SECRET, request.headers, request.body) and request.headers[DELIVERY_HEADER] == "41"
    body = request.json()
    assert body | {"items": None} == {
        "event": "moderation.alert",
        "site": "luki",
        "language": "ru",
        "title": "9 комментариев ждут проверки",
        "total": 9,
        "counts": {"review": 8, "report": 1},
        "queue_url": alert.queue_url,
        "test": False,
        "items": None,
    }
    assert body["items"][0] == {
        "comment_id": 1,
        "event": "review",
        "article": {"title": "Мост через Луку откроют в мае", "url": "https://luki.ru/news/1"},
        "author": "Читатель",
        "text": "Автор статьи дурак, не читайте его.",
        "marked_words": [{"text": "дурак", "category": "insult"}],
        "top_scores": [{"category": "insult", "score": 0.93}, {"category": "toxicity", "score": 0.71}],
        "reasons": ["оскорбление: «дурак»"],
        "console_url": "https://mod.luki.ru/console/comments/1",
        "report_count": 0,
    }


def test_the_webhook_carries_hostile_text_as_plain_json_data():
    with http_server() as (url, recorder):
        channels.send(target("webhook", url, SECRET), make_alert(hostile_item()), settings(), message_id=1)
    item = recorder.received[0].json()["items"][0]
    assert item["text"].startswith(HOSTILE) and item["author"] == "<img src=x onerror=alert(1)> *Админ*"


def test_a_webhook_without_its_signing_secret_is_not_called():
    with http_server() as (url, recorder):
        result = channels.send(target("webhook", url, None), make_alert(), settings(), message_id=1)
    assert not result.retryable and "secret" in result.error and recorder.received == []


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (503, True), (429, True), (404, False), (410, False)])
def test_http_failures_are_retried_only_when_they_may_pass(status, retryable):
    for kind in ("webhook", "slack"):
        with http_server(statuses=[status]) as (url, _):
            result = channels.send(target(kind, url, SECRET), make_alert(), settings(), message_id=1)
        assert not result.delivered and result.retryable is retryable and f"HTTP {status}" in result.error


def test_a_closed_port_is_an_error_result_not_an_exception():
    url = f"http://127.0.0.1:{free_port()}"
    for kind, secret in (("webhook", SECRET), ("slack", None), ("telegram", TOKEN)):
        result = channels.send(
            target(kind, f"{url}/services/T0/B0/s3cr3tpath", secret),
            make_alert(),
            settings(telegram_api_base=url),
            message_id=1,
        )
        assert result.status_code is None and result.retryable and "ConnectionError" in result.error
        assert TOKEN not in result.error and "ABC-DEF" not in result.error
    assert (
        "s3cr3tpath"
        not in channels.send(
            target("slack", f"{url}/services/T0/B0/s3cr3tpath"), make_alert(), settings(), message_id=1
        ).error
    )


# Slack


def test_slack_gets_blocks_with_the_comment_marked_and_buttons_to_the_console():
    alert = digest(2, 9)
    with http_server() as (url, recorder):
        result = channels.send(target("slack", f"{url}/services/T0/B0/xyz"), alert, settings(), message_id=1)
        body = recorder.received[0].json()

    assert result.delivered and recorder.received[0].path == "/services/T0/B0/xyz"
    assert body["text"] == "luki: 9 комментариев ждут проверки"
    types = [block["type"] for block in body["blocks"]]
    assert types == ["header", *["divider", "rich_text", "actions"] * 2, "context", "actions"]
    header = {"type": "plain_text", "text": "luki: 9 комментариев ждут проверки", "emoji": False}
    assert body["blocks"][0]["text"] == header
    about, quote, details = body["blocks"][2]["elements"]
    article = {"type": "link", "url": "https://luki.ru/news/1", "text": "Мост через Луку откроют в мае"}
    assert article in about["elements"]
    assert quote == {
        "type": "rich_text_quote",
        "elements": [
            {"type": "text", "text": "Автор статьи "},
            {"type": "text", "text": "дурак", "style": {"bold": True}},
            {"type": "text", "text": ", не читайте его."},
        ],
    }
    assert {"type": "text", "text": "оскорбление 93\xa0% · токсичность 71\xa0%"} in details["elements"]
    buttons = [b["elements"][0] for b in body["blocks"] if b["type"] == "actions"]
    assert [(b["text"]["text"], b["url"]) for b in buttons] == [
        ("Открыть в консоли", "https://mod.luki.ru/console/comments/1"),
        ("Открыть в консоли", "https://mod.luki.ru/console/comments/2"),
        ("Открыть очередь", alert.queue_url),
    ]
    assert body["blocks"][-2]["elements"][0]["text"] == "… и ещё 7"


def _texts(node) -> list[dict]:
    """Every text object and rich-text element in the blocks."""
    if isinstance(node, list):
        return [found for child in node for found in _texts(child)]
    if not isinstance(node, dict):
        return []
    own = [node] if node.get("type") in ("text", "link", "plain_text", "mrkdwn") else []
    return own + [found for value in node.values() for found in _texts(value)]


def test_slack_never_lets_user_text_into_mrkdwn():
    with http_server() as (url, recorder):
        channels.send(target("slack", url), make_alert(hostile_item(), site_name="a<b>&c"), settings(), message_id=1)
        body = recorder.received[0].json()

    texts = _texts(body["blocks"])
    assert not [t for t in texts if t["type"] == "mrkdwn"]
    literal = {t["text"] for t in texts}
    assert {HOSTILE + " ", "<img src=x onerror=alert(1)> *Админ*", "Tom & Jerry <b>_live_</b>"} <= literal
    assert {"type": "text", "text": "<b>дурак</b>", "style": {"bold": True}} in texts
    assert body["text"] == "a&lt;b&gt;&amp;c: Комментарий ждёт проверки"  # the fallback is mrkdwn: escaped
    assert slack.escape_mrkdwn("<!channel> & <http://x|y>") == "&lt;!channel&gt; &amp; &lt;http://x|y&gt;"


def test_slack_refuses_a_javascript_article_link():
    alert = make_alert(make_item(article_url="javascript:alert(1)"))
    links = [t for t in _texts(slack.payload(alert)["blocks"]) if t["type"] == "link"]
    assert links == []


def test_a_slack_404_no_service_is_permanent():
    with http_server(statuses=[404], bodies=[b"no_service"]) as (url, _):
        result = channels.send(target("slack", url), make_alert(), settings(), message_id=1)
    assert not result.retryable and result.error == "HTTP 404: no_service"


# Telegram


def test_telegram_sends_html_to_the_bot_api():
    alert = make_alert()
    with http_server(bodies=[b'{"ok": true, "result": {"message_id": 5}}']) as (url, recorder):
        result = channels.send(
            target("telegram", "-1001234567890", TOKEN), alert, settings(telegram_api_base=url), message_id=1
        )
        (request,) = recorder.received

    assert result.delivered and request.path == f"/bot{TOKEN}/sendMessage"
    body = request.json()
    assert body["chat_id"] == "-1001234567890" and body["parse_mode"] == "HTML"
    assert body["link_preview_options"] == {"is_disabled": True}
    button = {"text": "Открыть в консоли", "url": "https://mod.luki.ru/console/comments/1"}
    assert body["reply_markup"] == {"inline_keyboard": [[button]]}
    assert body["text"].startswith("<b>luki: Комментарий ждёт проверки</b>")
    assert "<blockquote>Автор статьи <b>дурак</b>, не читайте его.</blockquote>" in body["text"]
    assert 'Статья: <a href="https://luki.ru/news/1">Мост через Луку откроют в мае</a>' in body["text"]


def test_telegram_escapes_every_untrusted_string():
    text = telegram.message_text(make_alert(hostile_item(), site_name="Tom & Jerry"))
    seen = Markup(text)
    assert set(seen.tags) <= {"b", "a", "blockquote"}
    assert seen.tags.count("b") == 3  # the title, the item's heading, the flagged word
    for untrusted in (
        HOSTILE,
        "<b>дурак</b>",
        "<img src=x onerror=alert(1)> *Админ*",
        "Tom & Jerry <b>_live_</b>",
        "<i>reason</i> & *more*",
    ):
        assert untrusted in seen.text
    assert "&#x27;" not in text and "&lt;script&gt;" in text  # Telegram knows only &lt; &gt; &amp; &quot;


def test_a_long_telegram_digest_is_shortened_to_fit_and_says_how_many_are_left_out():
    long_comment = (Piece("слово " * 600),)
    alert = make_alert(*(make_item(i, pieces=long_comment) for i in range(1, 11)), total=40)
    text = telegram.message_text(alert)
    assert len(text.encode("utf-16-le")) // 2 <= telegram.MAX_UNITS
    shown = Markup(text).tags.count("blockquote")
    assert shown >= 3 and text.endswith(f"… и ещё {40 - shown}")
    assert "слово слово…</blockquote>" in text  # cut between words


def test_telegram_buttons_need_a_host_telegram_accepts():
    alert = make_alert(make_item(console_url="http://localhost:8000/console/comments/1"))
    assert telegram.keyboard(alert) == []
    assert 'href="http://localhost:8000/console/comments/1"' in telegram.message_text(alert)
    assert telegram.keyboard(digest(2, 5)) == [[{"text": "Открыть очередь", "url": digest(2, 5).queue_url}]]
    local_queue = digest(2, 5, queue_url="http://127.0.0.1:8000/console/queue")
    assert telegram.message_text(local_queue).endswith(
        '<a href="http://127.0.0.1:8000/console/queue">Открыть очередь</a>'
    )


@pytest.mark.parametrize(
    ("status", "answer", "retryable"),
    [
        (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}, False),
        (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}, False),
        (401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, False),
        (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            },
            True,
        ),
        (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}, True),
    ],
)
def test_telegram_errors_say_what_telegram_said_without_the_token(status, answer, retryable):
    with http_server(statuses=[status], bodies=[json.dumps(answer).encode()]) as (url, _):
        result = channels.send(
            target("telegram", "@luki_mods", TOKEN), make_alert(), settings(telegram_api_base=url), message_id=1
        )
    assert not result.delivered and result.retryable is retryable and result.status_code == status
    assert result.error == f"Telegram {status}: {answer['description']}"
    assert result.retry_after_s == (7 if status == 429 else None)
    assert TOKEN not in result.error and TOKEN.split(":")[1] not in result.error


def test_the_bot_token_stays_out_of_urllib3s_debug_log(caplog):
    with caplog.at_level("DEBUG", logger="urllib3"), http_server() as (url, _):
        channels.send(target("telegram", "-100123", TOKEN), make_alert(), settings(telegram_api_base=url), message_id=1)
    assert "sendMessage" in caplog.text and TOKEN not in caplog.text


# E-mail


def test_email_sends_a_plain_and_an_html_part_to_every_address():
    alert = digest(21, 21)
    with smtp_server() as mailbox:
        result = channels.send(
            target("email", "a@luki.ru, b@luki.ru"), alert, settings(smtp_port=mailbox.port), message_id=41
        )
        (envelope,), (message,) = mailbox.envelopes, mailbox.messages()

    assert result.delivered and result.status_code == 250 and not result.retryable
    assert envelope.mail_from == "moderation@luki.ru" and envelope.rcpt_tos == ["a@luki.ru", "b@luki.ru"]
    assert message["Subject"] == "[luki] 21 комментарий ждёт проверки"
    assert (message["From"], message["To"]) == ("moderation@luki.ru", "a@luki.ru, b@luki.ru")
    assert message["Message-ID"] == "<alert-41.7@luki.ru>" and message["Date"] and message["Auto-Submitted"]
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "> Автор статьи *дурак*, не читайте его." in plain and f"Открыть очередь: {alert.queue_url}" in plain
    assert "Автор статьи <mark>дурак</mark>, не читайте его." in html
    assert f'<a href="{alert.queue_url}">Открыть очередь</a>' in html


def test_email_html_escapes_every_untrusted_string():
    alert = make_alert(hostile_item(), make_item(2, article_url="javascript:alert(1)"), total=2)
    with smtp_server() as mailbox:
        channels.send(target("email", "a@luki.ru"), alert, settings(smtp_port=mailbox.port), message_id=1)
        (message,) = mailbox.messages()

    html = message.get_body(("html",)).get_content()
    seen = Markup(html)
    assert "script" not in seen.tags and "img" not in seen.tags and "i" not in seen.tags
    assert seen.tags.count("mark") == 2  # only the flagged words
    assert not [link for link in seen.links if not link.startswith("https://")]
    for untrusted in (HOSTILE, "<b>дурак</b>", "<img src=x onerror=alert(1)> *Админ*", "Tom & Jerry <b>_live_</b>"):
        assert untrusted in seen.text
    assert HOSTILE in message.get_body(("plain",)).get_content()


def test_email_logs_in_when_a_username_is_set():
    with smtp_server(password="pw") as mailbox:
        ok = channels.send(
            target("email", "a@luki.ru"),
            make_alert(),
            settings(smtp_port=mailbox.port, smtp_username="mod", smtp_password="pw"),
            message_id=1,
        )
        wrong = settings(smtp_port=mailbox.port, smtp_username="mod", smtp_password="bad")
        refused = channels.send(target("email", "a@luki.ru"), make_alert(), wrong, message_id=2)
    assert ok.delivered and mailbox.logins[0] == ("mod", "pw")
    assert set(mailbox.logins[1:]) == {("mod", "bad")}  # smtplib tries PLAIN, then LOGIN
    assert refused.status_code == 535 and not refused.retryable and "bad" not in refused.error


@pytest.fixture
def tls_context(tmp_path: Path, monkeypatch) -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1 that the client trusts (through SSL_CERT_FILE)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_email_upgrades_with_starttls_before_logging_in(tls_context):
    with smtp_server(password="pw", tls_context=tls_context) as mailbox:
        result = channels.send(
            target("email", "a@luki.ru"),
            make_alert(),
            settings(smtp_port=mailbox.port, smtp_starttls=True, smtp_username="mod", smtp_password="pw"),
            message_id=1,
        )
    assert result.delivered and mailbox.tls_used == [True] and mailbox.logins == [("mod", "pw")]


def test_email_to_an_idn_domain_goes_to_its_ascii_form():
    with smtp_server() as mailbox:
        channels.send(target("email", "mod@сайт.рф"), make_alert(), settings(smtp_port=mailbox.port), message_id=1)
    assert mailbox.envelopes[0].rcpt_tos == ["mod@xn--80aswg.xn--p1ai"]


def test_a_refused_recipient_is_permanent_a_busy_mailbox_is_not():
    refuse = {"gone@luki.ru": "550 5.1.1 no such user", "full@luki.ru": "452 4.2.2 mailbox full"}
    with smtp_server(refuse=refuse) as mailbox:

        def send(to):
            return channels.send(target("email", to), make_alert(), settings(smtp_port=mailbox.port), message_id=1)

        gone, full, partly = send("gone@luki.ru"), send("full@luki.ru"), send("gone@luki.ru, a@luki.ru")

    assert (gone.status_code, gone.retryable) == (550, False) and "no such user" in gone.error
    assert (full.status_code, full.retryable) == (452, True)
    assert partly.delivered and "gone@luki.ru refused: 550" in partly.error
    assert mailbox.envelopes[-1].rcpt_tos == ["a@luki.ru"]


def test_an_smtp_server_that_is_down_is_retried():
    result = channels.send(target("email", "a@luki.ru"), make_alert(), settings(smtp_port=free_port()), message_id=1)
    assert result.status_code is None and result.retryable and "ConnectionRefusedError" in result.error


# Dispatch and validation


def test_an_unknown_kind_is_a_permanent_error():
    result = channels.send(target("pigeon", "roof"), make_alert(), settings(), message_id=1)
    assert not result.retryable and "pigeon" in result.error


@pytest.mark.parametrize(
    ("kind", "where", "secret"),
    [
        ("webhook", "https://luki.ru/hooks/moderation", "s"),
        ("webhook", "http://127.0.0.1:8080/h", None),
        ("slack", "https://hooks.slack.com/services/T000/B000/XXXX", None),
        ("telegram", "-1001234567890", TOKEN),
        ("telegram", "123456789", TOKEN),
        ("telegram", "@luki_mods", TOKEN),
        ("email", "mod@luki.ru", None),
        ("email", "a@luki.ru, b.c+alerts@mail.luki.ru,", None),
        ("email", "mod@сайт.рф", None),
        ("email", "mod@localhost", None),
    ],
)
def test_valid_targets_pass(kind, where, secret):
    channels.validate_target(kind, where, secret)


@pytest.mark.parametrize(
    ("kind", "where", "secret", "reason"),
    [
        ("webhook", "ftp://luki.ru/h", None, "not an http(s) URL"),
        ("webhook", "luki.ru/hooks", None, "http(s) URL"),
        ("slack", "https://", None, "http(s) URL"),
        ("slack", "https://hooks.slack.com/a b", None, "http(s) URL"),
        ("telegram", "luki_mods", TOKEN, "chat id"),
        ("telegram", "@abc", TOKEN, "chat id"),
        ("telegram", "-100123", None, "bot's token"),
        ("telegram", "-100123", "123456/../x", "@BotFather"),
        ("email", "", None, "no e-mail address"),
        ("email", "mod@luki.ru, nobody", None, "'nobody'"),
        ("email", "a b@luki.ru", None, "not an e-mail"),
        ("email", "mod@luki..ru", None, "not an e-mail"),
        ("email", "mod@luki.ru\r\nBcc: x@evil.example", None, "not an e-mail"),
        ("sms", "+7900", None, "unknown channel kind"),
    ],
)
def test_invalid_targets_are_refused_with_the_reason(kind, where, secret, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        channels.validate_target(kind, where, secret)
