"""The console in a real browser: headless Chromium against the real web app and a real notify worker.

A moderator logs in, sees a held comment with its marked words, approves it with the keyboard, and the
site's callback server receives the signed decision; the new comment counter, undo and the language
switch work the way a moderator uses them.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from moderation.moderators.accounts import create_moderator
from notify.signing import verify
from services.web import create_app
from shared.celery_app import create_celery
from shared.models import ModerationAction
from shared.settings import Settings
from tests.console.conftest import PASSWORD, hold_for_review
from tests.support.http_server import http_server
from tests.support.processes import log_contains, service_env, stop, wait_until, worker
from tests.support.sites import make_site
from tests.support.web_server import serve

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def browser():  # type: ignore[no-untyped-def]
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
    fast = settings.model_copy(update={"console": settings.console.model_copy(update={"poll_interval_s": 0.5})})
    with serve(create_app(fast, create_celery(fast))) as url:
        yield url


@pytest.fixture
def notify_worker(settings: Settings, tmp_path: Path) -> Iterator[None]:
    """A real notify worker, started as compose starts it, delivering the callbacks the console queues."""
    log = tmp_path / "notify.log"
    env = service_env(MOD_DATABASE_URL=settings.database_url, MOD_BROKER_URL=settings.broker_url)
    process = worker("notify", env, log, "--pool", "threads", "--concurrency", "2", "-n", "console-notify@%h")
    wait_until(log_contains(log, " ready."), timeout_s=60, what="notify worker", log=log)
    yield
    stop(process)


def test_a_moderator_approves_with_the_keyboard_and_the_site_is_told(browser, console_url, notify_worker, settings, db):
    with http_server() as (callback_url, recorder):
        site = make_site(settings.database_url, name="luki", callback_url=f"{callback_url}/moderation")
        create_moderator(db, username="masha", password=PASSWORD)
        db.commit()
        comment = hold_for_review(
            db,
            site.id,
            "Автор статьи дурак и идиот",
            ["дурак", "идиот"],
            external_id="c-1",
            article_title="Деловая миссия в Великих Луках",
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})

        page.goto(f"{console_url}/console/queue")
        page.fill("input[name=username]", "masha")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        card = page.locator(f"#comment-{comment.id}")
        card.wait_for()
        assert page.locator(f"#comment-{comment.id} mark").all_inner_texts() == ["дурак", "идиот"]
        assert page.locator(".summary .total").inner_text() == "1 комментарий"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "console-queue.png"), full_page=True)

        page.keyboard.press("a")  # the first card is selected when the page opens

        card.wait_for(state="detached")
        assert "1 комментарий одобрен" in page.locator("#flash").inner_text()
        [callback] = recorder.wait_for(1)
        assert verify(site.signing_secret, callback.headers, callback.body)
        assert callback.json()["comment_id"] == comment.id and callback.json()["decision"] == "approve"
        assert callback.json()["decided_by"] == "moderator:masha"
        action = db.scalar(select(ModerationAction).where(ModerationAction.comment_id == comment.id))
        assert (action.action, action.actor) == ("approve", "moderator:masha")

        # A comment arriving while the page is open is announced by the poll.
        hold_for_review(db, site.id, "Ещё один", [], external_id="c-2")
        page.locator("#new-comments").wait_for(state="visible")
        assert page.locator("#new-comments").inner_text() == "1 новый комментарий — показать"

        # Undo from the flash message brings the comment back, and the site hears that too.
        page.locator("#flash button.undo").click()
        card.wait_for()
        assert recorder.wait_for(2)[1].json()["status"] == "review"

        page.click("button[name=locale][value=en]")
        page.locator("text=Approve").first.wait_for()
        assert "2 comments" in page.locator(".summary .total").inner_text()

        page.goto(f"{console_url}/console/comments/{comment.id}")
        audit = page.locator("table.audit").inner_text()
        assert "approval" in audit and "undo of" in audit and "moderator:masha" in audit
