"""Sites authenticate with a bearer API key; only its SHA-256 is stored."""

import hashlib
import secrets
import time

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Site
from shared.web.errors import ApiError

KEY_CACHE_S = 30.0
_known_keys: dict[str, tuple[int, float]] = {}  # key hash -> (site id, remembered until), valid keys only


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


def site_for_key(session: Session, key: str) -> Site | None:
    """The site this API key belongs to, however the request carried it (header, query, form)."""
    return session.scalar(select(Site).where(Site.api_key_hash == hash_api_key(key.strip()))) if key.strip() else None


def authenticated_site(session: Session) -> Site:
    """The site whose key the request carries; 401 when there is none or it is wrong."""
    site = site_for_key(session, _required_token())
    if site is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    return site


def authenticated_site_id(session: Session) -> int:
    """The id of the site whose key the request carries, for the comment-posting hot path.

    A valid key is remembered in this process for KEY_CACHE_S, so posting a comment makes no query
    for it (that lookup was a quarter of a POST's time); a reissued key keeps working that long.
    """
    key_hash, now = hash_api_key(_required_token()), time.monotonic()
    remembered = _known_keys.get(key_hash)
    if remembered is not None and remembered[1] > now:
        return remembered[0]
    site_id = session.scalar(select(Site.id).where(Site.api_key_hash == key_hash))
    if site_id is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    _known_keys[key_hash] = (site_id, now + KEY_CACHE_S)  # one dict assignment: safe across threads
    return site_id
