"""The channels that carry moderator alerts: how one Alert is rendered and sent through each kind.

`send` never raises for network or protocol trouble: the AttemptResult says what happened and
whether another try may help (`.retryable`). `validate_target` checks a channel before it is stored.
"""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from notify.alerts.message import Alert, ChannelTarget
from notify.callbacks import AttemptResult
from notify.channels import email, slack, telegram, webhook
from shared.settings import NotifySettings
from shared.vocabulary import ChannelKind

Sender = Callable[..., AttemptResult]
SENDERS: dict[str, Sender] = {
    ChannelKind.WEBHOOK: webhook.send,
    ChannelKind.SLACK: slack.send,
    ChannelKind.TELEGRAM: telegram.send,
    ChannelKind.EMAIL: email.send,
}

CHAT_ID = re.compile(r"-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31}")  # numeric id, or a public @channelname
BOT_TOKEN = re.compile(r"\d{1,20}:[A-Za-z0-9_-]+")  # also keeps the token safe to put in the API's path
LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
DOMAIN = re.compile(r"[^\W_]([\w-]*[^\W_])?(\.[^\W_]([\w-]*[^\W_])?)*")  # letters of any script (сайт.рф)


def send(target: ChannelTarget, alert: Alert, settings: NotifySettings, *, message_id: int) -> AttemptResult:
    """Render and send one alert through the target's channel; `message_id` identifies the message
    (the webhook's delivery header, the e-mail's Message-ID), the same on every retry."""
    sender = SENDERS.get(target.kind)
    if sender is None:
        return AttemptResult(None, f"unknown channel kind {target.kind!r}", 0, transient=False)
    return sender(target, alert, settings, message_id=message_id)


def validate_target(kind: str, target: str, secret: str | None) -> None:
    """Raise ValueError saying what is wrong with a channel's target or secret."""
    checks = {
        ChannelKind.WEBHOOK: _check_url,
        ChannelKind.SLACK: _check_url,
        ChannelKind.TELEGRAM: _check_telegram,
        ChannelKind.EMAIL: _check_email,
    }
    if kind not in checks:
        raise ValueError(f"unknown channel kind {kind!r}: use one of {', '.join(ChannelKind)}")
    checks[ChannelKind(kind)](target.strip(), secret)


def _check_url(target: str, _secret: str | None) -> None:
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in target):
        raise ValueError(f"{target!r} is not an http(s) URL")


def _check_telegram(target: str, secret: str | None) -> None:
    if not CHAT_ID.fullmatch(target):
        raise ValueError(f"{target!r} is not a Telegram chat id: use a number such as -1001234567890 or @channelname")
    if not secret:
        raise ValueError("a Telegram channel needs its bot's token (from @BotFather), e.g. 123456:ABC-DEF...")
    if not BOT_TOKEN.fullmatch(secret.strip()):
        raise ValueError("the bot token does not look like one from @BotFather (digits, a colon, then letters)")


def _check_email(target: str, _secret: str | None) -> None:
    addresses = [part.strip() for part in target.split(",") if part.strip()]
    if not addresses:
        raise ValueError("no e-mail address given")
    for address in addresses:
        if not _is_address(address):
            raise ValueError(f"{address!r} is not an e-mail address")


def _is_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    if not (at and LOCAL_PART.fullmatch(local) and DOMAIN.fullmatch(domain)):
        return False
    try:
        domain.encode("idna")
    except UnicodeError:
        return False
    return True
