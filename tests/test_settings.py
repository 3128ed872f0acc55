"""Settings come from MOD_* variables; a partial threshold map changes only what it names."""

from shared.settings import Settings


def test_nested_settings_come_from_double_underscore_variables(monkeypatch):
    monkeypatch.setenv("MOD_DATABASE_URL", "postgresql+psycopg://db/modsys")
    monkeypatch.setenv("MOD_CALLBACK__MAX_ATTEMPTS", "3")
    monkeypatch.setenv("MOD_POLICY__REJECT", '{"toxicity": 0.8}')

    settings = Settings()

    assert settings.database_url == "postgresql+psycopg://db/modsys"
    assert settings.callback.max_attempts == 3
    assert settings.policy.reject["toxicity"] == 0.8
    assert settings.policy.reject["threat"] == 0.9  # untouched categories keep their default
    assert settings.policy.review["toxicity"] == 0.5
