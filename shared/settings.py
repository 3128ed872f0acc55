"""Typed settings read from MOD_* environment variables, once, lazily."""

from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.categories import POLICY_SCORES

DEFAULT_THRESHOLDS = {"review": 0.5, "reject": 0.9}


def _thresholds(value: float) -> dict[str, float]:
    return dict.fromkeys(POLICY_SCORES, value)


class PolicySettings(BaseModel):
    """Default per-category thresholds; a site's own policy overrides them."""

    review: dict[str, float] = Field(default_factory=lambda: _thresholds(DEFAULT_THRESHOLDS["review"]))
    reject: dict[str, float] = Field(default_factory=lambda: _thresholds(DEFAULT_THRESHOLDS["reject"]))

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

    timeout_s: float = 5.0
    # A site that is down gets its callbacks when it is back, for this long after each decision
    # (retried with backoff, capped at backoff_max_s apart); then the callback is dead.
    retry_for_s: float = 24 * 3600
    max_attempts: int | None = None  # a cap on tries besides retry_for_s; None: no cap
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0


class DetoxifySettings(BaseModel):
    """Detoxify's own files, prepared offline (its weights cannot be downloaded at run time)."""

    model_type: str = "multilingual"
    checkpoint: str | None = None  # a local .ckpt holding `config` and `state_dict`
    huggingface_config_path: str | None = None  # a local folder: transformer config + tokenizer
    device: str = "cpu"


class TransformersSettings(BaseModel):
    """Any local Hugging Face sequence-classification model, its labels mapped to our categories."""

    model_path: str | None = None
    label_map: dict[str, str] = Field(default_factory=dict)  # model label -> category, e.g. {"toxic": "toxicity"}
    device: str = "cpu"


class ToxicitySettings(BaseModel):
    """Which toxicity backend scores comments, and how the worker batches them."""

    backend: Literal["embedded", "detoxify", "transformers"] = "embedded"
    model_dir: str | None = None  # embedded: None means the model committed in moderation/scoring/model
    detoxify: DetoxifySettings = Field(default_factory=DetoxifySettings)
    transformers: TransformersSettings = Field(default_factory=TransformersSettings)
    batch_size: int = 64  # comments per model call at most
    batch_interval_s: float = 0.05  # how long a partial batch may wait for company


class SpamSettings(BaseModel):
    """Where spam counters live and how far back they look."""

    # None: counters inside the worker process, enough for one worker (make run); set a Redis URL
    # when several workers must see each other's duplicates and rates.
    redis_url: str | None = None
    duplicate_window_s: int = 3600
    rate_window_s: int = 300


class NotifySettings(BaseModel):
    """How moderators are told that comments need them (webhook, Slack, Telegram, e-mail)."""

    telegram_api_base: str = "https://api.telegram.org"  # tests point it at a local server
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False  # upgrade a plain connection with STARTTLS
    smtp_ssl: bool = False  # connect with TLS from the start (port 465)
    smtp_from: str = "moderation@localhost"
    timeout_s: float = 10.0  # one channel's slow server must not hold the others' messages
    max_attempts: int | None = 8
    retry_for_s: float | None = None  # a time limit on retries besides max_attempts; None: none
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0
    digest_interval_s: int = 300  # default for new channels: at most one message per interval
    digest_max_items: int = 10  # default for new channels: comments shown in one digest


class ConsoleSettings(BaseModel):
    """The moderators' web console."""

    login_rate_limit: str = "10 per minute"  # failed or not, per client address and per username
    # Where the login limiter counts: memory:// is per web process (enough for `make run`);
    # set a redis:// URL when several web processes must share the count.
    rate_limit_storage_uri: str = "memory://"
    page_size: int = 25
    session_lifetime_h: int = 12
    poll_interval_s: float = 5.0  # how often an open queue asks for new comments
    secure_cookies: bool = False  # set True behind HTTPS
    # The moderators' clock: times are stored in UTC and shown in this zone (an IANA name).
    timezone: str = "UTC"

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

    model_config = SettingsConfigDict(env_prefix="MOD_", env_nested_delimiter="__", extra="ignore")

    database_url: str = "sqlite:///var/modsys.db"
    # The embedded default needs no server: kombu keeps the queues in an SQLite file.
    broker_url: str = "sqla+sqlite:///var/broker.db"
    # Redis redelivers a task that was never acked after this long; longer than any retry countdown.
    broker_visibility_timeout_s: int = 3600
    host: str = "127.0.0.1"
    port: int = 8000
    # gunicorn processes and threads in each. The compatible APIs score in the request, which is
    # CPU-bound: threads of one process then wait for each other (the GIL), so production runs about
    # two single-threaded processes per core (compose.yaml); the embedded default stays small.
    web_workers: int = 2
    web_threads: int = 4
    # How long a process trusts what it read about a site: its API key, policy, domain rules and
    # latest spam model. Changes reach running processes within this; 0 reads them on every request.
    site_cache_s: float = 5.0
    public_url: str | None = None  # how the outside world reaches the API; default http://host:port
    # Reverse proxies in front of the web process that set X-Forwarded-For and X-Forwarded-Proto.
    # 0 trusts none (anyone could forge them); behind one, the login limit needs 1, or every
    # moderator is counted as the proxy's address.
    trusted_proxies: int = 0
    max_body_bytes: int = 64 * 1024
    max_text_chars: int = 10_000
    pending_requeue_after_s: int = 120
    sweep_interval_s: float = 30.0
    demo_site_key: str | None = None
    # Signs console sessions and CSRF tokens. None: one is generated once and kept in the database,
    # so every web process of an installation shares it without configuration.
    secret_key: str | None = None
    log_level: str = "INFO"
    # text: one readable line per event; json: one JSON object per line, for a log collector.
    log_format: Literal["text", "json"] = "text"
    # Workers record a heartbeat this often; /readyz fails when no moderation worker was seen for
    # worker_stale_s (it has stopped, or cannot reach the database).
    worker_heartbeat_s: float = 10.0
    worker_stale_s: float = 60.0
    # A worker serves its own Prometheus /metrics on this port (verdicts, scoring, deliveries);
    # None: not served. Each worker container or pod has its own, so compose and Kubernetes use 9100.
    worker_metrics_port: int | None = None
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
