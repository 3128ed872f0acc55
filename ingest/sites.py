"""Creating sites and setting their domain lists (used by modctl); keys and secrets: shared/site_lifecycle.py."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared.db import insert_many_ignoring_conflicts
from shared.domains import normalise_domain
from shared.models import Site, SiteDomainRule
from shared.site_lifecycle import add_api_key, new_signing_secret, record_change
from shared.vocabulary import SiteAction


@dataclass(frozen=True)
class IssuedSite:
    site: Site
    api_key: str  # shown once: only its hash is stored


def create_site(
    session: Session,
    *,
    name: str,
    callback_url: str | None = None,
    api_key: str | None = None,
    actor: str = "modctl",
) -> IssuedSite:
    """A new site with a fresh (or the given) API key and signing secret; an audit row says who made it."""
    site = Site(name=name, signing_secret=new_signing_secret(), callback_url=callback_url, policy={})
    session.add(site)
    session.flush()
    key = add_api_key(session, site, api_key)
    record_change(session, site, SiteAction.CREATE, actor=actor, callback_url=callback_url)
    return IssuedSite(site, key)


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
