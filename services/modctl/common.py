"""What several modctl command groups share: the settings, the --data option, finding a site by name."""

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the commands import what they need when they run, so `modctl --help` stays quick
    from sqlalchemy.orm import Session

    from shared.models import Site

DATA_OPTION = click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with columns text,label (1 = toxic).",
)


def site_named(session: "Session", name: str) -> "Site":
    """The site called `name`, or a usage error."""
    from ingest.sites import find_site

    found = find_site(session, name)
    if found is None:
        raise click.UsageError(f"no site named {name!r}")
    return found


def sites_named(session: "Session", names: tuple[str, ...]) -> list["Site"]:
    """The named sites, or a usage error naming the unknown ones."""
    from ingest.sites import find_site

    sites = [find_site(session, name) for name in names]
    unknown = [name for name, site in zip(names, sites, strict=True) if site is None]
    if unknown:
        raise click.UsageError(f"no site named {', '.join(unknown)}")
    return [site for site in sites if site is not None]
