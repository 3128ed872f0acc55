"""modctl: the operator's command line for everything the service does, one module per command group."""

import click

from services.modctl import bench, channel, moderator, notifications, policy, run, site, spam, toxicity
from services.modctl.problems import NEEDS_DATABASE, Modctl, missing_sqlite_file


@click.group(cls=Modctl)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Operate the comment moderation service. Settings come from MOD_* environment variables."""
    from shared.settings import get_settings

    settings = get_settings()  # every command: a bad setting is one line here, before any process starts
    if ctx.invoked_subcommand in NEEDS_DATABASE and (missing := missing_sqlite_file(settings.database_url)):
        raise click.ClickException(
            f"no database at {missing}: run `modctl migrate` (or `make run`) in the folder that should hold "
            "var/modsys.db, or set MOD_DATABASE_URL to the service's database"
        )


for command in (
    run.migrate,
    site.site,
    policy.policy,
    moderator.moderator,
    toxicity.train,
    toxicity.eval_,
    toxicity.eval_categories,
    toxicity.bench_speed,
    bench.bench_pipeline,
    bench.bench_faults,
    bench.bench_ingest,
    bench.bench_analyze,
    bench.bench_simulate,
    bench.bench_embedded,
    bench.profile_summary,
    spam.train_spam,
    spam.train_spam_prior,
    spam.eval_spam,
    spam.bench_spam,
    toxicity.models,
    channel.channel,
    notifications.notifications,
    run.serve_api,
    run.worker,
    run.beat,
    run.run,
    run.settings_doc,
):
    cli.add_command(command)
