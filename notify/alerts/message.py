"""What a moderator alert says, independent of the channel that carries it.

The dispatcher (notify/alerts/dispatch.py) builds an Alert from the database; each channel (notify/channels/)
renders it in its own format (JSON, Slack blocks, Telegram HTML, e-mail) and sends it.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Piece:
    """A stretch of the comment's text; `mark` names the category of a flagged word, else None."""

    text: str
    mark: str | None = None


@dataclass(frozen=True)
class AlertItem:
    """One comment a moderator should look at, with what they need to decide it."""

    comment_id: int
    event: str  # an EventKind
    article_title: str | None
    article_url: str
    author_name: str
    pieces: tuple[Piece, ...]  # the comment's text, flagged words marked
    top_scores: tuple[tuple[str, float], ...]  # (category, score), highest first, at most three
    reasons: tuple[str, ...]  # the verdict's reasons in words
    console_url: str  # straight to this comment in the console
    report_count: int = 0

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


@dataclass(frozen=True)
class Alert:
    """One message to one channel: a single comment, or a digest of many (the worst shown first)."""

    site_name: str
    language: str  # "ru" or "en": the site's language
    items: tuple[AlertItem, ...]  # at most the channel's digest size
    total: int  # how many events the message covers; more than len(items) when the digest is cut
    queue_url: str  # the console's review queue for the site
    is_test: bool = False  # `modctl channel test`
    counts: dict[str, int] = field(default_factory=dict)  # events covered, by EventKind

    @property
    def is_digest(self) -> bool:
        return self.total > 1


@dataclass(frozen=True)
class ChannelTarget:
    """Where one channel delivers, copied out of its row for a send (no session held meanwhile)."""

    id: int
    kind: str  # a ChannelKind
    target: str  # webhook/Slack: URL; Telegram: chat id; e-mail: addresses, comma-separated
    secret: str | None  # Telegram: the bot token; webhook: the key its requests are signed with
    previous_secrets: tuple[str, ...] = ()  # webhook: a rotated-out site secret that still signs too
