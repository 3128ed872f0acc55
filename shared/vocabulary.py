"""The service's vocabulary: every status, kind and choice stored in a row or named in the API, once.

Each is a StrEnum, so a member is its stored string (rows, JSON and templates need no conversion),
and each mapping between them is written here, once. Toxicity categories have a module of their own
(shared.categories); what a moderator reads for each value lives in the catalogs (shared.i18n).
"""

from enum import StrEnum
from typing import Final

from shared.categories import ABOUT, REJECTABLE_CATEGORIES, SPAM
from shared.i18n import N_


class CommentStatus(StrEnum):
    PENDING = "pending"  # stored, waiting for the worker's verdict
    APPROVED = "approved"
    REVIEW = "review"  # waiting for a human
    REJECTED = "rejected"


class Decision(StrEnum):
    """What the automatic verdict (or a human) decides; each decision puts the comment in one status."""

    APPROVE = "approve"
    REVIEW = "review"
    REJECT = "reject"

    @property
    def status(self) -> CommentStatus:
        return _STATUS_OF_DECISION[self]

    @classmethod
    def of_status(cls, status: str) -> "Decision | None":
        """The decision that leaves a comment in this status (None for pending)."""
        return _DECISION_OF_STATUS.get(CommentStatus(status))

    @classmethod
    def strictest(cls, decisions: "list[Decision]") -> "Decision":
        """The harshest of these decisions (approve when there are none)."""
        return max(decisions, key=_SEVERITY.index, default=cls.APPROVE)


_STATUS_OF_DECISION: Final = {
    Decision.APPROVE: CommentStatus.APPROVED,
    Decision.REVIEW: CommentStatus.REVIEW,
    Decision.REJECT: CommentStatus.REJECTED,
}
_DECISION_OF_STATUS: Final = {status: decision for decision, status in _STATUS_OF_DECISION.items()}
_SEVERITY: Final = (Decision.APPROVE, Decision.REVIEW, Decision.REJECT)
DECISIONS_BY_SEVERITY: Final = _SEVERITY  # mildest first: a decision's index is its severity

# Statuses a ban takes down: what the readers have not been shown yet, or what waits for a human.
WAITING_STATUSES: Final = (CommentStatus.PENDING, CommentStatus.REVIEW)


class ActionKind(StrEnum):
    """A human action in the audit log; approve and reject are also Decisions."""

    APPROVE = "approve"
    REJECT = "reject"
    BAN = "ban"  # the author, for good
    SUSPEND = "suspend"  # the author, until a time
    UNDO = "undo"
    NOTE = "note"  # a moderator's note on an author


# Why a moderator rejects, with what moderators read for each. "spam" is the one that teaches the spam
# model "spam" (a toxic comment is not spam); "other" teaches nothing. The toxic ones are the
# categories a moderator may name, with the categories' own labels.
OTHER_REASON: Final = "other"
REJECT_REASON_LABELS: Final[dict[str, str]] = {
    SPAM: N_("spam"),
    **{category.value: ABOUT[category].label for category in REJECTABLE_CATEGORIES},
    "off_topic": N_("off topic"),
    "personal_data": N_("personal data"),
    OTHER_REASON: N_("other"),
}
REJECT_REASONS: Final[tuple[str, ...]] = tuple(REJECT_REASON_LABELS)
TOXIC_REJECT_REASONS: Final = frozenset(c.value for c in REJECTABLE_CATEGORIES)


class ReportReason(StrEnum):
    """Why a reader reports a comment (the site passes it on)."""

    SPAM = "spam"
    ABUSE = "abuse"
    OFF_TOPIC = "off_topic"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


REPORT_REASON_LABELS: Final[dict[str, str]] = {
    ReportReason.SPAM: N_("spam"),
    ReportReason.ABUSE: N_("abuse"),
    ReportReason.OFF_TOPIC: N_("off topic"),
    ReportReason.PERSONAL_DATA: N_("personal data"),
    ReportReason.OTHER: N_("other"),
}


class Queue(StrEnum):
    """What moderators look at: a status, the comments readers reported, or everything."""

    REVIEW = "review"
    REPORTED = "reported"
    REJECTED = "rejected"
    APPROVED = "approved"
    PENDING = "pending"
    ALL = "all"

    @property
    def status(self) -> CommentStatus | None:
        """The status this queue shows; None for the reported and all queues."""
        try:
            return CommentStatus(self.value)
        except ValueError:
            return None


class QueueSort(StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    TOXIC = "toxic"


class EventKind(StrEnum):
    """Something moderators may want to hear about (a moderation event, an alert)."""

    REVIEW = "review"  # a comment waits for a human
    REPORT = "report"  # readers reported a comment
    REJECT = "reject"  # a comment was rejected automatically (channels opt in)

    @classmethod
    def of_decision(cls, decision: Decision) -> "EventKind | None":
        """The event an automatic decision raises: holding for review, or rejecting."""
        return {Decision.REVIEW: cls.REVIEW, Decision.REJECT: cls.REJECT}.get(decision)


# What a new channel hears about unless told otherwise: what needs a moderator.
DEFAULT_CHANNEL_EVENTS: Final = (EventKind.REVIEW, EventKind.REPORT)


class ChannelKind(StrEnum):
    """Where moderators hear about comments."""

    WEBHOOK = "webhook"
    SLACK = "slack"
    TELEGRAM = "telegram"
    EMAIL = "email"

    @property
    def target_is_url(self) -> bool:
        """Its target is a URL (whose path may be its secret, as Slack's is), not an address or a chat id."""
        return self in (ChannelKind.WEBHOOK, ChannelKind.SLACK)


class NotificationKind(StrEnum):
    SITE_CALLBACK = "site_callback"  # a decision, POSTed to the site (automatic and human alike)
    MODERATOR_ALERT = "moderator_alert"  # a message to a moderators' channel


class NotificationStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class SpamLabel(StrEnum):
    SPAM = "spam"
    HAM = "ham"


class DomainRule(StrEnum):
    ALLOW = "allow"  # the site's own, the city's: links to it count in the comment's favour
    BLOCK = "block"  # known spam


class ModeratorRole(StrEnum):
    MODERATOR = "moderator"  # decides comments
    ADMIN = "admin"  # also edits sites' policies and the moderators


class ModerationMode(StrEnum):
    PRE = "pre"  # nothing is shown before a verdict approves it
    POST = "post"  # shown at once; a verdict can still take it down


class Language(StrEnum):
    """The languages moderators read (console, alerts) and the scorers know."""

    RU = "ru"
    EN = "en"


class CommentSource(StrEnum):
    """How a comment arrived."""

    API = "api"  # POST /v1/comments
    PERSPECTIVE = "perspective"
    AKISMET = "akismet"


class SiteAction(StrEnum):
    """A change to a site itself, in its audit log (site_changes)."""

    CREATE = "create"
    ROTATE_KEY = "rotate_key"
    ROTATE_SECRET = "rotate_secret"
    DISABLE = "disable"
    ENABLE = "enable"
    SET_POLICY = "set_policy"
