"""modctl: the operator's command line for everything the service does."""

import json
import os
from pathlib import Path

import click

from services import processes
from shared.settings import get_settings


DATA_OPTION = click.option("--data", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                           help="CSV with columns text,label (1 = toxic).")


@click.group()
def cli() -> None:
    """Operate the comment moderation service. Settings come from MOD_* environment variables."""


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (alembic upgrade head)."""
    from shared.migrate import upgrade

    upgrade(get_settings().database_url)
    click.echo("database is at the latest schema")


@cli.group()
def site() -> None:
    """Manage the news sites that post comments."""


@site.command("create")
@click.option("--name", required=True, help="A short unique name, e.g. luki.")
@click.option("--callback-url", help="Where decisions are POSTed (signed), e.g. https://site/hooks/moderation.")
def site_create(name: str, callback_url: str | None) -> None:
    """Create a site; prints its API key and signing secret once (only a hash of the key is kept)."""
    from ingest.sites import create_site
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        issued = create_site(session, name=name, callback_url=callback_url)
        secret = issued.site.signing_secret
    click.echo(f"site:            {name}\napi key:         {issued.api_key}\nsigning secret:  {secret}")
    click.echo("Store both now: the API key cannot be shown again.")


@cli.command()
@DATA_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the model files (default: the committed model's folder).")
def train(data: Path, out: Path | None) -> None:
    """Train the embedded toxicity model from labelled comments and report cross-validated figures."""
    from moderation.scoring.embedded import DEFAULT_MODEL_DIR
    from moderation.training import train_toxicity_model

    metrics = train_toxicity_model(data, out or DEFAULT_MODEL_DIR)
    click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))


@cli.command("eval")
@DATA_OPTION
@click.option("--worst", default=10, show_default=True, help="How many worst false positives/negatives to show.")
def eval_(data: Path, worst: int) -> None:
    """Measure the configured toxicity scorer on labelled comments: ROC-AUC, P/R/F1 at the policy thresholds."""
    from moderation.evaluation import evaluate, format_quality_report
    from moderation.scorers import get_scorer
    from moderation.training import read_pairs

    settings = get_settings()
    report = evaluate(get_scorer(settings.toxicity), read_pairs(data), worst=worst,
                      review_threshold=settings.policy.review["toxicity"],
                      reject_threshold=settings.policy.reject["toxicity"])
    click.echo(format_quality_report(report))


@cli.command("bench-speed")
@DATA_OPTION
@click.option("--batch", default=64, show_default=True)
def bench_speed(data: Path, batch: int) -> None:
    """Measure the configured toxicity scorer: load time, comments/s one by one and batched, memory."""
    from moderation.evaluation import format_speed_report, speed_report
    from moderation.scorers import get_scorer
    from moderation.training import read_pairs

    texts = [text for text, _ in read_pairs(data)]
    click.echo(format_speed_report(speed_report(lambda: get_scorer(get_settings().toxicity), texts, batch=batch)))


@cli.command("bench-pipeline")
@click.option("--comments", default=2000, show_default=True, help="Backlog size for the drain measurement.")
@click.option("--rate", default=200.0, show_default=True, help="Comments/s posted for the latency measurement.")
@click.option("--seconds", default=10.0, show_default=True)
@click.option("--port", default=8765, show_default=True)
def bench_pipeline(comments: int, rate: float, seconds: float, port: int) -> None:
    """Start the real API and a moderation worker; measure drain rate (batched vs not) and POST->verdict latency."""
    from services.bench_pipeline import drain_rate, post_to_verdict_latency
    from shared.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    single = drain_rate(settings, comments=comments, batch_size=1, port=port)
    click.echo(f"drain, one comment per model call: {single:.0f} comments/s")
    batched = drain_rate(settings, comments=comments, batch_size=settings.toxicity.batch_size, port=port)
    click.echo(f"drain, batches of {settings.toxicity.batch_size}: {batched:.0f} comments/s")
    latency = post_to_verdict_latency(settings, rate=rate, seconds=seconds, port=port)
    click.echo(f"POST -> verdict at {rate:.0f}/s for {seconds:.0f}s: {latency['n']} decided ({latency['decided']:.0%}), "
               f"p50 {latency['p50'] * 1000:.0f} ms, p99 {latency['p99'] * 1000:.0f} ms")
    click.echo(f"batched_per_s={batched:.0f} single_per_s={single:.0f} gain={batched / single:.1f}x "
               f"p50_ms={latency['p50'] * 1000:.0f} p99_ms={latency['p99'] * 1000:.0f}")


@cli.group()
def models() -> None:
    """Prepare model files for the transformer backends (their weights are never fetched at run time)."""


@models.command("fetch")
@click.option("--type", "model_type", default="multilingual", show_default=True, help="Detoxify model type.")
@click.option("--dest", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write to.")
@click.option("--checkpoint-url", help="Where to get the checkpoint (default: Detoxify's release).")
@click.option("--hub-url", help="Base URL of a Hugging Face Hub mirror for the config and tokenizer.")
def models_fetch(model_type: str, dest: Path, checkpoint_url: str | None, hub_url: str | None) -> None:
    """On a machine with internet: download a Detoxify checkpoint and its base config + tokenizer."""
    from moderation.model_fetch import fetch_detoxify

    paths = fetch_detoxify(model_type, dest, checkpoint_url=checkpoint_url, hub_base_url=hub_url)
    click.echo("Copy the folder to the workers' machines and set:")
    click.echo("MOD_TOXICITY__BACKEND=detoxify")
    click.echo(f"MOD_TOXICITY__DETOXIFY__MODEL_TYPE={model_type}")
    click.echo(f"MOD_TOXICITY__DETOXIFY__CHECKPOINT={paths['checkpoint']}")
    click.echo(f"MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH={paths['huggingface_config_path']}")


@cli.group()
def notifications() -> None:
    """Inspect and replay notifications (site callbacks)."""


@notifications.command("replay")
@click.option("--id", "ids", type=int, multiple=True, help="A dead notification's id (repeatable).")
@click.option("--all-dead", is_flag=True, help="Replay every dead notification.")
def notifications_replay(ids: tuple[int, ...], all_dead: bool) -> None:
    """Send dead notifications again, with a fresh retry budget."""
    from notify.service import revive_dead
    from shared import task_names
    from shared.celery_app import create_celery
    from shared.db import session_scope

    if not ids and not all_dead:
        raise click.UsageError("name notifications with --id, or pass --all-dead")
    settings = get_settings()
    with session_scope(settings.database_url) as session:
        revived = revive_dead(session, list(ids) if ids else None)
    celery = create_celery(settings)
    for notification_id in revived:
        celery.send_task(task_names.DELIVER_CALLBACK, args=[notification_id])
    click.echo(f"replaying {len(revived)} notification(s): {', '.join(map(str, revived)) or '-'}")


def _exec(command: list[str]) -> None:
    os.execv(command[0], command)  # the process becomes the server: signals reach it directly


@cli.command("serve-api")
def serve_api() -> None:
    """Run the ingest API under gunicorn (MOD_HOST, MOD_PORT, MOD_WEB_WORKERS)."""
    _exec(processes.web_command())


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("queue", type=click.Choice(["moderation", "notify"]))
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(queue: str, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker for QUEUE; extra arguments go to `celery worker` (e.g. --concurrency 4)."""
    _exec(processes.worker_command(queue, celery_args))


@cli.command()
@click.option("--schedule-file", default="/tmp/celerybeat-schedule", show_default=True)
def beat(schedule_file: str) -> None:
    """Run the scheduler that sends the periodic sweeps (one per deployment)."""
    _exec(processes.beat_command(schedule_file))


@cli.command()
def run() -> None:
    """Run everything on this machine with no servers: migrate, demo site, API and workers.

    The database and broker are SQLite files under ./var unless MOD_DATABASE_URL / MOD_BROKER_URL say otherwise.
    """
    from services.embedded import run_embedded

    raise SystemExit(run_embedded(get_settings(), Path("var")))
