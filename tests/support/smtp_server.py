"""A real SMTP server on loopback (aiosmtpd): keeps what it receives, refuses what it is told to."""

import email
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from tests.support.processes import free_port


@dataclass
class Mailbox:
    port: int
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> the reply refusing it
    logins: list[tuple[str, str]] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)
    tls_used: list[bool] = field(default_factory=list)

    def messages(self) -> list[EmailMessage]:
        parsed = [email.message_from_bytes(e.original_content or b"", policy=default) for e in self.envelopes]
        return [message for message in parsed if isinstance(message, EmailMessage)]


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(self, server: Any, session: Any, envelope: Envelope, address: str, options: list[str]) -> str:
        if address in self.mailbox.refuse:
            return self.mailbox.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.mailbox.envelopes.append(envelope)
        self.mailbox.tls_used.append(session.ssl is not None)
        return "250 OK"


def _authenticator(mailbox: Mailbox, password: str) -> Any:
    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        mailbox.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password.decode() == password, handled=False)  # False: aiosmtpd answers 535

    return authenticate


@contextmanager
def smtp_server(
    *, refuse: dict[str, str] | None = None, password: str | None = None, tls_context: ssl.SSLContext | None = None
) -> Iterator[Mailbox]:
    """Serve SMTP on 127.0.0.1. With `password`, AUTH is offered (and required), over plain text
    unless `tls_context` is given, in which case STARTTLS comes first."""
    mailbox = Mailbox(port=free_port(), refuse=dict(refuse or {}))
    options: dict[str, Any] = {}
    if password is not None:
        options = {
            "authenticator": _authenticator(mailbox, password),
            "auth_required": tls_context is not None,
            "auth_require_tls": tls_context is not None,
        }
    if tls_context is not None:
        options.update(tls_context=tls_context, require_starttls=True)
    controller = Controller(_Handler(mailbox), hostname="127.0.0.1", port=mailbox.port, **options)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
