"""The moderators' catalogs (console, alerts, reasons): complete in Russian, compiled .mo files in step
with their .po sources and the code."""

from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from shared.i18n import TRANSLATIONS_DIR as TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
    "NP_": (1, 2),
    "phrase": None,
    "plural_phrase": (1, 2),
}
METHOD_MAP = [
    ("shared/**.py", "python"),
    ("moderation/**.py", "python"),
    ("notify/**.py", "python"),
    ("moderation/web/console/templates/**.html", "jinja2"),
]


def catalog(locale: str, kind: str):  # type: ignore[no-untyped-def]
    path = TRANSLATIONS / locale / "LC_MESSAGES" / f"messages.{kind}"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale) if kind == "po" else read_mo(handle)


def _key(value):  # type: ignore[no-untyped-def]
    return tuple(value) if isinstance(value, (list, tuple)) else value


def translations(cat) -> dict:  # type: ignore[no-untyped-def]
    return {_key(message.id): _key(message.string) for message in cat if message.id and not message.fuzzy}


def test_every_russian_message_is_translated_including_each_plural_form():
    ru = catalog("ru", "po")
    assert ru.num_plurals == 3
    untranslated = [
        m.id for m in ru if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_the_committed_mo_is_the_po_compiled(locale):
    po = catalog(locale, "po")
    compiled = BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)

    assert translations(read_mo(compiled)) == translations(catalog(locale, "mo")), "run `make translations`"


def test_the_catalogs_hold_every_message_in_the_code_and_templates():
    in_code = {
        msgid if isinstance(msgid, str) else msgid[0]
        for _file, _line, msgid, *_ in extract_from_dir(str(ROOT), METHOD_MAP, keywords=KEYWORDS)
    }
    for locale in ("ru", "en"):
        in_catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(locale, "po") if m.id}
        assert in_code - in_catalog == set(), f"{locale}: run `make translations` and translate the new messages"
