"""modctl: the operator's command line for everything the service does."""

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from services import processes
from shared.settings import get_settings

if TYPE_CHECKING:  # the commands import what they need when they run, so `modctl --help` stays quick
    from sqlalchemy.orm import Session

    from shared.models import Site

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


def _thresholds(pairs: tuple[str, ...], option: str) -> dict[str, float]:
    """["toxicity=0.6", "spam=0.8"] as {"toxicity": 0.6, "spam": 0.8}."""
    parsed = {}
    for pair in pairs:
        category, sep, value = pair.partition("=")
        try:
            parsed[category.strip()] = float(value)
        except ValueError:
            raise click.BadParameter(f"{pair!r}: write CATEGORY=NUMBER, e.g. toxicity=0.6", param_hint=option) from None
        if not sep:
            raise click.BadParameter(f"{pair!r}: write CATEGORY=NUMBER", param_hint=option)
    return parsed


def _word_file(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


@site.command("set")
@click.option("--site", "site_name", required=True)
@click.option("--mode", type=click.Choice(["pre", "post"]),
              help="pre: nothing is shown before a verdict; post: shown at once, taken down if rejected.")
@click.option("--review", multiple=True, metavar="CATEGORY=SCORE", help="Send to a human at or above (repeatable).")
@click.option("--reject", multiple=True, metavar="CATEGORY=SCORE", help="Reject at or above (repeatable).")
@click.option("--banned-word", multiple=True, help="Add a word that rejects a comment; 'word*' matches its forms.")
@click.option("--suspect-word", multiple=True, help="Add a word that sends a comment to a human.")
@click.option("--remove-word", multiple=True, help="Remove a word from both lists.")
@click.option("--banned-words-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Replace the banned list with this file's lines.")
@click.option("--suspect-words-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Replace the suspect list with this file's lines.")
@click.option("--new-author-review", type=int, help="Review every author's comments until N are approved (0: off).")
@click.option("--language", type=click.Choice(["ru", "en"]), help="The language moderators of this site read.")
@click.option("--callback-url", help="Where decisions are POSTed (signed).")
def site_set(
    site_name: str, mode: str | None, review: tuple[str, ...], reject: tuple[str, ...],
    banned_word: tuple[str, ...], suspect_word: tuple[str, ...], remove_word: tuple[str, ...],
    banned_words_file: Path | None, suspect_words_file: Path | None, new_author_review: int | None,
    language: str | None, callback_url: str | None,
) -> None:
    """Change a site's policy; prints the whole policy as stored. Nothing is stored if any value is wrong."""
    from pydantic import ValidationError

    from ingest.sites import find_site
    from shared.db import session_scope
    from shared.site_policy import SitePolicy, load_site_policy

    with session_scope(get_settings().database_url) as session:
        found = find_site(session, site_name)
        if found is None:
            raise click.UsageError(f"no site named {site_name!r}")
        current = load_site_policy(found.policy)
        removed = {w.lower() for w in remove_word}
        banned = current.banned_words if banned_words_file is None else _word_file(banned_words_file)
        suspect = current.suspect_words if suspect_words_file is None else _word_file(suspect_words_file)
        changes = {
            "mode": mode, "language": language, "new_author_review": new_author_review,
            "review": {**current.review, **_thresholds(review, "--review")},
            "reject": {**current.reject, **_thresholds(reject, "--reject")},
            "banned_words": [w for w in [*banned, *banned_word] if w.lower() not in removed],
            "suspect_words": [w for w in [*suspect, *suspect_word] if w.lower() not in removed],
        }
        try:
            policy = SitePolicy.model_validate({**current.model_dump(), **{k: v for k, v in changes.items() if v is not None}})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise click.UsageError(f"nothing changed: {problems}") from None
        found.policy = policy.model_dump(exclude_defaults=True)
        if callback_url is not None:
            found.callback_url = callback_url or None
    click.echo(json.dumps({"site": site_name, "callback_url": found.callback_url, "policy": policy.model_dump()},
                          ensure_ascii=False, indent=2))


@site.group("domain")
def site_domain() -> None:
    """Domains a site allows or blocks in comments' links."""


@site_domain.command("add")
@click.option("--site", "site_name", required=True)
@click.option("--allow", "rule", flag_value="allow", help="Links to it count in the comment's favour.")
@click.option("--block", "rule", flag_value="block", help="Links to it are spam.")
@click.argument("domains", nargs=-1, required=True)
def site_domain_add(site_name: str, rule: str | None, domains: tuple[str, ...]) -> None:
    """Allow or block DOMAINS (e.g. pskov.ru, or kazino.ru) for a site."""
    from ingest.sites import find_site, set_domain_rules
    from shared.db import session_scope

    if rule is None:
        raise click.UsageError("say --allow or --block")
    with session_scope(get_settings().database_url) as session:
        site = find_site(session, site_name)
        if site is None:
            raise click.UsageError(f"no site named {site_name!r}")
        set_domain_rules(session, site, rule, domains)
    click.echo(f"site {site_name}: {rule} {', '.join(domains)}")


@cli.group()
def moderator() -> None:
    """Manage the people who log in to the moderators' console (/console/)."""


@moderator.command("create")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice(["moderator", "admin"]), default="moderator", show_default=True,
              help="admin also edits sites' policies and sees the moderators.")
@click.option("--locale", type=click.Choice(["ru", "en"]), default="ru", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
@click.option("--site", "site_names", multiple=True,
              help="Limit a moderator to this site (repeat for several); without it, every site.")
def moderator_create(username: str, role: str, locale: str, password_stdin: bool, site_names: tuple[str, ...]) -> None:
    """Create a console account; only an argon2 hash of the password is kept."""
    from moderation.moderators.accounts import ModeratorError, create_moderator
    from shared.db import session_scope

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope(get_settings().database_url) as session:
            create_moderator(session, username=username, password=password, role=role, locale=locale,
                             sites=_named_sites(session, site_names))
    except ModeratorError as exc:
        raise click.UsageError(str(exc)) from exc
    where = ", ".join(site_names) if site_names else "every site"
    click.echo(f"moderator {username} ({role}, {where}) created; log in at {get_settings().base_url}/console/")


def _named_sites(session: "Session", names: tuple[str, ...]) -> list["Site"]:
    from ingest.sites import find_site

    sites = [find_site(session, name) for name in names]
    unknown = [name for name, site in zip(names, sites, strict=True) if site is None]
    if unknown:
        raise click.UsageError(f"no site named {', '.join(unknown)}")
    return [site for site in sites if site is not None]


@moderator.command("sites")
@click.option("--username", required=True)
@click.option("--site", "site_names", multiple=True, help="A site the moderator works on (repeat for several).")
@click.option("--every-site", is_flag=True, help="Lift the limit: the moderator sees every site.")
def moderator_sites(username: str, site_names: tuple[str, ...], every_site: bool) -> None:
    """Change which sites a moderator works on (from their next page on)."""
    from moderation.moderators.accounts import ModeratorError, find_moderator, set_sites
    from shared.db import session_scope

    if bool(site_names) == every_site:
        raise click.UsageError("give --site (one or more) or --every-site")
    try:
        with session_scope(get_settings().database_url) as session:
            moderator = find_moderator(session, username)
            if moderator is None:
                raise click.UsageError(f"no moderator named {username!r}")
            set_sites(moderator, _named_sites(session, site_names))
    except ModeratorError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"moderator {username}: {', '.join(site_names) if site_names else 'every site'}")


@moderator.command("list")
def moderator_list() -> None:
    """Every console account: username, role, sites, language, active, last login."""
    from moderation.moderators.accounts import list_moderators
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        for m in list_moderators(session):
            last = m.last_login_at.isoformat(timespec="seconds") if m.last_login_at else "never"
            sites = ",".join(site.name for site in m.sites) if m.sites and m.role != "admin" else "every site"
            click.echo(f"{m.username}\t{m.role}\t{sites}\t{m.locale}\t{'active' if m.active else 'inactive'}\tlast login {last}")


@cli.command()
@DATA_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the model files (default: the committed model's folder).")
@click.option("--with-decisions", is_flag=True,
              help="Also learn from moderators' decisions in the database (approved: not toxic; rejected as toxic: toxic).")
def train(data: Path, out: Path | None, with_decisions: bool) -> None:
    """Train the embedded toxicity model from labelled comments and report cross-validated figures."""
    from moderation.scoring.embedded import DEFAULT_MODEL_DIR
    from lab.toxicity.training import read_pairs, train_from_pairs

    pairs = read_pairs(data)
    if with_decisions:
        from lab.toxicity.decision_examples import decision_examples
        from shared.db import session_scope

        with session_scope(get_settings().database_url) as session:
            decided = decision_examples(session)
        click.echo(f"{len(pairs)} comments from {data}, {len(decided)} from moderators' decisions", err=True)
        pairs += decided
    metrics = train_from_pairs(pairs, out or DEFAULT_MODEL_DIR)
    click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))


@cli.command("eval")
@DATA_OPTION
@click.option("--worst", default=10, show_default=True, help="How many worst false positives/negatives to show.")
def eval_(data: Path, worst: int) -> None:
    """Measure the configured toxicity scorer on labelled comments: ROC-AUC, P/R/F1 at the policy thresholds."""
    from lab.toxicity.evaluation import evaluate, format_quality_report
    from moderation.scoring.backends import get_scorer
    from lab.toxicity.training import read_pairs

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
    from lab.toxicity.evaluation import format_speed_report, speed_report
    from moderation.scoring.backends import get_scorer
    from lab.toxicity.training import read_pairs

    texts = [text for text, _ in read_pairs(data)]
    click.echo(format_speed_report(speed_report(lambda: get_scorer(get_settings().toxicity), texts, batch=batch)))


@cli.command("bench-pipeline")
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
    click.echo(f"POST -> verdict at {rate:.0f}/s for {seconds:.0f}s: {latency['n']} decided ({latency['decided']:.0%}), "
               f"p50 {latency['p50'] * 1000:.0f} ms, p99 {latency['p99'] * 1000:.0f} ms")
    click.echo(f"batched_per_s={batched:.0f} single_per_s={single:.0f} gain={batched / single:.1f}x "
               f"p50_ms={latency['p50'] * 1000:.0f} p99_ms={latency['p99'] * 1000:.0f}")


@cli.command("bench-ingest")
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
    click.echo(f"POST /v1/comments, {connections} connections for {seconds}s, {settings.web_workers} web workers: "
               f"{result['errors']} errors")
    click.echo(f"ingest_per_s={result['per_s']:.0f} p50_ms={result['p50_ms']:.1f} p99_ms={result['p99_ms']:.1f}")


@cli.command("bench-analyze")
@click.option("--seconds", default=10.0, show_default=True, help="How long each load level runs.")
@click.option("--clients", default=50, show_default=True, help="Concurrent clients, each on its own connection.")
@click.option("--rates", default="50,100,200,300,400", show_default=True,
              help="Open-loop arrival rates to step through, requests/s shared by the clients.")
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
        raise click.BadParameter(f"{rates!r}: give requests/s as numbers separated by commas", param_hint="--rates") from None
    results = analyze_load(settings, clients=clients, seconds=seconds, rates=steps, port=port)
    for name, run in results.items():
        who = "1 client" if name == "single" else f"{clients} clients"
        load = "back to back" if name in ("single", "closed") else f"arriving at {name}"
        click.echo(f"{who}, {load}: {len(run.latencies)} answered, {run.errors} errors, "
                   f"p50 {run.p50 * 1000:.1f} ms, p99 {run.p99 * 1000:.1f} ms, {run.per_s:.0f}/s")
    single, closed = results["single"], results["closed"]
    click.echo(f"analyze_single_p99_ms={single.p99 * 1000:.1f} "
               f"analyze_per_s_at_p99_{GOAL_P99_S * 1000:.0f}ms={capacity_at_goal(results, steps):g} clients={clients} "
               f"closed_p50_ms={closed.p50 * 1000:.1f} closed_p99_ms={closed.p99 * 1000:.1f} closed_per_s={closed.per_s:.0f}")


@cli.command("train-spam")
@click.option("--site", "site_name", required=True, help="The site whose spam model to retrain.")
def train_spam(site_name: str) -> None:
    """Retrain a site's spam model from scratch from all its feedback (moderators' decisions, site reports)."""
    from ingest.sites import find_site
    from moderation.spam.learning import retrain_site
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        site = find_site(session, site_name)
        if site is None:
            raise click.UsageError(f"no site named {site_name!r}")
        version = retrain_site(session, site.id)
    click.echo(f"site {site_name}: spam model version {version}" if version else f"site {site_name}: no feedback to learn from yet")


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
        return [StreamItem(text=r["text"], label=int(r["label"]), author_id=r.get("author") or f"author-{i}", ip=r.get("ip") or "",
                           created_at=when(r.get("created_at"), i), article_id=r.get("article") or "a-1")
                for i, r in enumerate(csv.DictReader(handle))]


@cli.command("eval-spam")
@DATA_OPTION
def eval_spam(data: Path) -> None:
    """Measure the spam scorer on a labelled stream (text,label and optional author, ip, created_at columns)."""
    from lab.spam.replay import figures, learning_run

    policy = get_settings().policy
    items = _stream_from_csv(data)
    scores, per_s = learning_run(items, teach_share=0.0, review=policy.review["spam"], reject=policy.reject["spam"])
    click.echo(f"{figures([i.label for i in items], scores, policy.review['spam']).line()} per_s={per_s:.0f}")


@cli.command("bench-spam")
@DATA_OPTION
@click.option("--teach", default=0.3, show_default=True, help="Share of comments moderators decide (and the model learns).")
@click.option("--n", default=4000, show_default=True, help="Stream length.")
@click.option("--seed", default=0, show_default=True)
def bench_spam(data: Path, teach: float, n: int, seed: int) -> None:
    """Clean comments from DATA mixed with generated spam, before and after learning from moderators."""
    import random

    from lab.spam.replay import figures, learning_run
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
    click.echo(f"stream: {len(items)} comments, {sum(i.label for i in items)} spam; measured on the second half at spam >= {review}")
    click.echo(f"before learning: {f_before.line()}")
    click.echo(f"after moderators decided {teach:.0%} of comments: {f_after.line()}")
    click.echo(f"f1_before={f_before.f1:.4f} f1_after={f_after.f1:.4f} per_s={per_s:.0f}")


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
    from lab.toxicity.model_fetch import fetch_detoxify

    paths = fetch_detoxify(model_type, dest, checkpoint_url=checkpoint_url, hub_base_url=hub_url)
    click.echo("Copy the folder to the workers' machines and set:")
    click.echo("MOD_TOXICITY__BACKEND=detoxify")
    click.echo(f"MOD_TOXICITY__DETOXIFY__MODEL_TYPE={model_type}")
    click.echo(f"MOD_TOXICITY__DETOXIFY__CHECKPOINT={paths['checkpoint']}")
    click.echo(f"MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH={paths['huggingface_config_path']}")


@cli.group()
def channel() -> None:
    """Where a site's moderators hear about comments that need them: webhook, Slack, Telegram, e-mail."""


def _site_named(session, name: str):  # type: ignore[no-untyped-def]
    from ingest.sites import find_site

    found = find_site(session, name)
    if found is None:
        raise click.UsageError(f"no site named {name!r}")
    return found


@channel.command("add")
@click.option("--site", "site_name", required=True)
@click.option("--kind", required=True, type=click.Choice(["webhook", "slack", "telegram", "email"]))
@click.option("--target", required=True,
              help="webhook/slack: the URL; telegram: the chat id (-100…, @channel); email: addresses, comma-separated.")
@click.option("--secret", help="telegram: the bot token; webhook: a signing key (default: the site's secret).")
@click.option("--events", default="review,report", show_default=True,
              help="Which of review, report, reject to hear about, comma-separated.")
@click.option("--digest-interval", type=int, help="Seconds: at most one message per interval; more comments wait for a digest.")
@click.option("--digest-max", type=int, help="How many comments a digest shows (the worst first).")
def channel_add(site_name: str, kind: str, target: str, secret: str | None, events: str,
                digest_interval: int | None, digest_max: int | None) -> None:
    """Add a channel; `modctl channel test --id N` then sends it a test message."""
    from notify.channel_admin import add_channel
    from shared.db import session_scope

    settings = get_settings()
    with session_scope(settings.database_url) as session:
        try:
            added = add_channel(session, _site_named(session, site_name), kind=kind, target=target, secret=secret,
                                events=tuple(e.strip() for e in events.split(",") if e.strip()),
                                settings=settings.notify, digest_interval_s=digest_interval, digest_max_items=digest_max)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        summary = (f"channel {added.id}: {kind} → {target} for {site_name}, events {', '.join(added.events)}, "
                   f"digest every {added.digest_interval_s}s, up to {added.digest_max_items} comments")
    click.echo(summary)


@channel.command("list")
@click.option("--site", "site_name", help="Only this site's channels.")
def channel_list(site_name: str | None) -> None:
    """Every channel with its delivered, pending and dead messages and the last error."""
    from notify.channel_admin import list_channels
    from shared.db import session_scope

    with session_scope(get_settings().database_url) as session:
        health = list_channels(session, _site_named(session, site_name) if site_name else None)
        lines = [
            f"{h.channel.id:>4}  {h.site_name:<12} {h.channel.kind:<8} {h.channel.target:<40} "
            f"{'active' if h.channel.active else 'off':<6} delivered={h.delivered} pending={h.pending} dead={h.dead}"
            + (f"  last error: {h.last_error}" if h.last_error else "")
            for h in health
        ]
    click.echo("\n".join(lines) if lines else "no channels")


@channel.command("test")
@click.option("--id", "channel_id", type=int, required=True)
def channel_test(channel_id: int) -> None:
    """Send a test message now and say what the channel answered (exit 1 if it failed)."""
    from notify import channels
    from notify.alerts.dispatch import channel_target
    from notify.channel_admin import sample_alert
    from shared.db import session_scope
    from shared.models import NotificationChannel, Site

    settings = get_settings()
    with session_scope(settings.database_url) as session:
        found = session.get(NotificationChannel, channel_id)
        if found is None:
            raise click.UsageError(f"no channel {channel_id}")
        site_row = session.get(Site, found.site_id)
        target, alert = channel_target(found, site_row), sample_alert(site_row, settings.base_url)
    result = channels.send(target, alert, settings.notify, message_id=0)
    if not result.delivered:
        click.echo(f"channel {channel_id} failed: {result.error}", err=True)
        raise SystemExit(1)
    click.echo(f"channel {channel_id}: test message delivered in {result.duration_ms} ms")


@channel.command("remove")
@click.option("--id", "channel_id", type=int, required=True)
def channel_remove(channel_id: int) -> None:
    """Stop and delete a channel, with its messages' history."""
    from shared.db import session_scope
    from shared.models import NotificationChannel

    with session_scope(get_settings().database_url) as session:
        found = session.get(NotificationChannel, channel_id)
        if found is None:
            raise click.UsageError(f"no channel {channel_id}")
        session.delete(found)
    click.echo(f"channel {channel_id} removed")


@cli.group()
def notifications() -> None:
    """Inspect and replay notifications (site callbacks)."""


@notifications.command("replay")
@click.option("--id", "ids", type=int, multiple=True, help="A dead notification's id (repeatable).")
@click.option("--all-dead", is_flag=True, help="Replay every dead notification.")
def notifications_replay(ids: tuple[int, ...], all_dead: bool) -> None:
    """Send dead notifications again, with a fresh retry budget."""
    from shared.celery_app import create_celery
    from shared.db import session_scope
    from shared.notifications import delivery_task, revive_dead

    if not ids and not all_dead:
        raise click.UsageError("name notifications with --id, or pass --all-dead")
    settings = get_settings()
    with session_scope(settings.database_url) as session:
        revived = revive_dead(session, list(ids) if ids else None)
    celery = create_celery(settings)
    for notification_id, kind in revived:
        celery.send_task(delivery_task(kind), args=[notification_id])
    listed = ", ".join(str(notification_id) for notification_id, _ in revived)
    click.echo(f"replaying {len(revived)} notification(s): {listed or '-'}")


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
