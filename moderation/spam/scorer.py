"""The spam score: text and context signals plus the site's learnt model, as one probability."""

import logging
import math
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import redis
import scipy.sparse as sp
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.spam.classifier import SpamModel
from moderation.spam.context import ContextSignals
from moderation.spam.fingerprint import DuplicateIndex, KnownSpam
from moderation.spam.prior import SpamPrior, shipped_prior
from moderation.spam.rates import RateCounter
from moderation.spam.signals import Signal, signal, text_signals
from shared.authors import author_history
from shared.models import Comment, SiteDomainRule, SpamModelVersion
from shared.reasons import Reason, ReasonCode, SpamSignalCode, phrase
from shared.settings import Settings, SpamSettings
from shared.vocabulary import DomainRule

# Log-odds of spam before any signal: about 5%, so one strong signal alone is doubtful (review)
# and several together are blatant (reject).
PRIOR_LOGIT = -3.0
DomainRules = tuple[frozenset[str], frozenset[str]]
# The prior's log-odds are shown to moderators as a reason when they say this much either way.
SHOW_PRIOR_FROM = 1.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpamResult:
    score: float
    signals: list[Signal]
    model_version: int | None


def spam_reasons(result: SpamResult) -> list[Reason]:
    """The signals as verdict reasons, strongest first."""
    return [
        Reason(
            code=ReasonCode.SPAM_SIGNAL,
            signal=s.code,
            weight=round(s.weight, 2),
            message=s.message,
            phrases=s.phrases,
            details=s.details,
        )
        for s in sorted(result.signals, key=lambda s: -abs(s.weight))
    ]


def _domain_rules(session: Session, site_ids: set[int]) -> dict[int, DomainRules]:
    rules: dict[int, tuple[set[str], set[str]]] = {site_id: (set(), set()) for site_id in site_ids}
    for site_id, domain, rule in session.execute(
        select(SiteDomainRule.site_id, SiteDomainRule.domain, SiteDomainRule.rule).where(
            SiteDomainRule.site_id.in_(site_ids)
        )
    ):
        rules[site_id][0 if rule == DomainRule.ALLOW else 1].add(domain)
    return {site_id: (frozenset(allow), frozenset(block)) for site_id, (allow, block) in rules.items()}


def _latest_versions(session: Session, site_ids: set[int]) -> dict[int, int]:
    return dict(
        session.execute(
            select(SpamModelVersion.site_id, func.max(SpamModelVersion.version))
            .where(SpamModelVersion.site_id.in_(site_ids))
            .group_by(SpamModelVersion.site_id)
        ).all()
    )


@dataclass(frozen=True)
class _SiteState:
    """What the scorer read about a site, and until when it trusts it."""

    rules: DomainRules
    model_version: int | None
    until: float


_EXPIRED = _SiteState((frozenset(), frozenset()), None, float("-inf"))


class SpamScorer:
    """Scores a batch of comments; one per process, its site models cached by version.

    A site's domain rules and latest model version are read at most once per `site_cache_s`:
    the synchronous APIs score one comment per request, and two queries per comment were a
    fifth of its cost. A new rule or model therefore takes effect within that time.
    """

    def __init__(
        self,
        client: redis.Redis,
        settings: SpamSettings,
        *,
        site_cache_s: float = 0.0,
        prior: SpamPrior | None = None,
    ) -> None:
        self.known = KnownSpam(client)
        self.context = ContextSignals(
            DuplicateIndex(client, window_s=settings.duplicate_window_s),
            RateCounter(client),
            duplicate_window_s=settings.duplicate_window_s,
            rate_window_s=settings.rate_window_s,
            known=self.known,
        )
        self.prior = prior if prior is not None else shipped_prior()
        self.site_cache_s = site_cache_s
        self._models: dict[int, tuple[int, SpamModel]] = {}  # site -> (version, model): the latest only
        self._sites: dict[int, _SiteState] = {}

    def _site_states(self, session: Session, site_ids: set[int]) -> dict[int, _SiteState]:
        now = time.monotonic()
        stale = {site_id for site_id in site_ids if self._sites.get(site_id, _EXPIRED).until <= now}
        if stale:
            rules, versions = _domain_rules(session, stale), _latest_versions(session, stale)
            for site_id in stale:  # one dict assignment each: safe across a web process's threads
                self._sites[site_id] = _SiteState(rules[site_id], versions.get(site_id), now + self.site_cache_s)
        return {site_id: self._sites[site_id] for site_id in site_ids}

    def _site_models(self, session: Session, latest: dict[int, int]) -> dict[int, SpamModel]:
        """Each site's latest model; only a version this process has not seen is read from the database."""
        models = {}
        for site_id, version in latest.items():
            known = self._models.get(site_id)
            if known is None or known[0] != version:
                weights = session.execute(
                    select(SpamModelVersion.weights).where(
                        SpamModelVersion.site_id == site_id, SpamModelVersion.version == version
                    )
                ).scalar_one()  # `latest` was read from these rows, which are never deleted
                known = self._models[site_id] = (version, SpamModel.from_bytes(weights))
            models[site_id] = known[1]
        return models

    def score(
        self,
        session: Session,
        comments: Sequence[Comment],
        *,
        record: bool = True,
        unknown_authors: Collection[tuple[int, str]] = (),
        reported: Mapping[Comment, Sequence[Signal]] | None = None,
    ) -> list[SpamResult]:
        """One result per comment, in order; records each in the duplicate and rate counters unless
        record=False (a comment scored but not stored: Perspective's doNotStore, Akismet's is_test).
        `unknown_authors` (site, author) were made up for these comments: no history is looked up.
        `reported`: signals the client saw and the comment cannot show (a filled honeypot), by comment."""
        if not comments:
            return []
        states = self._site_states(session, {c.site_id for c in comments})
        models = self._site_models(
            session, {s: st.model_version for s, st in states.items() if st.model_version is not None}
        )
        history = author_history(session, comments, unknown_authors)
        context = self.context.for_batch(comments, history, record=record)
        signals = [
            text_signals(c.text, allowed_domains=states[c.site_id].rules[0], blocked_domains=states[c.site_id].rules[1])
            + found
            + list((reported or {}).get(c, ()))
            for c, found in zip(comments, context, strict=True)
        ]
        # One feature matrix for the shipped prior and every site's model: they read the same features.
        x = self.prior.features.features([c.text for c in comments], [[s.code for s in sig] for sig in signals])
        prior = self.prior.logits_of(x)
        learnt = _learnt_logits(models, comments, x)
        return [
            SpamResult(
                _sigmoid(PRIOR_LOGIT + sum(s.weight for s in sig) + float(p) + model_logit),
                sig + _prior_shown(float(p)),
                states[c.site_id].model_version,
            )
            for c, sig, p, model_logit in zip(comments, signals, prior, learnt, strict=True)
        ]

    def remember_spam(self, items: Sequence[tuple[int, int, str, float]]) -> int:
        """Remember rejected spam (site_id, comment_id, text, time) so that reworded copies are found."""
        return self.known.remember(items)


def _prior_shown(logit: float) -> list[Signal]:
    """The prior's log-odds as a reason, when it says much (the score adds them whether shown or not)."""
    if abs(logit) < SHOW_PRIOR_FROM:
        return []
    words = phrase("the shipped spam model: %(logit)+.1f", logit=round(logit, 1))
    return [signal(SpamSignalCode.SPAM_MODEL, round(logit, 2), words, details={"logit": round(logit, 2)})]


def _learnt_logits(models: dict[int, SpamModel], comments: Sequence[Comment], x: sp.csr_matrix) -> list[float]:
    """Each site's model on its own comments' feature rows; 0 where a site has no model yet."""
    learnt = [0.0] * len(comments)
    for site_id, model in models.items():
        mine = [i for i, c in enumerate(comments) if c.site_id == site_id]
        values = model.logits_of(x[mine])
        for i, value in zip(mine, values, strict=True):
            learnt[i] = float(value)
    return learnt


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@cache
def _build(settings_json: str, site_cache_s: float) -> SpamScorer:
    settings = SpamSettings.model_validate_json(settings_json)
    if settings.redis_url:
        return SpamScorer(redis.Redis.from_url(settings.redis_url), settings, site_cache_s=site_cache_s)
    import fakeredis  # an in-process Redis: the counters of this process alone

    log.warning(
        "MOD_SPAM__REDIS_URL is not set: this process counts duplicates and posting rates on its own, so "
        "repeats spread over several processes (web processes scoring Perspective and Akismet requests, "
        "moderation workers) are not counted together; set it to one Redis URL for every process that scores"
    )
    return SpamScorer(fakeredis.FakeRedis(), settings, site_cache_s=site_cache_s)


def get_spam_scorer(settings: Settings) -> SpamScorer:
    """The process's spam scorer: Redis when configured, else counters inside this process."""
    return _build(settings.spam.model_dump_json(), settings.site_cache_s)
