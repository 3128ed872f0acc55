"""docs/settings.md documents every MOD_* setting, and says what the code says."""

import re
from pathlib import Path

from services.settings_reference import settings_reference, undocumented
from shared.settings import Settings
from tests.test_compose import setting_env_names

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "settings.md"


def test_every_setting_says_what_it_does():
    assert undocumented() == [], "give these settings a docstring in shared/settings.py"


def test_the_page_lists_every_setting():
    documented = set(re.findall(r"^\| `(MOD_[A-Z0-9_]+)`", PAGE.read_text(), re.MULTILINE))
    assert documented == setting_env_names(Settings)


def test_the_page_is_what_the_settings_say_now():
    assert PAGE.read_text(encoding="utf-8") == settings_reference(), "stale: run `make settings-doc`"


def test_every_variable_the_code_and_docs_name_is_a_documented_setting():
    # A MOD_* variable read straight from the environment would escape the Settings class (and this page).
    sources = [
        *ROOT.glob("shared/**/*.py"),
        *ROOT.glob("ingest/**/*.py"),
        *ROOT.glob("moderation/**/*.py"),
        *ROOT.glob("notify/**/*.py"),
        *ROOT.glob("services/**/*.py"),
        ROOT / "README.md",
        ROOT / "compose.yaml",
        *ROOT.glob("ops/**/*.yaml"),
        *ROOT.glob("ops/**/*.yml"),
    ]
    named = {m for path in sources for m in re.findall(r"\bMOD_[A-Z0-9_]*[A-Z0-9]\b", path.read_text())}
    documented = setting_env_names(Settings)
    strays = {n for n in named - documented if not any(d.startswith(n + "__") for d in documented)}
    assert not strays, f"not settings: {sorted(strays)}"
