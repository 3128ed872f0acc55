"""The words of a moderator alert, in the site's language (Russian unless the site is English).

Every text is a message id of the one catalog (shared/translations) that the console uses too, so a
category or a reason reads the same in an alert as on the comment's page. Plain strings only: each
channel escapes and formats them for its own medium.
"""

from babel.numbers import format_percent

from notify.alerts.message import Alert, AlertItem
from shared.categories import SCORE_LABELS
from shared.i18n import N_, NP_, Translator, translations
from shared.vocabulary import EventKind, Language

# Digest titles by event: how many comments, in the plural form the language gives for the number.
_COUNTED = {
    EventKind.REVIEW: NP_("%(num)d comment is waiting for review", "%(num)d comments are waiting for review"),
    EventKind.REPORT: NP_("Readers reported %(num)d comment", "Readers reported %(num)d comments"),
    EventKind.REJECT: NP_("%(num)d comment was rejected automatically", "%(num)d comments were rejected automatically"),
}

_WORDS = {
    "title.review": N_("A comment is waiting for review"),
    "title.report": N_("Readers reported a comment"),
    "title.reject": N_("A comment was rejected automatically"),
    "title.test": N_("Alert channel test"),
    "event.review": N_("Waiting for review"),
    "event.report": N_("Readers' reports: %(n)d"),
    "event.reject": N_("Rejected automatically"),
    "count.review": N_("waiting for review: %(n)d"),
    "count.report": N_("reported: %(n)d"),
    "count.reject": N_("rejected: %(n)d"),
    "author": N_("Author"),
    "article": N_("Article"),
    "scores": N_("Scores"),
    "reasons": N_("Reasons"),
    "open": N_("Open in console"),
    "queue": N_("Open the queue"),
    "more": N_("… and %(n)d more"),
    "untitled": N_("(untitled)"),
    "test": N_("This is a test: moderation alerts for “%(site)s” will arrive here."),
}


def language_of(alert: Alert) -> str:
    """ "en" for English sites, "ru" for everything else (the default)."""
    return Language.EN if alert.language.lower().startswith("en") else Language.RU


def translator(language: str) -> Translator:
    return translations(language)


def word(key: str, language: str, **values: object) -> str:
    """A label or sentence by key, e.g. word("open", "ru") == "Открыть в консоли"."""
    text = translator(language).gettext(_WORDS[key])
    return text % values if values else text


def counted(event: str, n: int, language: str) -> str:
    """ "{n} комментариев ждут проверки", in the plural form the catalog gives for n."""
    singular, plural = _COUNTED[EventKind(event)]
    return translator(language).ngettext(singular, plural, n) % {"num": n}


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
    return kinds[0] if len(kinds) == 1 and kinds[0] in tuple(EventKind) else EventKind.REVIEW


def counts_line(alert: Alert) -> str | None:
    """ "ждут проверки: 10 · с жалобами: 2" when a digest mixes kinds of events, else None."""
    present = [(event, alert.counts.get(event, 0)) for event in EventKind if alert.counts.get(event)]
    if len(present) < 2:
        return None
    line = " · ".join(word(f"count.{event}", language_of(alert), n=n) for event, n in present)
    return line[:1].upper() + line[1:]


def item_heading(item: AlertItem, language: str) -> str:
    return word(f"event.{item.event}", language, n=item.report_count)


def category_name(category: str, language: str) -> str:
    return translator(language).gettext(SCORE_LABELS.get(category, category.replace("_", " ")))


def scores_line(item: AlertItem, language: str) -> str:
    """ "токсичность 93 % · мат 71 %"."""
    return " · ".join(f"{category_name(c, language)} {format_percent(s, locale=language)}" for c, s in item.top_scores)


def more_line(hidden: int, language: str) -> str:
    """ "… и ещё 7": the events a cut digest does not show."""
    return word("more", language, n=hidden)


def test_text(alert: Alert) -> str:
    return word("test", language_of(alert), site=alert.site_name)
