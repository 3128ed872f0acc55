"""Sites authenticate with a bearer API key; only its SHA-256 is stored."""

import hashlib
import secrets

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Site
from shared.web.errors import ApiError


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


def authenticated_site(session: Session) -> Site:
    """The site whose key the request carries; 401 when there is none or it is wrong."""
    token = _bearer_token()
    if token is None:
        raise ApiError(401, "unauthorized", "Send the site's API key as 'Authorization: Bearer <key>'.")
    site = session.scalar(select(Site).where(Site.api_key_hash == hash_api_key(token)))
    if site is None:
        raise ApiError(401, "unauthorized", "The API key is not valid.")
    return site
