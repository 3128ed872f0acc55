"""Creating sites and issuing their keys (used by `modctl site create`)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.auth import hash_api_key, new_api_key, new_signing_secret
from shared.models import Site


@dataclass(frozen=True)
class IssuedSite:
    site: Site
    api_key: str  # shown once: only its hash is stored


def create_site(session: Session, *, name: str, callback_url: str | None = None, api_key: str | None = None) -> IssuedSite:
    """A new site with a fresh (or the given) API key and signing secret."""
    key = api_key or new_api_key()
    site = Site(name=name, api_key_hash=hash_api_key(key), signing_secret=new_signing_secret(), callback_url=callback_url, policy={})
    session.add(site)
    session.flush()
    return IssuedSite(site, key)


def reissue_api_key(session: Session, site: Site, api_key: str | None = None) -> str:
    """Replace the site's API key; the old one stops working."""
    key = api_key or new_api_key()
    site.api_key_hash = hash_api_key(key)
    return key


def find_site(session: Session, name: str) -> Site | None:
    return session.scalar(select(Site).where(Site.name == name))
