"""What the news site may send, validated by pydantic; unknown fields are refused."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    IPvAnyAddress,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from shared.vocabulary import ReportReason, SpamLabel

Id = Annotated[str, Field(min_length=1, max_length=200)]
# pydantic's own name for this format ("ipvanyaddress") is unknown to OpenAPI tools.
IpAddress = Annotated[
    IPvAnyAddress,
    WithJsonSchema({"anyOf": [{"type": "string", "format": "ipv4"}, {"type": "string", "format": "ipv6"}]}),
]


def _timestamp_text(value: object) -> object:
    # pydantic would read a number as Unix time; the API documents (and sites send) ISO 8601 text.
    if value is not None and not isinstance(value, str):
        raise ValueError("must be an ISO 8601 timestamp, e.g. 2024-11-15T12:00:00+03:00")
    return value


def _ip_text(value: object) -> object:
    # pydantic would read a number as an IPv4 address; the API documents dotted or colon text.
    if value is not None and not isinstance(value, str):
        raise ValueError("must be an IPv4 or IPv6 address as text")
    return value


# What a comment's or an account's time may be: years 1970 to 2999 as written. Well inside what both
# databases and Python read back: "9999-12-31T23:59:59-14:00" is year 10000 in UTC, which PostgreSQL
# stored and psycopg could not return, so every later read of the row (and of its worker batch) failed.
YEARS = range(1970, 3000)
Timestamp = Annotated[
    datetime,
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": "^(19[7-9][0-9]|2[0-9]{3})-"}),
]


def _as_utc(value: datetime | None) -> datetime | None:
    # Sites often send local-less timestamps; they are read as UTC rather than refused.
    if value is None:
        return value
    if value.year not in YEARS:
        raise ValueError(f"must be in the years {YEARS.start} to {YEARS.stop - 1}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


MAX_IP_CHARS = 45  # the column: the longest IPv6 text, without a zone id ("fe80::1%eth0")


def _ip_fits(value: object) -> object:
    if value is not None and len(str(value)) > MAX_IP_CHARS:
        raise ValueError(f"must be at most {MAX_IP_CHARS} characters (an IPv6 zone id makes it {len(str(value))})")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ArticleIn(Strict):
    id: Id
    # Checked after normalisation, which may add a "/": the document promises one character less.
    url: Annotated[
        HttpUrl,
        Field(max_length=2000),
        WithJsonSchema({"type": "string", "format": "uri", "minLength": 1, "maxLength": 1999}),
    ]
    title: Annotated[str, Field(max_length=1000)] | None = None


class AuthorIn(Strict):
    id: Id
    name: Annotated[str, Field(min_length=1, max_length=200)]
    ip: IpAddress | None = None
    user_agent: Annotated[str, Field(max_length=1000)] | None = None
    registered_at: Timestamp | None = None

    _text = field_validator("registered_at", mode="before")(_timestamp_text)
    _ip = field_validator("ip", mode="before")(_ip_text)
    _ip_length = field_validator("ip")(_ip_fits)
    _utc = field_validator("registered_at")(_as_utc)


class CommentIn(Strict):
    external_id: Id
    article: ArticleIn
    author: AuthorIn
    # Checked by text_fits (not blank, within MOD_MAX_TEXT_CHARS); the document states the defaults.
    text: Annotated[str, Field(json_schema_extra={"minLength": 1, "maxLength": 10_000, "pattern": "\\S"})]
    parent_external_id: Id | None = None
    posted_at: Timestamp | None = None

    _text = field_validator("posted_at", mode="before")(_timestamp_text)
    _utc = field_validator("posted_at")(_as_utc)

    @field_validator("text")
    @classmethod
    def text_fits(cls, text: str, info: ValidationInfo) -> str:
        """Not blank, and no longer than the configured maximum (passed in the context)."""
        if not text.strip():
            raise ValueError("must not be empty")
        limit = (info.context or {}).get("max_text_chars")
        if limit and len(text) > limit:
            raise ValueError(f"must be at most {limit} characters (got {len(text)})")
        return text


class FeedbackIn(Strict):
    """The site's verdict on a comment, e.g. after its readers reported it (Akismet's submit-spam/ham)."""

    label: SpamLabel


class ReportIn(Strict):
    """A reader of the site reports a comment; the site passes it on."""

    reporter_id: Id  # the reader's id at the site: one report per reader and comment counts
    reason: ReportReason = ReportReason.OTHER
    note: Annotated[str, Field(max_length=2000)] | None = None
