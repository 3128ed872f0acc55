"""Where the moderators' console answers: its prefix, and the links alerts, modctl and the banner print."""

from shared.vocabulary import Queue

PREFIX = "/console"


def home_url(base_url: str) -> str:
    """The console's front page (the login when signed out)."""
    return f"{base_url}{PREFIX}/"


def comment_url(base_url: str, comment_id: int) -> str:
    """One comment's page."""
    return f"{base_url}{PREFIX}/comments/{comment_id}"


def queue_url(base_url: str, site_id: int, queue: Queue = Queue.REVIEW) -> str:
    """A site's queue."""
    return f"{base_url}{PREFIX}/?site={site_id}&queue={queue}"
