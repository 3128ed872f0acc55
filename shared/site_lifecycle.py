"""A site's life after creation: API keys and signing secrets rotated with an overlap, the site
disabled and enabled again, every change an audit row (site_changes).

modctl and the console's admin pages both come here. Functions take the session and never commit.
No secret is ever written to the audit log: a key is named by its hint (its last characters).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from shared.models import Site, SiteApiKey, SiteChange, as_utc, utcnow
from shared.vocabulary import SiteAction

HINT_CHARS = 4


def hash_api_key(key: str) -> str:
    # Keys are 256-bit random tokens, so a plain fast hash is enough (no password stretching).
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key() -> str:
    return "mk_" + secrets.token_urlsafe(32)


def new_signing_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def key_hint(key: str) -> str:
    return "…" + key[-HINT_CHARS:]


def record_change(session: Session, site: Site, action: SiteAction, *, actor: str, **detail: Any) -> SiteChange:
    """One audit row for a change to the site (never with a secret in `detail`)."""
    change = SiteChange(site_id=site.id, actor=actor, action=action, detail=detail, created_at=utcnow())
    session.add(change)
    return change


def add_api_key(session: Session, site: Site, key: str | None = None) -> str:
    """Issue a key for the site (the given one, or a new one); returns it, to be shown once."""
    key = key or new_api_key()
    session.add(SiteApiKey(site_id=site.id, key_hash=hash_api_key(key), hint=key_hint(key), created_at=utcnow()))
    session.flush()
    return key


def _live_keys(session: Session, site: Site, now: datetime) -> list[SiteApiKey]:
    return list(
        session.scalars(
            select(SiteApiKey)
            .where(SiteApiKey.site_id == site.id, or_(SiteApiKey.expires_at.is_(None), SiteApiKey.expires_at > now))
            .order_by(SiteApiKey.id)
        )
    )


@dataclass(frozen=True)
class RotatedKey:
    key: str  # shown once
    old_keys_expire_at: datetime  # the old keys work until then (now, with no grace)


def rotate_api_key(session: Session, site: Site, *, grace_s: float, actor: str, key: str | None = None) -> RotatedKey:
    """A new key at once; every older key keeps working for `grace_s` seconds (0: stops now), never longer
    than it already had."""
    now = utcnow()
    until = now + timedelta(seconds=max(grace_s, 0))
    old = _live_keys(session, site, now)
    for row in old:
        expires = as_utc(row.expires_at)
        row.expires_at = until if expires is None or expires > until else expires
    new_key = add_api_key(session, site, key)
    record_change(
        session,
        site,
        SiteAction.ROTATE_KEY,
        actor=actor,
        new_key=key_hint(new_key),
        old_keys=[row.hint for row in old],
        grace_s=max(grace_s, 0),
    )
    return RotatedKey(new_key, until)


def reissue_api_key(session: Session, site: Site, key: str, *, actor: str) -> str:
    """Make `key` the site's only key, at once (the demo site at every `modctl run`)."""
    existing = session.scalar(select(SiteApiKey).where(SiteApiKey.key_hash == hash_api_key(key)))
    if existing is not None and existing.site_id == site.id:
        now = utcnow()
        session.execute(
            update(SiteApiKey)
            .where(SiteApiKey.site_id == site.id, SiteApiKey.id != existing.id)
            .values(expires_at=func.coalesce(SiteApiKey.expires_at, now))
        )
        existing.expires_at = None
        return key
    return rotate_api_key(session, site, grace_s=0, actor=actor, key=key).key


def rotate_signing_secret(session: Session, site: Site, *, overlap_s: float, actor: str) -> str:
    """A new signing secret at once; callbacks are signed with the old one too for `overlap_s` seconds."""
    secret = new_signing_secret()
    site.previous_signing_secret = site.signing_secret if overlap_s > 0 else None
    site.previous_signing_secret_expires_at = utcnow() + timedelta(seconds=overlap_s) if overlap_s > 0 else None
    site.signing_secret = secret
    record_change(session, site, SiteAction.ROTATE_SECRET, actor=actor, overlap_s=max(overlap_s, 0))
    return secret


def signing_secrets(site: Site, now: datetime | None = None) -> tuple[str, ...]:
    """The secrets a callback is signed with now: the current one, then the previous while it overlaps."""
    expires = as_utc(site.previous_signing_secret_expires_at)
    if site.previous_signing_secret and expires is not None and expires > (now or utcnow()):
        return (site.signing_secret, site.previous_signing_secret)
    return (site.signing_secret,)


def disable_site(session: Session, site: Site, *, actor: str) -> bool:
    """Refuse the site's keys from now on (what it already sent is still moderated); False if it was."""
    if site.disabled_at is not None:
        return False
    site.disabled_at = utcnow()
    record_change(session, site, SiteAction.DISABLE, actor=actor)
    return True


def enable_site(session: Session, site: Site, *, actor: str) -> bool:
    """Accept the site's keys again; False if it was not disabled."""
    if site.disabled_at is None:
        return False
    site.disabled_at = None
    record_change(session, site, SiteAction.ENABLE, actor=actor)
    return True


@dataclass(frozen=True)
class SiteSummary:
    """What an operator sees of a site in `modctl site list` and the console's Sites page."""

    site: Site
    keys: list[SiteApiKey]  # live keys, oldest first
    secret_overlap_until: datetime | None
    last_change: SiteChange | None


def site_summaries(session: Session) -> list[SiteSummary]:
    now = utcnow()
    sites = list(session.scalars(select(Site).order_by(Site.name)))
    latest = dict(
        session.execute(select(SiteChange.site_id, func.max(SiteChange.id)).group_by(SiteChange.site_id)).all()
    )
    changes = {c.site_id: c for c in session.scalars(select(SiteChange).where(SiteChange.id.in_(latest.values())))}
    return [
        SiteSummary(
            site,
            _live_keys(session, site, now),
            as_utc(site.previous_signing_secret_expires_at) if len(signing_secrets(site, now)) > 1 else None,
            changes.get(site.id),
        )
        for site in sites
    ]


def site_changes(session: Session, site_id: int, limit: int = 50) -> list[SiteChange]:
    """The site's audit log, newest first."""
    query = select(SiteChange).where(SiteChange.site_id == site_id).order_by(SiteChange.id.desc()).limit(limit)
    return list(session.scalars(query))
