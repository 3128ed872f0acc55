"""modctl train / eval / bench-speed / models: the toxicity model, offline."""

import json
from pathlib import Path

import click

from services.modctl.common import DATA_OPTION
from shared.settings import get_settings


@click.command()
@DATA_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the model files (default: the committed model's folder).",
)
@click.option(
    "--with-decisions",
    is_flag=True,
    help="Also learn from moderators' decisions in the database (approved: not toxic; rejected as toxic: toxic).",
)
@click.option(
    "--en-data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="English CSV with Jigsaw's category columns: also train the category models and the cascade's heads.",
)
def train(data: Path, out: Path | None, with_decisions: bool, en_data: Path | None) -> None:
    """Train the embedded toxicity model from labelled comments and report cross-validated figures.

    With --en-data, train everything the committed model holds (see its MODEL_CARD.md): the Russian
    toxicity model, the category models and the cascade's encoder heads (a few minutes more).
    """
    if en_data is not None:
        if with_decisions:
            raise click.UsageError("--with-decisions trains the Russian toxicity model only; leave out --en-data")
        from lab.toxicity.cascade_training import train_all
        from moderation.scoring.embedded import DEFAULT_MODEL_DIR as MODEL_DIR

        click.echo(json.dumps(train_all(data, en_data, out or MODEL_DIR), indent=2, ensure_ascii=False))
        return
    from lab.toxicity.training import data_provenance, read_pairs, train_from_pairs
    from moderation.scoring.embedded import DEFAULT_MODEL_DIR

    pairs = read_pairs(data)
    if with_decisions:
        from lab.toxicity.decision_examples import decision_examples
        from shared.db import session_scope

        with session_scope(get_settings().database_url) as session:
            decided = decision_examples(session)
        click.echo(f"{len(pairs)} comments from {data}, {len(decided)} from moderators' decisions", err=True)
        pairs += decided
    metrics = train_from_pairs(pairs, out or DEFAULT_MODEL_DIR, data=data_provenance(data, len(pairs)))
    metrics.pop("out_of_fold", None)
    click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))


@click.command("eval")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV with columns text,label (1 = toxic). Without it: the model's cross-validated figures.",
)
@click.option("--worst", default=10, show_default=True, help="How many worst false positives/negatives to show.")
def eval_(data: Path | None, worst: int) -> None:
    """Measure the configured toxicity scorer on labelled comments: ROC-AUC, P/R/F1 at the policy thresholds.

    Without --data, print the cross-validated figures the model files record. With a file the
    model was trained on, warn: the figures would score the model on its own training rows.
    """
    from lab.toxicity.evaluation import (
        evaluate,
        format_cross_validated,
        format_quality_report,
        training_file_warning,
        training_records,
    )
    from lab.toxicity.training import read_pairs
    from moderation.scoring.backends import get_scorer
    from moderation.scoring.embedded import DEFAULT_MODEL_DIR

    settings = get_settings()
    records = []
    if settings.toxicity.backend == "embedded":
        records = training_records(
            Path(settings.toxicity.model_dir) if settings.toxicity.model_dir else DEFAULT_MODEL_DIR
        )
    if data is None:
        click.echo(format_cross_validated(records))
        return
    warning = training_file_warning(data, records)
    if warning:
        click.echo(warning, err=True)
        click.echo(warning)
    report = evaluate(
        get_scorer(settings.toxicity),
        read_pairs(data),
        worst=worst,
        review_threshold=settings.policy.review["toxicity"],
        reject_threshold=settings.policy.reject["toxicity"],
    )
    click.echo(format_quality_report(report))


@click.command("eval-categories")
@click.option(
    "--data",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with a text column and 0/1 category columns (ours: obscene, insult, threat, identity_attack, "
    "severe_toxicity; or Jigsaw's: severe_toxic, identity_hate...).",
)
def eval_categories(data: Path) -> None:
    """Each category of the configured scorer, one against the rest, on category-labelled comments."""
    import csv

    from lab.toxicity.evaluation import category_report, format_category_report
    from moderation.scoring.backends import get_scorer

    with open(data, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    report = category_report(get_scorer(get_settings().toxicity), rows)
    click.echo(format_category_report(report, data.name))


@click.command("bench-speed")
@DATA_OPTION
@click.option("--batch", default=64, show_default=True)
def bench_speed(data: Path, batch: int) -> None:
    """Measure the configured toxicity scorer: load time, comments/s one by one and batched, memory."""
    from lab.toxicity.evaluation import format_speed_report, speed_report
    from lab.toxicity.training import read_pairs
    from moderation.scoring.backends import get_scorer

    texts = [text for text, _ in read_pairs(data)]
    click.echo(format_speed_report(speed_report(lambda: get_scorer(get_settings().toxicity), texts, batch=batch)))


@click.group()
def models() -> None:
    """Prepare model files for the transformer backends (their weights are never fetched at run time)."""


@models.command("fetch")
@click.option("--type", "model_type", default="multilingual", show_default=True, help="Detoxify model type.")
@click.option("--dest", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write to.")
@click.option("--checkpoint-url", help="Where to get the checkpoint (default: Detoxify's release).")
@click.option("--hub-url", help="Base URL of a Hugging Face Hub mirror for the config and tokenizer.")
def models_fetch(model_type: str, dest: Path, checkpoint_url: str | None, hub_url: str | None) -> None:
    """On a machine with internet: download a Detoxify checkpoint and its base config + tokenizer."""
    from lab.toxicity.model_fetch import fetch_detoxify

    paths = fetch_detoxify(model_type, dest, checkpoint_url=checkpoint_url, hub_base_url=hub_url)
    click.echo("Copy the folder to the workers' machines and set:")
    click.echo("MOD_TOXICITY__BACKEND=detoxify")
    click.echo(f"MOD_TOXICITY__DETOXIFY__MODEL_TYPE={model_type}")
    click.echo(f"MOD_TOXICITY__DETOXIFY__CHECKPOINT={paths['checkpoint']}")
    click.echo(f"MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH={paths['huggingface_config_path']}")
