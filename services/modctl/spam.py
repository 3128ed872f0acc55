"""modctl train-spam / eval-spam / bench-spam: the spam model."""

from pathlib import Path

import click

from services.modctl.common import DATA_OPTION, site_named
from shared.settings import get_settings


@click.command("train-spam")
@click.option("--site", "site_name", required=True, help="The site whose spam model to retrain.")
def train_spam(site_name: str) -> None:
    """Retrain a site's spam model from scratch from all its feedback (moderators' decisions, site reports),
    and remember all its spam again for the near-duplicate lookups (MOD_SPAM__REDIS_URL)."""
    from moderation.spam.learning import retrain_site
    from moderation.spam.scorer import get_spam_scorer
    from shared.db import session_scope

    settings = get_settings()
    with session_scope(settings.database_url) as session:
        version = retrain_site(session, site_named(session, site_name).id, get_spam_scorer(settings).known)
    click.echo(
        f"site {site_name}: spam model version {version}"
        if version
        else f"site {site_name}: no feedback to learn from yet"
    )


@click.command("train-spam-prior")
@click.option(
    "--data",
    "data",
    multiple=True,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV text,label with label 1 = spam, 0 = not spam (repeatable).",
)
@click.option(
    "--ham",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV text,label whose label-0 rows are taken as ham (a toxicity set: its toxic rows are left out).",
)
@click.option(
    "--output",
    default=Path("moderation/spam/prior/weights.npz"),
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--folds", default=5, show_default=True)
@click.option("--repeats", default=3, show_default=True, help="Repeats of the stratified folds (0: no CV).")
@click.option("--seed", default=0, show_default=True)
@click.option(
    "--replay-teach",
    default=0.0,
    type=click.FloatRange(0.0, 1.0),
    help="Also replay each fold's stream through the whole scorer, nothing decided and this share decided.",
)
def train_spam_prior(
    data: tuple[Path, ...],
    ham: tuple[Path, ...],
    output: Path,
    folds: int,
    repeats: int,
    seed: int,
    replay_teach: float,
) -> None:
    """Train the shipped spam prior; print its cross-validated stream figures (spam 1 in 10) first."""
    from lab.spam.prior import REVIEW, cross_validate, read_rows, stream_replay, train_prior
    from lab.spam.replay import figures

    rows = read_rows(data, ham)
    click.echo(f"rows: {len(rows)}, spam {sum(r.label for r in rows)}")
    if repeats:
        result = cross_validate(rows, folds=folds, repeats=repeats, seed=seed)
        for text, label, score in result.errors[:40]:
            kind = "missed spam" if label else "false alarm"
            click.echo(f"{kind} {score:.2f}: {' '.join(text.split())[:160]}")
        click.echo(f"cv: {result.line()}")
    if replay_teach:
        labels, before, after = stream_replay(rows, teach=replay_teach, folds=folds, seed=seed)
        click.echo(f"replay, second halves, nothing decided: {figures(labels, before, REVIEW).line()}")
        click.echo(f"replay, second halves, {replay_teach:.0%} decided: {figures(labels, after, REVIEW).line()}")
    model = train_prior(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(model.to_bytes())
    click.echo(f"wrote {output}: {int((model.weights != 0).sum())} weights, intercept {model.intercept:.3f}")


def _stream_from_csv(data: Path) -> list:
    """text,label rows (optional author, ip, created_at: ISO time or epoch seconds) as a stream."""
    import csv
    from datetime import datetime

    from lab.spam.stream import StreamItem

    def when(value: str | None, row: int) -> float:
        if not value:
            return row * 30.0
        return float(value) if value.replace(".", "", 1).isdigit() else datetime.fromisoformat(value).timestamp()

    with data.open(encoding="utf-8", newline="") as handle:
        return [
            StreamItem(
                text=r["text"],
                label=int(r["label"]),
                author_id=r.get("author") or f"author-{i}",
                ip=r.get("ip") or "",
                created_at=when(r.get("created_at"), i),
                article_id=r.get("article") or "a-1",
            )
            for i, r in enumerate(csv.DictReader(handle))
        ]


@click.command("eval-spam")
@DATA_OPTION
@click.option(
    "--teach",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0.0, 1.0),
    help="Share of the stream moderators decide (by its labels) as it goes; the figures are then the second half's.",
)
@click.option("--seed", default=0, show_default=True, help="Which comments moderators decide.")
def eval_spam(data: Path, teach: float, seed: int) -> None:
    """Measure the spam scorer on a labelled stream (text,label and optional author, ip, created_at columns).

    Without --teach nothing is decided and the whole stream is measured. With --teach SHARE, moderators
    decide SHARE of the comments as they come (the site's model learns, rejected spam is remembered)
    and the last line is the second half's, where learning has had half the stream."""
    from lab.spam.replay import figures, learning_run

    policy = get_settings().policy
    review = policy.review["spam"]
    items = _stream_from_csv(data)
    scores, per_s = learning_run(items, teach_share=teach, review=review, reject=policy.reject["spam"], seed=seed)
    labels = [i.label for i in items]
    if teach:
        later = slice(len(items) // 2, None)
        click.echo(f"moderators decided {teach:.0%} of {len(items)} comments; measured on the second half")
        labels, scores = labels[later], scores[later]
    click.echo(f"{figures(labels, scores, review).line()} per_s={per_s:.0f}")


@click.command("bench-spam")
@DATA_OPTION
@click.option(
    "--teach", default=0.3, show_default=True, help="Share of comments moderators decide (and the model learns)."
)
@click.option("--n", default=4000, show_default=True, help="Stream length.")
@click.option("--seed", default=0, show_default=True)
@click.option(
    "--redis-url",
    default=None,
    help="A Redis to measure the scoring rate against (batches of 64, round trips included); "
    "without it per_s is the whole replay's rate with an in-process Redis.",
)
def bench_spam(data: Path, teach: float, n: int, seed: int, redis_url: str | None) -> None:
    """Clean comments from DATA mixed with generated spam, before and after learning from moderators."""
    import random

    import redis

    from lab.spam.replay import figures, learning_run, scoring_rate
    from lab.spam.stream import labelled_stream
    from lab.toxicity.training import read_pairs

    policy = get_settings().policy
    review, reject = policy.review["spam"], policy.reject["spam"]
    ham = [text for text, label in read_pairs(data) if label == 0]
    items = labelled_stream(ham, random.Random(seed), spam_share=0.2, n=n)
    later = slice(len(items) // 2, None)  # measured where the learner has had half the stream to learn
    labels = [item.label for item in items][later]
    before, per_s = learning_run(items, teach_share=0.0, review=review, reject=reject, seed=seed)
    after, _ = learning_run(items, teach_share=teach, review=review, reject=reject, seed=seed)
    f_before, f_after = figures(labels, before[later], review), figures(labels, after[later], review)
    click.echo(
        f"stream: {len(items)} comments, {sum(i.label for i in items)} spam; measured on the second half at spam >= {review}"
    )
    click.echo(f"before learning: {f_before.line()}")
    click.echo(f"after moderators decided {teach:.0%} of comments: {f_after.line()}")
    if redis_url:
        per_s, cpu_per_s = scoring_rate(items, redis.Redis.from_url(redis_url))
        click.echo(
            f"speed: {len(items)} comments through SpamScorer.score in batches of 64, Redis at {redis_url}: "
            f"{per_s:.0f}/s by the clock, {cpu_per_s:.0f}/s by this process's CPU time"
        )
    click.echo(f"f1_before={f_before.f1:.4f} f1_after={f_after.f1:.4f} per_s={per_s:.0f}")
