"""Callbacks and webhooks go to http(s) URLs of public hosts only, unless the operator allows private ones."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from notify import tasks
from shared.celery_app import create_celery
from shared.models import DeliveryAttempt, Notification
from shared.targets import TargetRefusedError, check_target
from tests.support.factories import make_callback
from tests.support.sites import make_site


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://example.com/",
        "http://127.0.0.1:8080/cb",
        "http://localhost/cb",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/cb",
        "http://[fe80::1%25eth0]/cb",
        "http://10.1.2.3/cb",
        "http://192.168.0.10/cb",
    ],
)
def test_local_or_non_http_targets_are_refused(url):
    with pytest.raises(TargetRefusedError):
        check_target(url, allow_private=False)


def test_public_addresses_pass_and_the_operator_may_allow_private_ones():
    check_target("https://93.184.216.34/hooks", allow_private=False)
    check_target("http://127.0.0.1:8080/cb", allow_private=True)
    with pytest.raises(TargetRefusedError):
        check_target("file:///etc/passwd", allow_private=True)  # never anything but http(s)


def _deliver(settings, notification_id: int) -> None:
    app = create_celery(settings, ["notify.tasks"])
    app.loader.import_default_modules()
    app.tasks[tasks.task_names.DELIVER_CALLBACK].run(notification_id)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/cb"])
def test_a_refused_callback_is_dead_at_once_not_retried(settings, db, url):
    site = make_site(settings.database_url, name="luki")
    notification_id = make_callback(db, site.id, url).id
    strict = settings.model_copy(update={"allow_private_targets": False})

    _deliver(strict, notification_id)

    db.expire_all()
    assert db.get(Notification, notification_id).status == "dead"
    attempt = db.scalar(select(DeliveryAttempt))
    assert attempt.error.startswith("refused:")


def test_modctl_refuses_a_loopback_callback_url_unless_allowed(settings, monkeypatch):
    from services.modctl import cli
    from shared.settings import get_settings

    monkeypatch.setenv("MOD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOD_ALLOW_PRIVATE_TARGETS", "false")
    get_settings.cache_clear()
    refused = CliRunner().invoke(cli, ["site", "create", "--name", "x", "--callback-url", "http://127.0.0.1:9/cb"])
    assert refused.exit_code != 0 and "MOD_ALLOW_PRIVATE_TARGETS" in refused.output

    monkeypatch.setenv("MOD_ALLOW_PRIVATE_TARGETS", "true")
    get_settings.cache_clear()
    allowed = CliRunner().invoke(cli, ["site", "create", "--name", "x", "--callback-url", "http://127.0.0.1:9/cb"])
    get_settings.cache_clear()
    assert allowed.exit_code == 0, allowed.output
