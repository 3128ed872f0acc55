"""E-mail: one message with a plain-text part and an HTML alternative, sent with smtplib.

SMTP's reply codes are returned as the status: 250 when sent, 4xx passes later, 5xx will not.
"""

import smtplib
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from notify.alerts import wording as alert_text
from notify.alerts.message import Alert, ChannelTarget
from notify.callbacks import AttemptResult
from notify.channels.common import ms_since, redact
from notify.channels.email_body import html_body, text_body
from shared.settings import NotifySettings

SENT = 250


def addresses(target: str) -> list[str]:
    """The target's comma-separated addresses, internationalized domains in their ASCII (IDNA) form."""
    return [_ascii_domain(part.strip()) for part in target.split(",") if part.strip()]


def _ascii_domain(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


def build_message(target: ChannelTarget, alert: Alert, settings: NotifySettings, *, message_id: int) -> EmailMessage:
    """The message. Its Message-ID depends only on the alert message and channel, so a retry after
    a lost reply carries the same id and mail clients can show it once (a test gets a fresh one)."""
    message = EmailMessage()
    message["Subject"] = " ".join(f"[{alert.site_name}] {alert_text.title(alert)}".split())
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(addresses(target.target))
    message["Date"] = formatdate(usegmt=True)
    domain = _domain(settings.smtp_from)
    stable_id = f"<alert-{message_id}.{target.id}@{domain}>"
    message["Message-ID"] = make_msgid("alert-test", domain) if alert.is_test else stable_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies, please
    message.set_content(text_body(alert))
    message.add_alternative(html_body(alert), subtype="html")
    return message


def _domain(address: str) -> str:
    domain = address.rpartition("@")[2].strip(" >")
    return domain.encode("idna").decode("ascii") if domain else "localhost"


def send(target: ChannelTarget, alert: Alert, settings: NotifySettings, *, message_id: int) -> AttemptResult:
    """Send through the configured SMTP server; never raises for network or SMTP trouble."""
    try:
        message = build_message(target, alert, settings, message_id=message_id)
    except (ValueError, UnicodeError) as exc:  # an address no header or IDNA encoding accepts
        return AttemptResult(None, f"cannot address the message: {exc}", 0, transient=False)
    started = time.perf_counter()
    try:
        refused = _deliver(message, addresses(target.target), settings)
    except smtplib.SMTPRecipientsRefused as exc:
        return _refused_all(exc.recipients, started)
    except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth failed, bad greeting
        error = f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}"
        return AttemptResult(exc.smtp_code, redact(error), ms_since(started), transient=exc.smtp_code < 500)
    except smtplib.SMTPNotSupportedError as exc:  # STARTTLS or AUTH configured, the server has none
        return AttemptResult(None, f"SMTP: {exc}", ms_since(started), transient=False)
    except (smtplib.SMTPException, OSError) as exc:  # refused, reset, timeout, TLS handshake
        return AttemptResult(None, redact(f"{type(exc).__name__}: {exc}"), ms_since(started))
    note = "; ".join(f"{rcpt} refused: {code} {_text(reply)}" for rcpt, (code, reply) in refused.items())
    return AttemptResult(SENT, redact(note) or None, ms_since(started), transient=False)


def _deliver(message: EmailMessage, recipients: list[str], settings: NotifySettings) -> dict[str, tuple[int, bytes]]:
    """One SMTP session; returns the recipients the server refused while accepting the others."""
    smtp = _open(settings)
    try:
        if settings.smtp_starttls and not settings.smtp_ssl:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        return smtp.send_message(message, to_addrs=recipients)
    finally:
        _close(smtp)


def _open(settings: NotifySettings) -> smtplib.SMTP:
    if settings.smtp_ssl:
        return smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s, context=ssl.create_default_context()
        )
    return smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_s)


def _close(smtp: smtplib.SMTP) -> None:
    """QUIT politely; a server that hangs up first has still taken the message."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _refused_all(recipients: dict[str, tuple[int, bytes]], started: float) -> AttemptResult:
    codes = [code for code, _ in recipients.values()]
    error = "; ".join(f"{rcpt} refused: {code} {_text(reply)}" for rcpt, (code, reply) in recipients.items())
    return AttemptResult(min(codes), redact(error), ms_since(started), transient=any(code < 500 for code in codes))


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
