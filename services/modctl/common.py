"""What several modctl command groups share: the settings, the --data option, finding a site by name."""

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

if TYPE_CHECKING:  # the commands import what they need when they run, so `modctl --help` stays quick
    from sqlalchemy.orm import Session

    from shared.models import Site
    from shared.settings import Settings

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


class Duration(click.ParamType):
    """A span of time as an operator writes it: 90s, 30m, 24h, 7d, or plain seconds; 0 is none."""

    name = "duration"
    UNITS: ClassVar[dict[str, int]] = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip().lower()
        number, unit = (text[:-1], text[-1]) if text and text[-1] in self.UNITS else (text, "s")
        try:
            seconds = float(number) * self.UNITS[unit]
        except ValueError:
            self.fail(f"{value!r}: write a number with s, m, h or d, e.g. 24h", param, ctx)
        if seconds < 0:
            self.fail(f"{value!r}: a duration cannot be negative", param, ctx)
        return seconds


DURATION = Duration()


def operator_actor() -> str:
    """Who the audit log names for a modctl command: the operating-system user running it."""
    import getpass

    try:
        return f"modctl:{getpass.getuser()}"
    except (KeyError, OSError):  # a container's user may have no name
        return "modctl"


def checked_target(url: str, settings: "Settings") -> None:
    """A callback or webhook URL the service will send to (http(s), public unless allowed), or a usage error."""
    from shared.targets import TargetRefusedError, check_target

    try:
        check_target(url, allow_private=settings.allow_private_targets)
    except TargetRefusedError as exc:
        raise click.UsageError(str(exc)) from None
