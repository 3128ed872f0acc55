"""modctl bench-pipeline / bench-ingest / bench-analyze: the real processes under load."""

from pathlib import Path

import click

from shared.settings import get_settings


@click.command("bench-pipeline")
@click.option("--comments", default=2000, show_default=True, help="Backlog size for the drain measurement.")
@click.option(
    "--single-comments",
    default=300,
    show_default=True,
    help="Backlog for the drain one comment per model call (slow: keep it small); 0 skips it.",
)
@click.option("--rate", default=200.0, show_default=True, help="Comments/s posted for the latency measurement.")
@click.option("--seconds", default=10.0, show_default=True)
@click.option("--port", default=8765, show_default=True)
@click.option(
    "--profile",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Then one more batched drain under py-spy, its stacks written here (see modctl profile-summary).",
)
def bench_pipeline(
    comments: int, single_comments: int, rate: float, seconds: float, port: int, profile: Path | None
) -> None:
    """Start the real API and one moderation worker process (everything on: toxicity, spam, policy,
    verdict rows, callbacks owed); measure its drain rate (batched vs not) and POST->verdict latency
    on the Redis broker."""
    from services.bench.pipeline import drain_rate, post_to_verdict_latency, scorer_rate
    from shared.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    batch = settings.toxicity.batch_size
    batched, per_cpu_s = drain_rate(settings, comments=comments, batch_size=batch, port=port)
    click.echo(
        f"drain, one worker process, batches of {batch}: {batched:.0f} comments/s, "
        f"{per_cpu_s:.0f} per second of its own CPU time"
    )
    alone = scorer_rate(settings, comments=comments)
    click.echo(
        f"the {settings.toxicity.backend} toxicity scorer alone, same batches, this process: {alone:.0f} comments/s"
    )
    single = 0.0
    if single_comments:
        single = drain_rate(settings, comments=single_comments, batch_size=1, port=port)[0]
        click.echo(f"drain, one comment per model call: {single:.0f} comments/s")
    latency = post_to_verdict_latency(settings, rate=rate, seconds=seconds, port=port)
    click.echo(
        f"POST -> verdict at {rate:.0f}/s for {seconds:.0f}s: {latency['n']} decided ({latency['decided']:.0%}), "
        f"p50 {latency['p50'] * 1000:.0f} ms, p99 {latency['p99'] * 1000:.0f} ms"
    )
    if profile is not None:
        drain_rate(settings, comments=comments, batch_size=batch, port=port, profile=profile)
        click.echo(f"profile of a batched drain: {profile} (modctl profile-summary {profile})")
    click.echo(
        f"drain_per_s={batched:.0f} drain_per_cpu_s={per_cpu_s:.0f} scorer_per_s={alone:.0f} "
        f"drain_vs_scorer={batched / alone:.2f} "
        f"single_per_s={single:.0f} rate={rate:.0f} "
        f"p50_ms={latency['p50'] * 1000:.0f} p99_ms={latency['p99'] * 1000:.0f}"
    )


@click.command("bench-ingest")
@click.option(
    "--floor",
    "floor",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The stack's floor to run beside the API (make bench-ingest passes ../shared/bench/floor_ingest.py).",
)
@click.option("--seconds", default=5.0, show_default=True, help="Length of each round.")
@click.option("--rounds", default=3, show_default=True, help="Rounds of each, alternating API and floor.")
@click.option("--connections", default=16, show_default=True, help="Concurrent keep-alive connections (wrk).")
@click.option("--port", default=8767, show_default=True)
@click.option("--floor-port", default=8768, show_default=True)
@click.option(
    "--profile",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Then one more API round under py-spy, its stacks written here (see modctl profile-summary).",
)
def bench_ingest(
    floor: Path, seconds: float, rounds: int, connections: int, port: int, floor_port: int, profile: Path | None
) -> None:
    """The real API and the stack's floor on the same PostgreSQL + Redis; wrk POSTs new comments to each
    in alternating rounds; accepted/s and p99 of both, and their ratio."""
    from services.bench.ingest import ingest_beside_floor
    from shared.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    api, base = ingest_beside_floor(
        settings,
        floor=floor.resolve(),
        connections=connections,
        seconds=seconds,
        rounds=rounds,
        port=port,
        floor_port=floor_port,
        profile=profile,
    )
    for name, side in (("POST /v1/comments", api), ("floor", base)):
        per_round = ", ".join(f"{r.per_s:.0f}" for r in side.rounds)
        click.echo(
            f"{name}: {side.per_s:.0f}/s (rounds {per_round}), p50 {side.p50_ms:.1f} ms, "
            f"p99 {side.p99_ms:.1f} ms, {side.errors} errors"
        )
    click.echo(
        f"{rounds} alternating rounds of {seconds:g}s, {connections} connections, "
        f"{settings.web_workers}x{settings.web_threads} gunicorn each"
    )
    click.echo(
        f"per second of the servers' own CPU time: ingest_per_cpu_s={api.per_cpu_s:.0f} "
        f"floor_per_cpu_s={base.per_cpu_s:.0f} cpu_ratio={api.per_cpu_s / base.per_cpu_s if base.per_cpu_s else 0:.2f}"
    )
    click.echo(
        f"ingest_per_s={api.per_s:.0f} floor_per_s={base.per_s:.0f} ratio={api.per_s / base.per_s:.2f} "
        f"p99_ms={api.p99_ms:.1f} floor_p99_ms={base.p99_ms:.1f}"
    )


@click.command("bench-analyze")
@click.option("--seconds", default=10.0, show_default=True, help="How long each load level runs.")
@click.option("--clients", default=50, show_default=True, help="Concurrent clients, each on its own connection.")
@click.option(
    "--rates",
    default="50,100,200,300,400",
    show_default=True,
    help="Open-loop arrival rates to step through, requests/s shared by the clients.",
)
@click.option("--port", default=8766, show_default=True)
def bench_analyze(seconds: float, clients: int, rates: str, port: int) -> None:
    """Start the real API; clients POST 500-character Russian comments to Perspective's analyze (doNotStore):
    one client alone, then `clients` at each arrival rate (open loop), then back to back (closed loop)."""
    from services.bench.analyze import GOAL_P99_S, analyze_load, capacity_at_goal
    from shared.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    try:
        steps = [float(rate) for rate in rates.split(",")]
    except ValueError:
        raise click.BadParameter(
            f"{rates!r}: give requests/s as numbers separated by commas", param_hint="--rates"
        ) from None
    results = analyze_load(settings, clients=clients, seconds=seconds, rates=steps, port=port)
    for name, run in results.items():
        who = "1 client" if name == "single" else f"{clients} clients"
        load = "back to back" if name in ("single", "closed") else f"arriving at {name}"
        click.echo(
            f"{who}, {load}: {len(run.latencies)} answered, {run.errors} errors, "
            f"p50 {run.p50 * 1000:.1f} ms, p99 {run.p99 * 1000:.1f} ms, {run.per_s:.0f}/s"
        )
    single, closed = results["single"], results["closed"]
    click.echo(
        f"analyze_single_p99_ms={single.p99 * 1000:.1f} "
        f"analyze_per_s_at_p99_{GOAL_P99_S * 1000:.0f}ms={capacity_at_goal(results, steps):g} clients={clients} "
        f"closed_p50_ms={closed.p50 * 1000:.1f} closed_p99_ms={closed.p99 * 1000:.1f} closed_per_s={closed.per_s:.0f}"
    )


@click.command("bench-simulate")
@click.option("--comments", default=100_000, show_default=True, help="Stored comments to seed and replay.")
@click.option("--runs", default=3, show_default=True, help="Each figure is the fastest of this many runs.")
@click.option("--reuse", is_flag=True, help="Replay an earlier seed of the same size instead of seeding again.")
def bench_simulate(comments: int, runs: int, reuse: bool) -> None:
    """Seed a site with scored comments over 30 days; time the policy simulator over them beside the
    floor (its own query alone)."""
    from sqlalchemy import func, select

    from services.bench.simulate import SITE, measure, seed
    from shared.db import session_scope
    from shared.migrate import upgrade
    from shared.models import Comment, Site

    settings = get_settings()
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        site_id = session.scalar(select(Site.id).where(Site.name == SITE))
        stored = session.scalar(select(func.count()).where(Comment.site_id == site_id)) if site_id else 0
        if not (reuse and stored == comments):
            click.echo(f"seeding {comments} comments ...")
            site_id = seed(session, comments)
    assert site_id is not None
    timings = {t.name: t for t in measure(settings, site_id, runs)}
    for t in timings.values():
        click.echo(f"{t.name:>10}: {t.replayed} comments in {t.seconds:.2f} s")
    floor = timings["floor"].seconds
    click.echo(
        f"simulate_s={timings['everything'].seconds:.2f} thresholds_only_s={timings['thresholds'].seconds:.2f} "
        f"floor_s={floor:.2f} ratio_to_floor={timings['everything'].seconds / floor:.1f} comments={comments}"
    )


@click.command("bench-faults")
@click.option("--rate", default=20.0, show_default=True, help="Comments/s posted during each fault.")
@click.option("--stream-seconds", default=10.0, show_default=True, help="How long the stream runs around a fault.")
@click.option("--receiver-down-seconds", default=60.0, show_default=True)
@click.option("--only", default="", help="Comma-separated faults to run (default: all).")
def bench_faults(rate: float, stream_seconds: float, receiver_down_seconds: float, only: str) -> None:
    """The compose layout on its own PostgreSQL and Redis under a stream: kill the moderation worker, restart
    Redis, stop PostgreSQL for 10 s, take the callback receiver down, race moderators against the worker.
    One line per fault; lost, duplicated, stuck and overwritten must be 0 (exit status 1 otherwise)."""
    from services.bench.faults import FAULTS, run_faults, summary

    chosen = tuple(name.strip() for name in only.split(",") if name.strip()) or FAULTS
    if unknown := set(chosen) - set(FAULTS):
        raise click.BadParameter(
            f"unknown {', '.join(sorted(unknown))}; one of {', '.join(FAULTS)}", param_hint="--only"
        )
    outcomes = run_faults(
        rate=rate, stream_s=stream_seconds, receiver_down_s=receiver_down_seconds, echo=click.echo, only=chosen
    )
    total = summary(outcomes)
    click.echo(total.line())
    if total.lost or total.duplicated or total.stuck or total.overwritten or total.http_5xx:
        raise SystemExit(1)


@click.command("profile-summary")
@click.argument("folded", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--only", help="Count only stacks through this frame, e.g. 'post_comment (ingest/api.py)'.")
@click.option("--match", help="Show only functions whose name contains this.")
@click.option("--top", default=40, show_default=True)
def profile_summary(folded: Path, only: str | None, match: str | None, top: int) -> None:
    """Where the time goes in a py-spy profile (`bench-ingest --profile`, `bench-pipeline --profile`):
    each function's share of the samples it was on the stack for."""
    from lab.profile import summary

    rows, total = summary(folded, only=only, match=match)
    click.echo(f"{total} samples" + (f" through {only}" if only else ""))
    for name, share in rows[:top]:
        click.echo(f"{share:6.1%}  {name}")


@click.command("bench-embedded")
@click.option("--rate", default=5.0, show_default=True, help="Comments/s posted.")
@click.option("--seconds", default=10.0, show_default=True)
@click.option("--port", default=8769, show_default=True)
def bench_embedded(rate: float, seconds: float, port: int) -> None:
    """`make run`'s setup (SQLite database, SQLite broker, no servers) in a fresh folder: the API and
    one moderation worker; POST->verdict latency at a reader's pace."""
    import tempfile

    from services.bench.pipeline import post_to_verdict_latency
    from shared.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="modsys-bench-embedded-") as folder:
        settings = get_settings().model_copy(
            update={"database_url": f"sqlite:///{folder}/modsys.db", "broker_url": f"sqla+sqlite:///{folder}/broker.db"}
        )
        upgrade(settings.database_url)
        latency = post_to_verdict_latency(settings, rate=rate, seconds=seconds, port=port)
    click.echo(
        f"embedded (SQLite + SQLite broker, polled every {settings.broker_polling_interval_s:g} s), "
        f"POST -> verdict at {rate:g}/s for {seconds:g}s: {latency['n']} decided ({latency['decided']:.0%})"
    )
    click.echo(f"embedded_p50_ms={latency['p50'] * 1000:.0f} embedded_p99_ms={latency['p99'] * 1000:.0f}")
