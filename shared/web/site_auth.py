"""Sites authenticate with a bearer API key; only its SHA-256 is stored (shared/site_lifecycle.py)."""

import time
from datetime import datetime

from flask import current_app, g, request
from sqlalchemy import inspect, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from shared.models import Site, SiteApiKey, as_utc, utcnow
from shared.site_lifecycle import hash_api_key
from shared.web.errors import ApiError

# key hash -> (a detached copy of its site, remembered until), valid keys only: the hot paths
# (posting a comment, the compatible APIs) then make no query for the key. Reading it costs as
# much as the rest of a POST /v1/comments. A key in its grace period is remembered no longer
# than it lives.
_known_keys: dict[str, tuple[Site, float]] = {}


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _required_token() -> str:
    token = _bearer_token()
    if token is None:
        raise ApiError(401, "unauthorized", "Send the site's API key as 'Authorization: Bearer <key>'.")
    return token


def _snapshot(site: Site) -> Site:
    """A copy of the site's columns that belongs to no session, to merge into later ones."""
    copy = Site(**{column.key: getattr(site, column.key) for column in inspect(Site).column_attrs})
    make_transient_to_detached(copy)
    return copy


def _key_owner(session: Session, key_hash: str) -> tuple[Site, datetime | None] | None:
    """The site of a live key (disabled or not) and when the key expires."""
    row = session.execute(
        select(Site, SiteApiKey.expires_at)
        .join(SiteApiKey, SiteApiKey.site_id == Site.id)
        .where(
            SiteApiKey.key_hash == key_hash,
            or_(SiteApiKey.expires_at.is_(None), SiteApiKey.expires_at > utcnow()),
        )
    ).first()
    return None if row is None else (row[0], as_utc(row[1]))


def _remembered(key: str) -> Site | None:
    """The detached copy of the key's site, while this process still trusts it."""
    remembered = _known_keys.get(hash_api_key(key.strip())) if key.strip() else None
    return remembered[0] if remembered is not None and remembered[1] > time.monotonic() else None


def _site_of_key(session: Session, key: str) -> Site | None:
    """The site whose live key this is, disabled or not, remembered for `site_cache_s`."""
    if not key.strip():
        return None
    key_hash, now = hash_api_key(key.strip()), time.monotonic()
    remembered = _known_keys.get(key_hash)
    if remembered is not None and remembered[1] > now:
        return session.merge(remembered[0], load=False)
    found = _key_owner(session, key_hash)
    if found is None:
        return None
    site, expires_at = found
    cache_s = current_app.config["SETTINGS"].site_cache_s
    if expires_at is not None:
        cache_s = min(cache_s, (expires_at - utcnow()).total_seconds())
    if cache_s > 0:
        _known_keys[key_hash] = (_snapshot(site), now + cache_s)  # one dict assignment: safe across threads
    return site


def site_for_key(session: Session, key: str) -> Site | None:
    """The enabled site this API key belongs to, however the request carried it (header, query, form).

    A valid key's site is remembered in this process for `site_cache_s` (so a rotated-out key, a
    disabled site or a policy change take effect that long after, never past a key's expiry) and
    merged into the session without a query.
    """
    site = _site_of_key(session, key)
    if site is None or site.disabled_at is not None:
        return None
    g.site_name = site.name  # for the access log
    return site


def _enabled(site: Site | None) -> Site:
    if site is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    g.site_name = site.name  # for the access log
    if site.disabled_at is not None:
        raise ApiError(403, "site_disabled", "This site is disabled; an operator can enable it again.")
    return site


def authenticated_site(session: Session) -> Site:
    """The site whose key the request carries; 401 when there is none or it is wrong."""
    return _enabled(_site_of_key(session, _required_token()))


def authenticated_site_id(session: Session) -> int:
    """The id of the site whose key the request carries (remembered, as in site_for_key). A
    remembered site is read from its copy, not merged into the session: a POST needs only its id."""
    token = _required_token()
    remembered = _remembered(token)
    return _enabled(remembered if remembered is not None else _site_of_key(session, token)).id
