"""modctl: the operator's command line for everything the service does, one module per command group."""

import click

from services.modctl import bench, channel, moderator, notifications, run, site, spam, toxicity


@click.group()
def cli() -> None:
    """Operate the comment moderation service. Settings come from MOD_* environment variables."""


for command in (
    run.migrate,
    site.site,
    moderator.moderator,
    toxicity.train,
    toxicity.eval_,
    toxicity.bench_speed,
    bench.bench_pipeline,
    bench.bench_ingest,
    bench.bench_analyze,
    spam.train_spam,
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
