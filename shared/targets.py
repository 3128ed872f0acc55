"""Where the service may send a site's callbacks and moderators' webhooks: http(s) URLs of public hosts.

A callback URL is set by whoever manages a site; without this check it could point the notify
worker at the machine's own services (loopback, link-local cloud metadata, the private network)
or at `file:///etc/passwd`. The host is resolved and every address it has must be public, when the
target is saved and again at each delivery (a name may be re-pointed after it was saved).
MOD_ALLOW_PRIVATE_TARGETS lifts the address rule for installs whose sites live on a private network.
"""

import ipaddress
import socket
from urllib.parse import urlsplit


class TargetRefusedError(ValueError):
    """The URL is not one the service sends to; the message says why."""


def check_target(url: str, *, allow_private: bool) -> None:
    """Raise TargetRefusedError unless `url` is http(s) with a host whose addresses (if it resolves) are all public."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url.strip()):
        raise TargetRefusedError(f"{url[:200]!r} is not an http(s) URL")
    if allow_private:
        return
    for address in _addresses(parts.hostname, parts.port):
        if not address.is_global or address.is_multicast:
            raise TargetRefusedError(
                f"{parts.hostname} is a private, loopback or link-local address ({address}); "
                "set MOD_ALLOW_PRIVATE_TARGETS to send there"
            )


def _addresses(host: str, port: int | None) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.split("%", 1)[0])]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        # Not resolvable now (not yet in DNS, or DNS is down): nothing to send to either. A delivery
        # checks again, and fails as a network error while the name does not resolve.
        return []
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
