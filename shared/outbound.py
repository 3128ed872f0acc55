"""Who the service says it is on every request it makes to another server (callbacks, alerts, downloads)."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def user_agent() -> str:
    """`modsys/<version>`, so a site's logs and firewall can tell our callbacks from anyone else's."""
    try:
        return f"modsys/{version('modsys')}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "modsys/dev"


def headers(**extra: str) -> dict[str, str]:
    """The headers every outgoing HTTP request carries, plus `extra` (e.g. Content-Type)."""
    return {"User-Agent": user_agent(), **extra}
