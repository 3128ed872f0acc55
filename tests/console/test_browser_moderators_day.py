"""A moderator's day in a real browser (Chromium): one story's comments, the author drawer with a
note, a ban that asks first, an edited comment's history, counts that follow the actions, and pages
that fit a 390 px phone and use a wide screen. Screenshots land in tests/artifacts/."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from moderation.moderators.accounts import create_moderator
from moderation.moderators.decisions import ban_author, undo_action
from shared.models import (
    AuthorNote,
    AuthorRestriction,
    Comment,
    CommentReport,
    CommentVersion,
    ModerationAction,
    Notification,
    Site,
    utcnow,
)
from tests.console.conftest import PASSWORD, hold_for_review
from tests.support.browser import DESKTOP, PHONE, WIDE, horizontal_overflow, log_in, screenshot
from tests.support.factories import make_callback, make_comment
from tests.support.sites import make_site

pytestmark = pytest.mark.e2e
BRIDGE, ELECTION = "Мост через Ловать откроют в декабре", "Выборы мэра: кто идёт"


@pytest.fixture
def day(settings, db):
    """A site with two stories' comments, a reported one, an author banned once, two moderators."""
    site = make_site(settings.database_url, name="luki")
    create_moderator(db, username="masha", password=PASSWORD)
    create_moderator(db, username="boss", password=PASSWORD, role="admin")
    db.commit()

    def held(n: int, article: str, title: str, author: str, name: str, text: str) -> Comment:
        return hold_for_review(
            db, site.id, text, ["дурак"], external_id=f"c-{n}", article_id=article, article_title=title,
            article_url=f"https://luki.ru/news/{article}", author_id=author, author_name=name,
        )  # fmt: skip

    comments = {
        "bridge-1": held(1, "a-1", BRIDGE, "vasya", "Вася Сизов", "Мост строят пять лет, мэр дурак"),
        "bridge-2": held(2, "a-1", BRIDGE, "petya", "Петя", "Наконец-то, спасибо дураку-подрядчику"),
        "bridge-3": held(3, "a-1", BRIDGE, "vasya", "Вася Сизов", "А деньги где, дурак?"),
        "election-1": held(4, "a-2", ELECTION, "vasya", "Вася Сизов", "Голосуйте за кого угодно, только не за дурака"),
    }
    approved = make_comment(
        db, site.id, external_id="c-5", status="approved", text="Явка будет низкой", article_id="a-2",
        article_title=ELECTION, author_id="vasya", author_name="Вася Сизов",
    )  # fmt: skip
    db.add(
        CommentReport(
            site_id=site.id, comment_id=approved.id, reporter_id="r-1", reason="abuse", note="Он всех оскорбляет"
        )
    )
    old_ban = ban_author(
        db, db.get(Site, site.id), "vasya", actor="moderator:boss", reason="insult", until=utcnow() + timedelta(days=1)
    )
    db.flush()
    undo_action(db, old_ban.action.id, actor="moderator:boss")
    db.commit()
    # The ban's undo put its rejections back in review; these are the comments as the day starts.
    return site, {**comments, "reported": approved}


def test_a_moderator_works_through_one_story_and_the_counts_follow(browser, console_url, day):
    _site, comments = day
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, console_url, "masha", PASSWORD, "/console/articles")

    stories = page.locator("table.articles tr[data-article]")
    assert stories.nth(0).locator("td.story a").first.inner_text() == BRIDGE  # the most waiting first
    assert stories.nth(0).locator("td").nth(1).inner_text().strip() == "3"
    screenshot(page, "articles-desktop")
    stories.nth(0).locator("td.story a").first.click()

    page.locator(".story-filter").wait_for()
    assert BRIDGE in page.locator(".story-filter").inner_text()
    shown = {int(i) for i in page.locator("article.card").evaluate_all("cards => cards.map(c => c.dataset.id)")}
    assert shown == {comments[n].id for n in ("bridge-1", "bridge-2", "bridge-3")}
    assert page.locator('.count[data-queue="review"]').inner_text() == "3"  # the story's own counts
    assert page.locator(".summary .total").inner_text() == "3 комментария"

    page.keyboard.press("a")  # approve the first card; the page does not reload
    page.locator(f"#comment-{comments['bridge-3'].id}").wait_for(state="detached")
    page.wait_for_function("document.querySelector('.summary .total').textContent === '2 комментария'")
    assert page.locator('.count[data-queue="review"]').inner_text() == "2"
    assert page.locator('.count[data-queue="approved"]').inner_text() == "1"

    page.locator(".story-filter a.clear").click()
    page.wait_for_function("document.querySelectorAll('article.card').length === 3")
    assert page.locator(".story-filter").count() == 0


def test_the_author_drawer_shows_their_history_and_keeps_a_note(browser, console_url, day, db):
    site, comments = day
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, console_url, "masha", PASSWORD, "/console/queue")

    page.locator(f"#comment-{comments['election-1'].id} a.author-link").click()
    drawer = page.locator("#drawer .author-drawer")
    drawer.wait_for()
    assert page.url.endswith("/console/queue")  # beside the queue, not instead of it
    text = drawer.inner_text()
    assert "Вася Сизов" in text and "2 материала" in text
    assert drawer.locator(".author-comments li").count() == 4  # on both stories
    assert BRIDGE in text and ELECTION in text
    assert "оскорбления — Он всех оскорбляет" in text  # a reader's report on one of theirs (quotes are CSS)
    assert "снята" in drawer.locator(".restrictions").inner_text()  # the suspension, lifted
    assert "Заметок пока нет." in text

    drawer.locator("textarea[name=text]").fill("Третий раз за неделю про мэра; в следующий раз — блок на 7 дней")
    drawer.locator(".add-note button").click()
    page.locator("#drawer .note").wait_for()
    assert "Третий раз за неделю" in page.locator("#drawer .note").inner_text()
    assert "masha" in page.locator("#drawer .note").inner_text()
    screenshot(page, "author-drawer-desktop")

    note = db.scalars(select(AuthorNote)).one()
    assert (note.site_id, note.author_id, note.actor) == (site.id, "vasya", "moderator:masha")
    audit = db.get(ModerationAction, note.action_id)
    assert (audit.action, audit.author_id, audit.note) == ("note", "vasya", note.text)

    page.keyboard.press("Escape")
    assert page.locator("#drawer").is_hidden()
    page.locator(f"#comment-{comments['bridge-1'].id} a.author-link").click()
    page.locator("#drawer .note").wait_for()  # the note is there for the next comment of theirs too
    page.locator("#drawer .note button.link").click()  # delete it: undoes its audit row
    page.locator("#drawer .notes .empty").wait_for()
    db.expire_all()
    assert db.get(AuthorNote, note.id).deleted_at is not None


def test_a_ban_asks_first_and_cancelling_bans_nobody(browser, console_url, day, db):
    _site, comments = day
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, console_url, "masha", PASSWORD, "/console/queue")
    card = page.locator(f"#comment-{comments['bridge-1'].id}")

    card.locator("select[name=duration]").select_option("7d")
    card.locator("button.ban").click()
    dialog = page.locator("dialog#confirm-ban")
    dialog.wait_for()
    assert "Вася Сизов (vasya): 3 комментария, ждущих модератора, будут отклонены" in dialog.inner_text()
    assert "на 7 дней" in dialog.inner_text()
    screenshot(page, "ban-confirmation")
    dialog.locator("button[value=cancel]").click()
    assert dialog.is_hidden()
    assert db.scalars(select(AuthorRestriction).where(AuthorRestriction.lifted_at.is_(None))).all() == []

    card.locator("button.ban").click()
    dialog.locator("button[value=confirm]").click()
    page.locator(".flash-action").wait_for()
    assert "Автор заблокирован на 7 дней" in page.locator("#flash").inner_text()
    restriction = db.scalars(select(AuthorRestriction).where(AuthorRestriction.lifted_at.is_(None))).one()
    assert (restriction.author_id, restriction.kind) == ("vasya", "suspend")
    db.expire_all()
    assert {db.get(Comment, comments[n].id).status for n in ("bridge-1", "bridge-3", "election-1")} == {"rejected"}


def test_an_edited_comment_shows_each_version_and_what_changed(browser, console_url, day, db):
    site, comments = day
    comment = comments["bridge-2"]
    reject = ModerationAction(
        site_id=site.id, comment_id=comment.id, author_id=comment.author_id, actor="moderator:masha", action="reject",
        reason="insult", previous_status="review", new_status="rejected", version=1, undone=False,
    )  # fmt: skip
    db.add(reject)
    db.add(CommentVersion(comment_id=comment.id, version=2, text="Наконец-то, спасибо подрядчику и мэрии"))
    db.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(version=2, text="Наконец-то, спасибо подрядчику и мэрии", status="review")
    )
    db.commit()
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, console_url, "masha", PASSWORD, f"/console/comments/{comment.id}")

    newest = page.locator("#history article.version").first
    assert newest.get_attribute("data-version") == "2"
    assert newest.locator("del").all_inner_texts() == ["дураку-"]
    assert newest.locator("ins").all_inner_texts() == [" и мэрии"]
    assert "модераторы: отклонить" in page.locator('#history article.version[data-version="1"]').inner_text()
    row = page.locator(f'tr[data-action-id="{reject.id}"]')
    assert "с тех пор отредактирован" in row.inner_text() and row.locator("button.undo").count() == 0
    assert page.locator("kbd").count() == 0  # no key hints where the keys do nothing
    screenshot(page, "edit-history-desktop")


def test_every_page_fits_a_phone_and_uses_a_wide_screen(browser, console_url, day, db):
    site, comments = day
    long_error = (
        "ConnectionError: HTTPSConnectionPool(host='luki.ru', port=443): Max retries exceeded with url: " + "/x" * 80
    )
    dead = make_callback(db, site.id, "https://luki.ru/hooks/" + "very-long-path-" * 10, external_id="cb-1")
    db.execute(
        update(Notification).where(Notification.id == dead.id).values(status="dead", attempts=8, last_error=long_error)
    )
    db.commit()
    pages = {
        "queue": "/console/queue",
        "comment": f"/console/comments/{comments['reported'].id}",
        "articles": "/console/articles",
        "author": f"/console/sites/{site.id}/author?id=vasya",
        "deliveries": "/console/deliveries",
        "settings": "/console/settings",
        "simulator": "/console/policy/simulate",
    }
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP), ("wide", WIDE)):
        page = browser.new_page(viewport=viewport)
        log_in(page, console_url, "boss", PASSWORD)
        for what, path in pages.items():
            page.goto(f"{console_url}{path}")
            assert horizontal_overflow(page) == 0, f"{what} scrolls sideways at {viewport['width']} px"
            if name != "desktop" or what == "deliveries":
                screenshot(page, f"{what}-{name}")
        if name == "phone":  # the drawer and the dialog fit too
            page.goto(f"{console_url}/console/queue")
            page.locator("article.card a.author-link").first.click()
            page.locator("#drawer .author-drawer").wait_for()
            box = page.locator("#drawer").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
            screenshot(page, "author-drawer-phone")
        page.close()
