"""The console in Russian (the default) or English: each moderator's choice, and labels for stored codes.

Stored codes (reject reasons, categories, statuses) stay English in the database and the API; only
their labels are translated, here, so the catalogs hold every string a moderator reads.
"""

from pathlib import Path

from flask import Flask, session
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from moderation.moderators.accounts import LOCALES

TRANSLATIONS = Path(__file__).parent / "translations"
DEFAULT_LOCALE = "ru"

# Why moderation.moderators.decisions refused an action, by its code (its own messages are English, for the API).
DECISION_ERRORS = {
    "not_found": _l("That comment or action does not exist."),
    "superseded": _l("The comment has been decided or edited since."),
    "already_undone": _l("That action is already undone."),
    "not_undoable": _l("An undo cannot be undone; take the action again instead."),
    "invalid_reason": _l("Choose one of the listed reasons."),
    "invalid_decision": _l("Choose approve or reject."),
    "invalid_until": _l("A suspension must end in the future."),
}

REJECT_REASON_LABELS = {
    "spam": _l("Spam"), "toxicity": _l("Toxic"), "obscene": _l("Obscene"), "insult": _l("Insult"),
    "threat": _l("Threat"), "identity_attack": _l("Identity attack"), "off_topic": _l("Off topic"),
    "personal_data": _l("Personal data"), "other": _l("Other"),
}
CATEGORY_LABELS = {
    "toxicity": _l("toxicity"), "severe_toxicity": _l("severe toxicity"), "obscene": _l("obscenity"),
    "insult": _l("insult"), "threat": _l("threat"), "identity_attack": _l("identity attack"), "spam": _l("spam"),
    "banned_word": _l("banned word"), "suspect_word": _l("suspect word"),
}
STATUS_LABELS = {
    "pending": _l("being scored"), "review": _l("waiting for review"), "approved": _l("approved"),
    "rejected": _l("rejected"),
}
QUEUE_LABELS = {
    "review": _l("Review"), "reported": _l("Reported"), "rejected": _l("Rejected"), "approved": _l("Approved"),
    "all": _l("All"),
}
SORT_LABELS = {"newest": _l("Newest first"), "oldest": _l("Oldest first"), "toxic": _l("Most toxic first")}
ACTION_LABELS = {
    "approve": _l("approval"), "reject": _l("rejection"), "ban": _l("author ban"),
    "suspend": _l("author suspension"), "undo": _l("undo of"),
}
SUSPENSIONS = {"1d": (1, _l("for 1 day")), "7d": (7, _l("for 7 days")), "30d": (30, _l("for 30 days"))}
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


def select_locale() -> str:
    """The logged-in moderator's language; before login, the one picked on the login page."""
    if current_user.is_authenticated:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else DEFAULT_LOCALE


def label(labels: dict, code: str | None) -> str:
    """The translated label of a stored code; an unknown code is shown as it is."""
    return str(labels[code]) if code in labels else (code or "")


def init_i18n(app: Flask) -> None:
    app.config.update(BABEL_DEFAULT_LOCALE=DEFAULT_LOCALE, BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
                      BABEL_DEFAULT_TIMEZONE=app.config["SETTINGS"].console.timezone)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        REJECT_REASON_LABELS=REJECT_REASON_LABELS, CATEGORY_LABELS=CATEGORY_LABELS, STATUS_LABELS=STATUS_LABELS,
        QUEUE_LABELS=QUEUE_LABELS, SORT_LABELS=SORT_LABELS, ACTION_LABELS=ACTION_LABELS, SUSPENSIONS=SUSPENSIONS,
        LANGUAGE_NAMES=LANGUAGE_NAMES, label=label,
    )
