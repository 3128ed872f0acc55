"""The policy simulator in a real browser: an admin replays a proposal over the stored history, sees
both plots drawn (SVG from the server, no script needed), and applies it with one button."""

import pytest
from sqlalchemy import select

from moderation.moderators.accounts import create_moderator
from shared.models import Site, SiteChange
from shared.site_policy import load_site_policy
from shared.vocabulary import SiteAction
from tests.console.conftest import PASSWORD
from tests.support.browser import DESKTOP, PHONE, horizontal_overflow, log_in, screenshot
from tests.support.history import seed_history
from tests.support.sites import make_site

pytestmark = pytest.mark.e2e


def test_an_admin_simulates_a_proposal_sees_the_plots_and_applies_it(browser, console_url, settings, db):
    site = make_site(settings.database_url, name="luki")
    seed_history(db, site.id)
    create_moderator(db, username="boss", password=PASSWORD, role="admin")
    db.commit()
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, console_url, "boss", PASSWORD, f"/console/policy/simulate?site={site.id}")

    page.fill("input[name=from]", "2026-11-01")
    page.fill("input[name=to]", "2026-11-02")
    page.fill("input[name=review_toxicity]", "0.7")
    page.fill("textarea[name=banned_words]", "казино*")
    page.fill("input[name=new_author_review]", "1")
    page.click("button.primary")
    page.locator("#results").wait_for()

    held = page.locator("tr.held td").all_inner_texts()
    assert held[1:] == ["3", "1", "-2"]
    plots = page.locator("figure.chart svg")
    assert plots.count() == 2
    for n in range(2):
        box = plots.nth(n).bounding_box()
        assert box["width"] > 300 and box["height"] > 80  # drawn, at a readable size
    assert page.locator("figure.chart rect.column.proposed").count() == 2  # one per day
    assert page.locator("figure.chart line.marker.proposed.review").count() == 1
    assert "Ну и бред" in page.locator("section.examples").first.inner_text()
    screenshot(page, "simulator-desktop")

    page.fill("input[name=note]", "меньше ручной работы")
    page.click("button.apply")
    page.locator(".flash").wait_for()

    db.expire_all()
    policy = load_site_policy(db.get(Site, site.id).policy)
    assert policy.review == {"toxicity": 0.7} and policy.banned_words == ["казино*"]
    audit = db.scalars(select(SiteChange).where(SiteChange.action == SiteAction.SET_POLICY)).one()
    assert audit.actor == "moderator:boss" and audit.detail["note"] == "меньше ручной работы"
    assert "review.toxicity" in page.locator(".policy-history").inner_text()

    phone = browser.new_page(viewport=PHONE)
    log_in(phone, console_url, "boss", PASSWORD, f"/console/policy/simulate?site={site.id}")
    phone.fill("input[name=from]", "2026-11-01")
    phone.fill("input[name=to]", "2026-11-02")
    phone.click("button.primary")
    phone.locator("#results").wait_for()
    screenshot(phone, "simulator-phone")
    assert horizontal_overflow(phone) == 0
