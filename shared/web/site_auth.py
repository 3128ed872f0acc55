"""Sites authenticate with a bearer API key; only its SHA-256 is stored."""

import hashlib
import secrets
import time

from flask import current_app, request
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached

from shared.models import Site
from shared.web.errors import ApiError

# key hash -> (a detached copy of its site, remembered until), valid keys only: the hot paths
# (posting a comment, the compatible APIs) then make no query for the key. Reading it costs as
# much as the rest of a POST /v1/comments.
_known_keys: dict[str, tuple[Site, float]] = {}


def hash_api_key(key: str) -> str:
    # Keys are 256-bit random tokens, so a plain fast hash is enough (no password stretching).
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key() -> str:
    return "mk_" + secrets.token_urlsafe(32)


def new_signing_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


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


def site_for_key(session: Session, key: str) -> Site | None:
    """The site this API key belongs to, however the request carried it (header, query, form).

    A valid key's site is remembered in this process for `site_cache_s` (a reissued key keeps
    working, and a policy change waits, that long) and merged into the session without a query.
    """
    if not key.strip():
        return None
    key_hash, now = hash_api_key(key.strip()), time.monotonic()
    remembered = _known_keys.get(key_hash)
    if remembered is not None and remembered[1] > now:
        return session.merge(remembered[0], load=False)
    site = session.scalar(select(Site).where(Site.api_key_hash == key_hash))
    cache_s = current_app.config["SETTINGS"].site_cache_s
    if site is not None and cache_s > 0:
        _known_keys[key_hash] = (_snapshot(site), now + cache_s)  # one dict assignment: safe across threads
    return site


def authenticated_site(session: Session) -> Site:
    """The site whose key the request carries; 401 when there is none or it is wrong."""
    site = site_for_key(session, _required_token())
    if site is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    return site


def authenticated_site_id(session: Session) -> int:
    """The id of the site whose key the request carries (remembered, as in site_for_key)."""
    return authenticated_site(session).id
