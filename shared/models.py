"""The shared schema: sites, comments and their versions, verdicts, notifications and attempts.

Every piece of work is a row; queues only carry row ids, so nothing lives only in a queue.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, overload

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.operators import OperatorType
from sqlalchemy.types import TypeDecorator, TypeEngine

from shared.db import Base
from shared.vocabulary import CommentSource, CommentStatus, ModeratorRole, NotificationStatus

# BIGINT ids on PostgreSQL; SQLite only auto-increments a column declared INTEGER.
Id = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """The same instant with tzinfo=UTC (a naive value is taken as UTC already)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, stored as UTC and read back aware (tzinfo=UTC) on every database.

    PostgreSQL keeps the offset itself (timestamptz); SQLite keeps text without one, and SQLAlchemy
    writes an aware value's local wall time there, so "12:00+03:00" would come back as 12:00 UTC,
    three hours late. Converting to UTC before either database sees it keeps both right; a naive
    value is taken as UTC already (what every caller here means by one).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return as_utc(value)

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> TypeEngine[Any]:
        # "last_sent_at - timedelta(...)": the interval is bound as an interval, not as a moment.
        return self.impl_instance.coerce_compared_value(op, value) if isinstance(value, timedelta) else self


Timestamp = UtcDateTime()


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The signing secret must be readable to sign callbacks, so it is stored as issued.
    signing_secret: Mapped[str] = mapped_column(String(100))
    # After a rotation the old secret signs callbacks too (a second v1= signature) until this
    # time, so the site can switch its verifier over without losing a callback.
    previous_signing_secret: Mapped[str | None] = mapped_column(String(100))
    previous_signing_secret_expires_at: Mapped[datetime | None] = mapped_column(Timestamp)
    callback_url: Mapped[str | None] = mapped_column(String(2000))
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(Timestamp)  # set: its keys are refused


class SiteApiKey(Base):
    """One of a site's API keys; only its hash is kept. Several live at once while a rotation's grace runs."""

    __tablename__ = "site_api_keys"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(20))  # the key's last characters, to tell keys apart
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)  # None: until rotated


class SiteChange(Base):
    """The audit log of a site's own life: created, keys and secrets rotated, disabled, policy changed.

    Apart from ModerationAction, whose rows are decisions on comments and authors (undoable,
    called back to the site); these are never undone or called back, and hold no secrets.
    """

    __tablename__ = "site_changes"
    __table_args__ = (Index("ix_site_changes_site_id_id", "site_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(200))  # "moderator:<username>" or "modctl:<os user>"
    action: Mapped[str] = mapped_column(String(30))  # SiteAction
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("site_id", "external_id"),
        Index("ix_comments_status_queued_at", "status", "queued_at"),
        Index("ix_comments_site_id_author_id", "site_id", "author_id"),  # author history
        # Perspective's suggestscore names a comment by its text alone.
        Index("ix_comments_site_id_text_sha256", "site_id", "text_sha256"),
        Index("ix_comments_site_id_article_id", "site_id", "article_id"),  # moderating one story
        Index("ix_comments_site_id_created_at", "site_id", "created_at"),  # a period, for the policy simulator
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    # How it arrived: "api" (POST /v1/comments), "perspective" or "akismet" (the compatible APIs).
    source: Mapped[str] = mapped_column(String(20), default=CommentSource.API, server_default=CommentSource.API.value)
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PENDING)
    article_id: Mapped[str] = mapped_column(String(200))
    article_url: Mapped[str] = mapped_column(String(2000))
    article_title: Mapped[str | None] = mapped_column(String(1000))
    author_id: Mapped[str] = mapped_column(String(200))
    author_name: Mapped[str] = mapped_column(String(200))
    author_ip: Mapped[str | None] = mapped_column(String(45))
    author_user_agent: Mapped[str | None] = mapped_column(String(1000))
    author_registered_at: Mapped[datetime | None] = mapped_column(Timestamp)
    parent_external_id: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    # Last time this comment was put on the queue; the sweeper re-enqueues stale pending ones.
    queued_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    # Scoring this comment raised this many times in a row (alone, not only in a batch); at
    # MOD_QUARANTINE_AFTER_FAILURES it is quarantined: still pending, but neither swept nor scored
    # again until an edit. The console shows it, /metrics counts it.
    scoring_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quarantined_at: Mapped[datetime | None] = mapped_column(Timestamp)

    site: Mapped[Site] = relationship()


class CommentVersion(Base):
    """Each text a comment has had; an edit adds a version and is moderated again."""

    __tablename__ = "comment_versions"
    __table_args__ = (UniqueConstraint("comment_id", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Verdict(Base):
    """The automatic decision on one comment version; the unique key makes redelivery harmless."""

    __tablename__ = "verdicts"
    __table_args__ = (UniqueConstraint("comment_id", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(20))
    scores: Mapped[dict[str, float]] = mapped_column(JSON)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    decided_by: Mapped[str] = mapped_column(String(200), default="auto")
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(100))
    spam_model_version: Mapped[int | None] = mapped_column(Integer)  # the site's spam model, None before it learnt
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class SpamFeedback(Base):
    """A labelled example for the site's spam model: from the site's API or a moderator's decision.

    One row per (comment, source): repeating the same feedback changes nothing, a new label replaces the old.
    """

    __tablename__ = "spam_feedback"
    __table_args__ = (UniqueConstraint("comment_id", "source"), Index("ix_spam_feedback_site_id_id", "site_id", "id"))

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(50))  # "site", "moderator:<name>", ...
    label: Mapped[str] = mapped_column(String(10))  # SpamLabel
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class SpamModelVersion(Base):
    """One version of a site's spam model: its weights (numpy npz bytes) and what it learnt from."""

    __tablename__ = "spam_models"
    __table_args__ = (UniqueConstraint("site_id", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    version: Mapped[int] = mapped_column(Integer)
    examples: Mapped[int] = mapped_column(Integer)
    last_feedback_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))  # learnt up to here
    weights: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class SiteDomainRule(Base):
    """A domain the site allows (its own, the city's) or blocks (known spam) in comments' links."""

    __tablename__ = "site_domain_rules"
    __table_args__ = (UniqueConstraint("site_id", "domain"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    domain: Mapped[str] = mapped_column(String(253))
    rule: Mapped[str] = mapped_column(String(10))  # DomainRule
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class InstanceSecret(Base):
    """A secret generated once per installation (e.g. the session-signing key), shared by all processes."""

    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Moderator(Base):
    """A person who logs in to the console; created by `modctl moderator create`."""

    __tablename__ = "moderators"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, never the password
    role: Mapped[str] = mapped_column(String(20), default=ModeratorRole.MODERATOR)
    locale: Mapped[str] = mapped_column(String(10), default="ru")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(Timestamp)
    # Part of every console session's id: a logout or a new password moves it on, and the sessions
    # signed with the old one (a copied cookie too) are no longer accepted.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The sites a moderator works on; none: every site (admins always see every site).
    sites: Mapped[list[Site]] = relationship(secondary="moderator_sites", order_by="Site.name")


class ModeratorSite(Base):
    """A site a moderator (not an admin) is limited to."""

    __tablename__ = "moderator_sites"

    moderator_id: Mapped[int] = mapped_column(ForeignKey("moderators.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True)


class ModerationAction(Base):
    """The audit log: every human (or site API) action, who took it, why, and what it replaced."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_site_id_created_at", "site_id", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str | None] = mapped_column(String(200))  # for bans and suspensions
    actor: Mapped[str] = mapped_column(String(200))  # "moderator:<username>" or "site" (the JSON API)
    action: Mapped[str] = mapped_column(String(20))  # ActionKind
    reason: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    previous_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str | None] = mapped_column(String(20))
    # The comment's version the action applied to: an edit since makes it history, not undoable.
    version: Mapped[int | None] = mapped_column(Integer)
    # An undo names the action it reverses; the reversed action is marked so it is undone once.
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id"))
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    # A ban rejects the author's waiting comments as actions of its own, which point to it.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class AuthorRestriction(Base):
    """A banned or suspended author of a site: their new comments are rejected while it lasts."""

    __tablename__ = "author_restrictions"
    __table_args__ = (Index("ix_author_restrictions_site_id_author_id", "site_id", "author_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    author_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # ActionKind.BAN or SUSPEND
    until: Mapped[datetime | None] = mapped_column(Timestamp)  # None: for good
    reason: Mapped[str | None] = mapped_column(String(50))
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(Timestamp)  # set by undo
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class AuthorNote(Base):
    """A moderator's note on an author of a site, for the other moderators of that site; audited."""

    __tablename__ = "author_notes"
    __table_args__ = (Index("ix_author_notes_site_id_author_id", "site_id", "author_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))  # who wrote it, as the audit log names them
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"))  # its audit row
    deleted_at: Mapped[datetime | None] = mapped_column(Timestamp)  # set by undoing that row
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class CommentReport(Base):
    """A reader of the site reports a comment; one report per reader and comment."""

    __tablename__ = "comment_reports"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_id"),
        Index("ix_comment_reports_site_id_resolved_at", "site_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(Timestamp)  # a moderator decided the comment since


class ModerationEvent(Base):
    """Something moderators may want to hear about: a comment held for review, reported, auto-rejected.

    Written in the same transaction as what caused it; notify turns these into channel messages
    (one, or a digest) and keeps, per channel, the last event id it has covered.
    """

    __tablename__ = "moderation_events"
    __table_args__ = (Index("ix_moderation_events_site_id_id", "site_id", "id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # EventKind
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class NotificationChannel(Base):
    """Where a site's moderators hear about comments: a webhook, Slack, Telegram or e-mail."""

    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ChannelKind
    target: Mapped[str] = mapped_column(String(2000))  # URL, Telegram chat id, or e-mail addresses
    secret: Mapped[str | None] = mapped_column(String(200))  # Telegram bot token; webhook signing key
    events: Mapped[list[str]] = mapped_column(JSON)  # the EventKinds it wants
    digest_interval_s: Mapped[int] = mapped_column(Integer)  # at most one message per interval
    digest_max_items: Mapped[int] = mapped_column(Integer)  # comments shown in one digest
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), default=0
    )  # covered up to here
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class Notification(Base):
    """A message owed to someone until delivered: the site's callback, or an alert to moderators' channel."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("verdict_id", "kind"),
        UniqueConstraint("action_id", "kind"),
        Index("ix_notifications_status_not_before", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # NotificationKind
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE")
    )  # None: about an author
    # What the message is about: an automatic verdict, or a moderator's action (one of the two).
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id", ondelete="CASCADE"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_actions.id", ondelete="CASCADE"))
    # A moderator alert goes to a channel instead of the site's callback URL.
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE"), index=True
    )
    target_url: Mapped[str] = mapped_column(String(2000))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Nobody may try before this: a lease while one worker sends, or the time of the next retry.
    not_before: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(Timestamp)


class DeliveryAttempt(Base):
    """One try at delivering a notification: what came back, or what went wrong."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class WorkerHeartbeat(Base):
    """A worker process's last sign of life, where every web process can read it (/readyz, /metrics)."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # Celery's node name, e.g. moderation@host
    queue: Mapped[str] = mapped_column(String(30))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(Timestamp)
    seen_at: Mapped[datetime] = mapped_column(Timestamp, index=True)
    # The toxicity model the worker scores with (moderation workers): which versions are in use.
    model_name: Mapped[str | None] = mapped_column(String(100))
    model_version: Mapped[str | None] = mapped_column(String(100))
