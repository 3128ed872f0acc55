"""A process that scores without a shared counter store says so when it starts."""

import logging

from moderation.spam import scorer
from services.web import create_app


def test_a_web_process_without_a_shared_counter_store_warns_at_start(settings, caplog):
    scorer._build.cache_clear()  # as a fresh process
    with caplog.at_level(logging.WARNING, logger="moderation.spam.scorer"):
        create_app(settings)
    (warning,) = [r for r in caplog.records if r.name == "moderation.spam.scorer"]
    assert "MOD_SPAM__REDIS_URL is not set" in warning.getMessage()


def test_with_a_shared_store_it_starts_quietly(settings, redis_url, caplog):
    scorer._build.cache_clear()
    shared = settings.model_copy(update={"spam": settings.spam.model_copy(update={"redis_url": redis_url})})
    with caplog.at_level(logging.WARNING, logger="moderation.spam.scorer"):
        create_app(shared)
    assert not [r for r in caplog.records if r.name == "moderation.spam.scorer"]
