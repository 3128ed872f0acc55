"""What moderators read, in their language: one Babel catalog for the console, the alerts and the reasons.

Message ids are English. Code that defines a text marks it with N_() (or the console's _l());
code that shows it translates it for the reader: the console through Flask-Babel, alerts and
reasons through `translations(language)`. `make translations` extracts every marked text.
"""

from functools import cache
from pathlib import Path
from typing import Protocol

from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DEFAULT_LANGUAGE = "ru"


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name for a no-op marker)
    """Mark a message id for extraction where it is defined; it is translated where it is shown."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a message id with its plural form; the number picks one where it is shown (ngettext)."""
    return singular, plural


class Translator(Protocol):
    """What renders a text: gettext and ngettext of one language (Babel's and Flask-Babel's alike)."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of a language; English (and an unknown language) shows the message ids themselves."""
    return Translations.load(str(TRANSLATIONS_DIR), [language])
