"""Reasons carry their words as catalog phrases: English for the API, the moderator's language elsewhere."""

from datetime import UTC, datetime, timedelta

from moderation.spam.context import account_signal, duplicate_signal
from moderation.spam.scorer import SpamResult, spam_reasons
from moderation.spam.signals import text_signals
from shared.i18n import translations
from shared.models import Comment
from shared.reasons import Reason, ReasonCode, stored, threshold_reason
from shared.vocabulary import Decision

RU = translations("ru")


def test_a_threshold_reason_reads_in_english_for_the_api_and_in_russian_for_moderators():
    reason = threshold_reason("obscene", 0.97, 0.9, Decision.REJECT)
    assert reason.message == "obscene 0.97 ≥ reject threshold 0.90"
    assert reason.describe(RU) == "мат 0.97 ≥ порога отклонения 0.90"


def test_spam_signals_read_in_russian_with_the_plural_the_number_needs():
    signals = text_signals("Звоните 8 912 345-67-89 или 8 913 345-67-80, заработок от 5000 в день!")
    described = {r.signal: r.describe(RU) for r in spam_reasons(SpamResult(0.9, signals, None))}
    assert described["phone"].startswith("2 номера телефонов: ")
    assert "спам-фраз" in described["spam_words"]
    assert duplicate_signal(5, 3600).message == "same text as 5 comments in the last 60 min"
    assert (
        Reason(code=ReasonCode.SPAM_SIGNAL, phrases=duplicate_signal(5, 3600).phrases).describe(RU)
        == "тот же текст, что у 5 комментариев за последние 60 мин"
    )


def test_a_stored_reason_round_trips_through_its_json_row():
    reason = spam_reasons(SpamResult(0.9, text_signals("пиши в телеграм @kazino_bot"), None))[0]
    (again,) = stored([reason.as_json()])
    assert again == reason and again.describe(RU) == reason.describe(RU)


def test_a_row_stored_before_reasons_had_phrases_still_reads_in_russian():
    legacy = {"code": "category_threshold", "category": "insult", "decision": "review", "score": 0.7, "threshold": 0.5}
    assert stored([legacy])[0].describe(RU) == "оскорбление 0.70 ≥ порога проверки 0.50"
    assert stored([{"code": "spam_signal", "message": "a message"}])[0].describe(RU) == "a message"


def _registered(ago: timedelta) -> Comment:
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    return Comment(author_registered_at=now - ago, posted_at=now, created_at=now)


def test_an_account_age_counts_in_minutes_then_hours():
    assert account_signal(_registered(timedelta(minutes=1))).message == "account registered 1 minute ago"
    five_hours = account_signal(_registered(timedelta(hours=5)))
    assert (
        Reason(code=ReasonCode.SPAM_SIGNAL, phrases=five_hours.phrases).describe(RU)
        == "аккаунт зарегистрирован 5 часов назад"
    )
