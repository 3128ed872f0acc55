"""The words of a moderator alert, in the site's language (Russian unless the site is English).

Plain strings only: each channel escapes and formats them for its own medium.
"""

from babel import Locale
from babel.numbers import format_percent

from notify.alerts.message import Alert, AlertEvent, AlertItem

# Digest titles by event, by CLDR plural form (Russian: one 1, 21; few 2–4, 22; many 5–20, 11).
_COUNTED = {
    "ru": {
        AlertEvent.REVIEW: {"one": "{n} комментарий ждёт проверки", "few": "{n} комментария ждут проверки",
                            "many": "{n} комментариев ждут проверки"},
        AlertEvent.REPORT: {"one": "Читатели пожаловались на {n} комментарий",
                            "few": "Читатели пожаловались на {n} комментария",
                            "many": "Читатели пожаловались на {n} комментариев"},
        AlertEvent.REJECT: {"one": "{n} комментарий отклонён автоматически",
                            "few": "{n} комментария отклонены автоматически",
                            "many": "{n} комментариев отклонены автоматически"},
    },
    "en": {
        AlertEvent.REVIEW: {"one": "{n} comment is waiting for review", "other": "{n} comments are waiting for review"},
        AlertEvent.REPORT: {"one": "Readers reported {n} comment", "other": "Readers reported {n} comments"},
        AlertEvent.REJECT: {"one": "{n} comment was rejected automatically",
                            "other": "{n} comments were rejected automatically"},
    },
}

_WORDS = {
    "ru": {
        "title.review": "Комментарий ждёт проверки", "title.report": "Читатели пожаловались на комментарий",
        "title.reject": "Комментарий отклонён автоматически", "title.test": "Проверка канала оповещений",
        "event.review": "Ждёт проверки", "event.report": "Жалоб читателей: {n}",
        "event.reject": "Отклонён автоматически",
        "count.review": "ждут проверки: {n}", "count.report": "с жалобами: {n}", "count.reject": "отклонены: {n}",
        "author": "Автор", "article": "Статья", "scores": "Оценки", "reasons": "Причины",
        "open": "Открыть в консоли", "queue": "Открыть очередь", "more": "… и ещё {n}", "untitled": "(без названия)",
        "test": "Это проверка: сюда будут приходить оповещения модерации сайта «{site}».",
    },
    "en": {
        "title.review": "A comment is waiting for review", "title.report": "Readers reported a comment",
        "title.reject": "A comment was rejected automatically", "title.test": "Alert channel test",
        "event.review": "Waiting for review", "event.report": "Readers' reports: {n}",
        "event.reject": "Rejected automatically",
        "count.review": "waiting for review: {n}", "count.report": "reported: {n}", "count.reject": "rejected: {n}",
        "author": "Author", "article": "Article", "scores": "Scores", "reasons": "Reasons",
        "open": "Open in console", "queue": "Open the queue", "more": "… and {n} more", "untitled": "(untitled)",
        "test": "This is a test: moderation alerts for “{site}” will arrive here.",
    },
}

_CATEGORIES = {
    "ru": {"toxicity": "токсичность", "severe_toxicity": "тяжёлая токсичность", "obscene": "мат",
           "insult": "оскорбление", "threat": "угроза", "identity_attack": "ненависть к группе", "spam": "спам"},
    "en": {"toxicity": "toxicity", "severe_toxicity": "severe toxicity", "obscene": "obscenity",
           "insult": "insult", "threat": "threat", "identity_attack": "identity attack", "spam": "spam"},
}


def language_of(alert: Alert) -> str:
    """"en" for English sites, "ru" for everything else (the default)."""
    return "en" if alert.language.lower().startswith("en") else "ru"


def word(key: str, language: str, **values: object) -> str:
    """A label or sentence by key, e.g. word("open", "ru") == "Открыть в консоли"."""
    return _WORDS[language][key].format(**values)


def counted(event: str, n: int, language: str) -> str:
    """"{n} комментариев ждут проверки" with the plural form Babel gives for n."""
    forms = _COUNTED[language][event]
    form = Locale.parse(language).plural_form(n)
    return (forms.get(form) or forms.get("many") or forms["other"]).format(n=n)


def title(alert: Alert) -> str:
    """The headline: one comment's event, or the digest's count, or the channel test."""
    language = language_of(alert)
    if alert.is_test:
        return word("title.test", language)
    event = _main_event(alert)
    if alert.is_digest:
        return counted(event, alert.total, language)
    return word(f"title.{event}", language)


def _main_event(alert: Alert) -> str:
    """The digest's single kind of event; REVIEW when kinds are mixed (moderators must act on them)."""
    kinds = [event for event, n in alert.counts.items() if n] or sorted({item.event for item in alert.items})
    return kinds[0] if len(kinds) == 1 and kinds[0] in AlertEvent.ALL else AlertEvent.REVIEW


def counts_line(alert: Alert) -> str | None:
    """"ждут проверки: 10 · с жалобами: 2" when a digest mixes kinds of events, else None."""
    present = [(event, alert.counts.get(event, 0)) for event in AlertEvent.ALL if alert.counts.get(event)]
    if len(present) < 2:
        return None
    line = " · ".join(word(f"count.{event}", language_of(alert), n=n) for event, n in present)
    return line[:1].upper() + line[1:]


def item_heading(item: AlertItem, language: str) -> str:
    return word(f"event.{item.event}", language, n=item.report_count)


def category_name(category: str, language: str) -> str:
    return _CATEGORIES[language].get(category, category.replace("_", " "))


def scores_line(item: AlertItem, language: str) -> str:
    """"токсичность 93 % · мат 71 %"."""
    return " · ".join(f"{category_name(c, language)} {format_percent(s, locale=language)}" for c, s in item.top_scores)


def more_line(hidden: int, language: str) -> str:
    """"… и ещё 7": the events a cut digest does not show."""
    return word("more", language, n=hidden)


def test_text(alert: Alert) -> str:
    return word("test", language_of(alert), site=alert.site_name)
