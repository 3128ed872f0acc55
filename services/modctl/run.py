"""modctl migrate / serve-api / worker / beat / run: the processes compose runs, and everything at once."""

import os
from pathlib import Path

import click

from services import processes
from shared import task_names
from shared.settings import get_settings


@click.command()
def migrate() -> None:
    """Create or upgrade the database schema (alembic upgrade head)."""
    from shared.migrate import upgrade

    upgrade(get_settings().database_url)
    click.echo("database is at the latest schema")


def _exec(command: list[str]) -> None:
    os.execv(command[0], command)  # the process becomes the server: signals reach it directly


@click.command("serve-api")
def serve_api() -> None:
    """Run the ingest API under gunicorn (MOD_HOST, MOD_PORT, MOD_WEB_WORKERS)."""
    _exec(processes.web_command())


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("queue", type=click.Choice([task_names.MODERATION_QUEUE, task_names.NOTIFY_QUEUE]))
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(queue: str, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker for QUEUE; extra arguments go to `celery worker` (e.g. --concurrency 4)."""
    os.environ.update(processes.worker_metrics_env())
    _exec(processes.worker_command(queue, celery_args))


@click.command()
@click.option("--schedule-file", default="/tmp/celerybeat-schedule", show_default=True)
def beat(schedule_file: str) -> None:
    """Run the scheduler that sends the periodic sweeps (one per deployment)."""
    _exec(processes.beat_command(schedule_file))


@click.command()
def run() -> None:
    """Run everything on this machine with no servers: migrate, demo site, API and workers.

    The database and broker are SQLite files under ./var unless MOD_DATABASE_URL / MOD_BROKER_URL say otherwise.
    """
    from services.embedded import run_embedded

    raise SystemExit(run_embedded(get_settings(), Path("var")))


@click.command("settings-doc")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
def settings_doc(output: Path | None) -> None:
    """Print (or write) the reference of every MOD_* setting, from shared/settings.py's docstrings."""
    from services.settings_reference import settings_reference

    page = settings_reference()
    if output is None:
        click.echo(page, nl=False)
    else:
        output.write_text(page, encoding="utf-8")
        click.echo(f"wrote {output}")
