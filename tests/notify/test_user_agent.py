"""Every request the service makes names it: `User-Agent: modsys/<version>` (callbacks and alerts here;
model downloads in tests/moderation/test_model_fetch.py)."""

import re
from importlib.metadata import version

from notify import channels
from notify.alerts.message import ChannelTarget
from notify.callbacks import Delivery, post_signed
from notify.signing import verify
from shared.settings import NotifySettings
from shared.vocabulary import ChannelKind
from tests.support.alerts import make_alert
from tests.support.http_server import http_server

AGENT = f"modsys/{version('modsys')}"
SETTINGS = NotifySettings(timeout_s=2)


def test_a_site_callback_says_it_comes_from_modsys_and_stays_signed():
    with http_server() as (url, received):
        result = post_signed(Delivery(7, f"{url}/hook", "whsec_test", {"event": "comment.decided"}), timeout_s=2)
        (request,) = received.wait_for(1)
    assert result.delivered and request.headers["User-Agent"] == AGENT
    assert re.fullmatch(r"modsys/\d+\.\d+\.\d+.*", AGENT)
    assert verify("whsec_test", request.headers, request.body)


def test_each_alert_channel_over_http_says_it_comes_from_modsys():
    with http_server() as (url, received):
        for kind in (ChannelKind.WEBHOOK, ChannelKind.SLACK):
            channels.send(ChannelTarget(1, kind, f"{url}/{kind}", "secret"), make_alert(), SETTINGS, message_id=1)
        telegram = NotifySettings(timeout_s=2, telegram_api_base=url)
        channels.send(
            ChannelTarget(2, ChannelKind.TELEGRAM, "-1001234567890", "123:abc"), make_alert(), telegram, message_id=2
        )
        requests = received.wait_for(3)
    assert [(r.path.rsplit("/", 1)[-1], r.headers["User-Agent"]) for r in requests] == [
        ("webhook", AGENT),
        ("slack", AGENT),
        ("sendMessage", AGENT),
    ]
