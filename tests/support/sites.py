"""Creating a site the way `modctl site create` does, and keeping its one-time credentials."""

from dataclasses import dataclass

from ingest.sites import create_site
from shared.db import session_scope


@dataclass(frozen=True)
class SiteCredentials:
    id: int
    name: str
    api_key: str
    signing_secret: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def make_site(
    database_url: str, *, name: str, callback_url: str | None = None, policy: dict | None = None
) -> SiteCredentials:
    with session_scope(database_url) as session:
        issued = create_site(session, name=name, callback_url=callback_url)
        issued.site.policy = policy or {}
        return SiteCredentials(issued.site.id, name, issued.api_key, issued.site.signing_secret)
