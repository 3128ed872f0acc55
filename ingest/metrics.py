"""What ingest counts beyond HTTP requests."""

from prometheus_client import Counter

COMMENTS_ACCEPTED = Counter("modsys_comments_accepted_total", "Comments (and new versions) accepted for moderation")
