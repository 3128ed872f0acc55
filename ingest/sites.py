"""Creating sites, issuing their keys and setting their domain lists (used by modctl)."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db import insert_many_ignoring_conflicts
from shared.domains import normalise_domain
from shared.models import Site, SiteDomainRule
from shared.web.site_auth import hash_api_key, new_api_key, new_signing_secret


@dataclass(frozen=True)
class IssuedSite:
    site: Site
    api_key: str  # shown once: only its hash is stored


def create_site(
    session: Session, *, name: str, callback_url: str | None = None, api_key: str | None = None
) -> IssuedSite:
    """A new site with a fresh (or the given) API key and signing secret."""
    key = api_key or new_api_key()
    site = Site(
        name=name,
        api_key_hash=hash_api_key(key),
        signing_secret=new_signing_secret(),
        callback_url=callback_url,
        policy={},
    )
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


def set_domain_rules(session: Session, site: Site, rule: str, domains: Iterable[str]) -> None:
    """Allow or block domains for the site; a domain has one rule, the latest given. Stored normalised
    ("https://www.Kazino.ru/" is kazino.ru), so rules written two ways are one rule."""
    names = {name for name in map(normalise_domain, domains) if name}
    session.execute(delete(SiteDomainRule).where(SiteDomainRule.site_id == site.id, SiteDomainRule.domain.in_(names)))
    insert_many_ignoring_conflicts(
        session, SiteDomainRule, [{"site_id": site.id, "domain": d, "rule": rule} for d in sorted(names)]
    )
