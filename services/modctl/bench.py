"""modctl bench-pipeline / bench-ingest / bench-analyze: the real processes under load."""

import click

from shared.settings import get_settings


@click.command("bench-pipeline")
@click.option("--comments", default=2000, show_default=True, help="Backlog size for the drain measurement.")
@click.option("--rate", default=200.0, show_default=True, help="Comments/s posted for the latency measurement.")
@click.option("--seconds", default=10.0, show_default=True)
@click.option("--port", default=8765, show_default=True)
def bench_pipeline(comments: int, rate: float, seconds: float, port: int) -> None:
    """Start the real API and a moderation worker; measure drain rate (batched vs not) and POST->verdict latency."""
    from services.bench.pipeline import drain_rate, post_to_verdict_latency
    from shared.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    single = drain_rate(settings, comments=comments, batch_size=1, port=port)
    click.echo(f"drain, one comment per model call: {single:.0f} comments/s")
    batched = drain_rate(settings, comments=comments, batch_size=settings.toxicity.batch_size, port=port)
    click.echo(f"drain, batches of {settings.toxicity.batch_size}: {batched:.0f} comments/s")
    latency = post_to_verdict_latency(settings, rate=rate, seconds=seconds, port=port)
    click.echo(
        f"POST -> verdict at {rate:.0f}/s for {seconds:.0f}s: {latency['n']} decided ({latency['decided']:.0%}), "
        f"p50 {latency['p50'] * 1000:.0f} ms, p99 {latency['p99'] * 1000:.0f} ms"
    )
    click.echo(
        f"batched_per_s={batched:.0f} single_per_s={single:.0f} gain={batched / single:.1f}x "
        f"p50_ms={latency['p50'] * 1000:.0f} p99_ms={latency['p99'] * 1000:.0f}"
    )


@click.command("bench-ingest")
@click.option("--seconds", default=15, show_default=True)
@click.option("--connections", default=32, show_default=True, help="Concurrent keep-alive connections (wrk).")
@click.option("--port", default=8767, show_default=True)
def bench_ingest(seconds: int, connections: int, port: int) -> None:
    """Start the real API on PostgreSQL + Redis; wrk POSTs new comments as fast as they are accepted."""
    from services.bench.ingest import ingest_throughput
    from shared.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    result = ingest_throughput(settings, connections=connections, seconds=seconds, port=port)
    click.echo(
        f"POST /v1/comments, {connections} connections for {seconds}s, {settings.web_workers} web workers: "
        f"{result['errors']} errors"
    )
    click.echo(f"ingest_per_s={result['per_s']:.0f} p50_ms={result['p50_ms']:.1f} p99_ms={result['p99_ms']:.1f}")


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
