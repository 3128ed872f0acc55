"""Typed settings read from MOD_* environment variables, once, lazily.

Each field's docstring is its documentation: `modctl settings-doc` writes docs/settings.md from
them, and a test fails when a setting has none or the page is stale.
"""

from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.categories import POLICY_SCORES

DEFAULT_THRESHOLDS = {"review": 0.5, "reject": 0.9}
DOCUMENTED = ConfigDict(use_attribute_docstrings=True)


def _thresholds(value: float) -> dict[str, float]:
    return dict.fromkeys(POLICY_SCORES, value)


class PolicySettings(BaseModel):
    """Default per-category thresholds; a site's own policy overrides them."""

    model_config = DOCUMENTED

    review: dict[str, float] = Field(default_factory=lambda: _thresholds(DEFAULT_THRESHOLDS["review"]))
    """Scores at or above which a comment waits for a human, per category, as JSON: `{"toxicity": 0.6}`
    changes toxicity alone. Above 1 turns a category off."""
    reject: dict[str, float] = Field(default_factory=lambda: _thresholds(DEFAULT_THRESHOLDS["reject"]))
    """Scores at or above which a comment is rejected, per category, as JSON (as `review`)."""

    @field_validator("review", "reject", mode="before")
    @classmethod
    def _fill_unnamed_categories(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        """MOD_POLICY__REVIEW='{"toxicity": 0.6}' changes toxicity alone, not every category."""
        field = info.field_name
        if field is None:  # pydantic names the field to a field validator
            raise TypeError("a field validator without its field's name")
        return {**_thresholds(DEFAULT_THRESHOLDS[field]), **value}


class CallbackSettings(BaseModel):
    """How the site is called back with each decision."""

    model_config = DOCUMENTED

    timeout_s: float = 5.0
    """Seconds one callback POST may take before it counts as failed (and is retried)."""
    retry_for_s: float = 24 * 3600
    """How long a callback is retried after its decision while the site fails (with backoff, at most
    `backoff_max_s` apart); then it is dead until replayed. A site down for hours still gets every
    decision, in order per comment."""
    max_attempts: int | None = None
    """A cap on tries besides `retry_for_s`; empty: no cap."""
    backoff_base_s: float = 2.0
    """The first retry's delay; each next one doubles, with jitter."""
    backoff_max_s: float = 600.0
    """The longest wait between two tries."""


class DetoxifySettings(BaseModel):
    """Detoxify's own files, prepared offline (its weights cannot be downloaded at run time)."""

    model_config = DOCUMENTED

    model_type: str = "multilingual"
    """Detoxify's model: `multilingual` reads Russian; `original` and `unbiased` are English only."""
    checkpoint: str | None = None
    """A local .ckpt holding `config` and `state_dict` (`modctl models fetch` prepares it)."""
    huggingface_config_path: str | None = None
    """A local folder with the transformer's config and tokenizer files."""
    device: str = "cpu"
    """Where the model runs: `cpu`, or `cuda` on a machine with a GPU."""


class TransformersSettings(BaseModel):
    """Any local Hugging Face sequence-classification model, its labels mapped to our categories."""

    model_config = DOCUMENTED

    model_path: str | None = None
    """A local folder holding the model and its tokenizer."""
    label_map: dict[str, str] = Field(default_factory=dict)
    """The model's labels mapped to our categories, as JSON: `{"toxic": "toxicity"}`."""
    device: str = "cpu"
    """Where the model runs: `cpu`, or `cuda` on a machine with a GPU."""


class ToxicitySettings(BaseModel):
    """Which toxicity backend scores comments, and how the worker batches them."""

    model_config = DOCUMENTED

    backend: Literal["embedded", "detoxify", "transformers"] = "embedded"
    """What scores toxicity: the project's own model (`embedded`), Detoxify, or a local Hugging Face model."""
    model_dir: str | None = None
    """The embedded model's folder (`modctl train` writes one); empty: the model in the repository."""
    detoxify: DetoxifySettings = Field(default_factory=DetoxifySettings)
    transformers: TransformersSettings = Field(default_factory=TransformersSettings)
    batch_size: int = 64
    """Comments per model call at most in the moderation worker."""
    batch_interval_s: float = 0.05
    """How long a partial batch may wait for company before it is scored."""


class SpamSettings(BaseModel):
    """Where spam counters live and how far back they look."""

    model_config = DOCUMENTED

    redis_url: str | None = None
    """The Redis that keeps duplicate fingerprints and posting rates, shared by every process that
    scores (moderation workers, and web processes for the Perspective and Akismet APIs). Empty: each
    process counts alone, and says so at start."""
    duplicate_window_s: int = 3600
    """How far back a repeated text counts as a duplicate."""
    rate_window_s: int = 300
    """The window of the per-author and per-IP posting rates."""


class NotifySettings(BaseModel):
    """How moderators are told that comments need them (webhook, Slack, Telegram, e-mail)."""

    model_config = DOCUMENTED

    telegram_api_base: str = "https://api.telegram.org"
    """The Telegram Bot API's address (a proxy's, or a local server in tests)."""
    smtp_host: str = "localhost"
    """The SMTP server e-mail channels send through."""
    smtp_port: int = 25
    """Its port: 25 or 587 (STARTTLS), 465 (TLS from the start)."""
    smtp_username: str | None = None
    """The SMTP login, if the server asks for one."""
    smtp_password: str | None = None
    """The SMTP password (never logged)."""
    smtp_starttls: bool = False
    """Upgrade a plain connection with STARTTLS."""
    smtp_ssl: bool = False
    """Connect with TLS from the start (port 465)."""
    smtp_from: str = "moderation@localhost"
    """The From address of alert e-mails."""
    timeout_s: float = 10.0
    """Seconds one alert may take; one channel's slow server must not hold the others' messages."""
    max_attempts: int | None = 8
    """Tries of one alert before it is dead; empty: no cap (then set `retry_for_s`)."""
    retry_for_s: float | None = None
    """A time limit on an alert's retries besides `max_attempts`; empty: none."""
    backoff_base_s: float = 2.0
    """The first retry's delay; each next one doubles, with jitter."""
    backoff_max_s: float = 600.0
    """The longest wait between two tries."""
    digest_interval_s: int = 300
    """Default for new channels: at most one message per interval; what arrives meanwhile is a digest."""
    digest_max_items: int = 10
    """Default for new channels: comments shown in one digest."""


class ConsoleSettings(BaseModel):
    """The moderators' web console."""

    model_config = DOCUMENTED

    login_rate_limit: str = "10 per minute"
    """Login attempts allowed, failed or not, per client address and per username."""
    rate_limit_storage_uri: str = "memory://"
    """Where the login limiter counts: `memory://` is per web process (enough for `make run`); a
    `redis://` URL when several web processes must share the count."""
    page_size: int = 25
    """Comments per queue page."""
    session_lifetime_h: int = 12
    """Hours a moderator stays logged in."""
    poll_interval_s: float = 5.0
    """How often an open queue asks for new comments."""
    secure_cookies: bool = False
    """Send the console's cookies over HTTPS only: set it behind HTTPS."""
    timezone: str = "UTC"
    """The moderators' clock: times are stored in UTC and shown in this zone (an IANA name such as
    Europe/Moscow)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name like Europe/Moscow") from None
        return value


class Settings(BaseSettings):
    """Every setting of every process; env var MOD_<FIELD>, nested with __."""

    model_config = SettingsConfigDict(
        env_prefix="MOD_", env_nested_delimiter="__", extra="ignore", use_attribute_docstrings=True
    )

    database_url: str = "sqlite:///var/modsys.db"
    """The database: `postgresql+psycopg://user:password@host/db` in production; the embedded default
    is an SQLite file."""
    broker_url: str = "sqla+sqlite:///var/broker.db"
    """The task queues: `redis://host:6379/0` in production; the embedded default keeps them in an
    SQLite file (workers poll it every `broker_polling_interval_s`) and needs no server."""
    broker_polling_interval_s: float = 0.1
    """The embedded broker (an SQLite file) has no way to wake a worker: each worker asks it for new
    tasks this often while idle. Shorter: verdicts sooner, a little more idle work; Redis needs none."""
    broker_visibility_timeout_s: int = 3600
    """Redis redelivers a task that was never acked after this long; longer than any retry countdown."""
    host: str = "127.0.0.1"
    """The address the web process listens on (`0.0.0.0` in a container)."""
    port: int = 8000
    """The web process's port."""
    web_workers: int = 2
    """gunicorn processes. The compatible APIs score in the request, which is CPU-bound, so production
    runs about two single-threaded processes per core (compose: 4 with 1 thread each)."""
    web_threads: int = 4
    """Threads in each gunicorn process (threads of one process wait for each other while scoring)."""
    site_cache_s: float = 5.0
    """How long a process trusts what it read about a site: its API keys, policy, domain rules and
    latest spam model. Changes reach running processes within this (a key never past its expiry);
    0 reads them on every request."""
    public_url: str | None = None
    """How the outside world reaches the API and console (links in moderators' alerts); default
    http://host:port."""
    trusted_proxies: int = 0
    """Reverse proxies in front of the web process that set X-Forwarded-For and X-Forwarded-Proto.
    0 trusts none (anyone could forge them); behind one, the login limit needs 1, or every moderator
    is counted as the proxy's address."""
    max_body_bytes: int = 64 * 1024
    """The largest request body accepted (413 above)."""
    max_text_chars: int = 10_000
    """The longest comment text accepted (422 above)."""
    pending_requeue_after_s: int = 120
    """A comment or message still pending this long after it was queued is queued again by the sweeper."""
    allow_private_targets: bool = False
    """Let site callbacks and webhook/Slack channels go to private, loopback and link-local addresses
    (sites on the same private network, tests). Off: only public addresses, checked when a URL is saved
    and again at each delivery; http(s) URLs only, always."""
    quarantine_after_failures: int = Field(default=3, ge=1)
    """A comment whose scoring failed this many times on its own (not only in a batch) is quarantined: it
    stays pending, shown as such in the console and counted in /metrics, and is not re-sent by the sweeper."""
    sweep_interval_s: float = 30.0
    """How often beat runs the sweeps (stale pending work, alert digests that fell due)."""
    demo_site_key: str | None = None
    """`make run`: the demo site's API key; empty: a new one at every start."""
    demo_moderator_password: str | None = None
    """`make run`: the demo admin's console password; empty: a new one at every start."""
    secret_key: str | None = None
    """Signs console sessions and CSRF tokens. Empty: one is generated once and kept in the database,
    so every web process of an installation shares it without configuration."""
    log_level: str = "INFO"
    """DEBUG, INFO, WARNING or ERROR, for every process."""
    log_format: Literal["text", "json"] = "text"
    """`text`: one readable line per event; `json`: one JSON object per line, for a log collector.
    Secrets are masked in both."""
    worker_heartbeat_s: float = 10.0
    """How often a worker records that it is alive (in the database)."""
    worker_stale_s: float = 60.0
    """/readyz fails when no moderation worker was seen for this long (stopped, hung, or cut off from
    the database); the same span counts workers alive in /metrics."""
    worker_metrics_port: int | None = None
    """A worker serves its own Prometheus /metrics here (verdicts, scoring, deliveries); empty: not
    served. Each container or pod has its own, so compose and Kubernetes use 9100."""
    policy: PolicySettings = Field(default_factory=PolicySettings)
    callback: CallbackSettings = Field(default_factory=CallbackSettings)
    toxicity: ToxicitySettings = Field(default_factory=ToxicitySettings)
    spam: SpamSettings = Field(default_factory=SpamSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings()
