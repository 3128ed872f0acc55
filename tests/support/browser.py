"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the real web app
served on a loopback port, and what browser tests share: logging in, screenshots, page width."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.web import create_app
from shared.celery_app import create_celery
from shared.settings import Settings
from tests.support.web_server import serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # git-ignored: look at them
PHONE = {"width": 390, "height": 844}  # an iPhone 12-14's CSS pixels
DESKTOP = {"width": 1280, "height": 900}
WIDE = {"width": 1920, "height": 1080}


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def console_url(settings: Settings) -> Iterator[str]:
    """The whole web app (API and console) on a loopback port, the queue polling twice a second."""
    fast = settings.model_copy(update={"console": settings.console.model_copy(update={"poll_interval_s": 0.5})})
    with serve(create_app(fast, create_celery(fast))) as url:
        yield url


def log_in(page: Any, console_url: str, username: str, password: str, path: str = "/console/queue") -> None:
    page.goto(f"{console_url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))
