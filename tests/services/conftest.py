"""modctl run in-process with the tests' settings."""

import pytest
from click.testing import CliRunner

from services.modctl import cli


@pytest.fixture
def modctl(settings, monkeypatch):
    """Run modctl with the tests' settings in its environment, as an operator's shell would."""
    from shared.settings import get_settings

    monkeypatch.setenv("MOD_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOD_BROKER_URL", settings.broker_url)
    monkeypatch.setenv("MOD_ALLOW_PRIVATE_TARGETS", "true")  # the tests' receivers listen on loopback
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(cli, list(args), catch_exceptions=False)
    get_settings.cache_clear()
