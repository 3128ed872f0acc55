"""The console in Russian (the default) or English: each moderator's choice, and labels for stored codes.

Stored codes (reject reasons, categories, statuses) stay English in the database and the API; only
their labels are translated, from the one catalog in shared/translations. Categories and reject
reasons are labelled where they are defined (shared.categories, shared.vocabulary); the console's
own words for statuses, queues, sorts and actions are here, one per member.
"""

from collections.abc import Mapping
from typing import Any

from flask import Flask, session
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from shared.categories import SCORE_LABELS
from shared.i18n import DEFAULT_LANGUAGE, TRANSLATIONS_DIR
from shared.vocabulary import REJECT_REASON_LABELS as REASON_MESSAGES
from shared.vocabulary import REPORT_REASON_LABELS as REPORT_MESSAGES
from shared.vocabulary import ActionKind, CommentStatus, Decision, Language, Queue, QueueSort

# Why moderation.moderators.decisions refused an action, by its code (its own messages are English, for the API).
DECISION_ERRORS = {
    "not_found": _l("That comment or action does not exist."),
    "superseded": _l("The comment has been decided or edited since."),
    "already_undone": _l("That action is already undone."),
    "not_undoable": _l("That action cannot be undone; take it again instead."),
    "empty_note": _l("A note needs some text."),
    "note_too_long": _l("A note is at most 2000 characters."),
    "invalid_reason": _l("Choose one of the listed reasons."),
    "invalid_decision": _l("Choose approve or reject."),
    "invalid_until": _l("A suspension must end in the future."),
}

REJECT_REASON_LABELS = {reason: _l(label) for reason, label in REASON_MESSAGES.items()}
REPORT_REASON_LABELS = {reason: _l(label) for reason, label in REPORT_MESSAGES.items()}
CATEGORY_LABELS = {
    **{score: _l(label) for score, label in SCORE_LABELS.items()},
    "banned_words": _l("banned word"),
    "suspect_words": _l("suspect word"),
}
STATUS_LABELS = {
    CommentStatus.PENDING: _l("being scored"),
    CommentStatus.REVIEW: _l("waiting for review"),
    CommentStatus.APPROVED: _l("approved"),
    CommentStatus.REJECTED: _l("rejected"),
}
DECISION_LABELS = {
    Decision.APPROVE: _l("approve"),
    Decision.REVIEW: _l("to review"),
    Decision.REJECT: _l("reject"),
}
# "pending" is the machine's queue, not a moderator's: the console does not offer it.
QUEUE_LABELS = {
    Queue.REVIEW: _l("Review"),
    Queue.REPORTED: _l("Reported"),
    Queue.REJECTED: _l("Rejected"),
    Queue.APPROVED: _l("Approved"),
    Queue.ALL: _l("All"),
}
SORT_LABELS = {
    QueueSort.NEWEST: _l("Newest first"),
    QueueSort.OLDEST: _l("Oldest first"),
    QueueSort.TOXIC: _l("Most toxic first"),
}
ACTION_LABELS = {
    ActionKind.APPROVE: _l("approval"),
    ActionKind.REJECT: _l("rejection"),
    ActionKind.BAN: _l("author ban"),
    ActionKind.SUSPEND: _l("author suspension"),
    ActionKind.UNDO: _l("undo of"),
    ActionKind.NOTE: _l("note on the author"),
}
SUSPENSIONS = {"1d": (1, _l("for 1 day")), "7d": (7, _l("for 7 days")), "30d": (30, _l("for 30 days"))}
LANGUAGE_NAMES = {Language.RU: "Русский", Language.EN: "English"}


def select_locale() -> str:
    """The logged-in moderator's language; before login, the one picked on the login page."""
    if current_user.is_authenticated:
        return str(current_user.locale)
    chosen = session.get("locale")
    return chosen if chosen in tuple(Language) else DEFAULT_LANGUAGE


def label(labels: Mapping[Any, object], code: str | None) -> str:
    """The translated label of a stored code; an unknown code is shown as it is."""
    return str(labels[code]) if code in labels else (code or "")


def init_i18n(app: Flask) -> None:
    app.config.update(
        BABEL_DEFAULT_LOCALE=DEFAULT_LANGUAGE,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS_DIR),
        BABEL_DEFAULT_TIMEZONE=app.config["SETTINGS"].console.timezone,
    )
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        REJECT_REASON_LABELS=REJECT_REASON_LABELS,
        REPORT_REASON_LABELS=REPORT_REASON_LABELS,
        CATEGORY_LABELS=CATEGORY_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        DECISION_LABELS=DECISION_LABELS,
        QUEUE_LABELS=QUEUE_LABELS,
        SORT_LABELS=SORT_LABELS,
        ACTION_LABELS=ACTION_LABELS,
        SUSPENSIONS=SUSPENSIONS,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        label=label,
    )
