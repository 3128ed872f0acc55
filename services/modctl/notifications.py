"""modctl notifications: replay dead callbacks and alerts."""

import click

from shared.settings import get_settings


@click.group()
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
