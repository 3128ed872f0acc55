"""Moderators limited to some sites see and decide only those sites' comments; admins see every site."""

import re

import pytest
from sqlalchemy import func, select

from moderation.moderators.accounts import create_moderator
from moderation.moderators.decisions import decide_comment
from shared.models import AuthorRestriction, Comment, ModerationAction, Site
from tests.console.conftest import PASSWORD, csrf_token, hold_for_review, login
from tests.support.sites import make_site


@pytest.fixture
def two_sites(db, site, settings):
    """luki (the `site` fixture) and pskov, one comment held on each; anna works on luki only."""
    pskov = make_site(settings.database_url, name="pskov")
    mine = hold_for_review(db, site.id, "Ты дурак, автор из Лук", ["дурак"], external_id="l-1", author_id="u-l")
    theirs = hold_for_review(db, pskov.id, "Ты дурак, автор из Пскова", ["дурак"], external_id="p-1", author_id="u-p")
    create_moderator(db, username="anna", password=PASSWORD, sites=[db.get(Site, site.id)])
    create_moderator(db, username="boss", password=PASSWORD, role="admin")
    create_moderator(db, username="masha", password=PASSWORD)  # no sites named: every site
    db.commit()
    return {"mine": mine.id, "theirs": theirs.id, "pskov": pskov.id}


def _as(client, username):
    assert login(client, username).status_code == 302
    return client


def _post(client, path, **data):
    return client.post(
        path, data={**data, "csrf_token": csrf_token(client, "/console/queue")}, headers={"Accept": "application/json"}
    )


def _cards(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'id="comment-(\d+)"', page)}


def test_a_limited_moderator_sees_only_their_sites_comments_and_counts(client, two_sites):
    anna = _as(client, "anna")

    page = anna.get("/console/queue?queue=all").get_data(as_text=True)
    state = anna.get("/console/api/queue-state").json

    assert _cards(page) == {two_sites["mine"]}
    assert "pskov" not in page
    assert state["counts"]["review"] == 1
    assert anna.get(f"/console/comments/{two_sites['mine']}").status_code == 200
    assert anna.get(f"/console/comments/{two_sites['theirs']}").status_code == 404
    assert _cards(anna.get(f"/console/queue?site={two_sites['pskov']}").get_data(as_text=True)) == {two_sites["mine"]}


@pytest.mark.parametrize("username", ["boss", "masha"])
def test_admins_and_unlimited_moderators_see_every_site(client, two_sites, username):
    page = _as(client, username).get("/console/queue").get_data(as_text=True)
    assert _cards(page) == {two_sites["mine"], two_sites["theirs"]}


def test_another_sites_comments_authors_and_actions_are_answered_as_not_found(client, db, site, two_sites):
    theirs = two_sites["theirs"]
    by_admin = decide_comment(db, two_sites["mine"], "approve", actor="moderator:boss")  # luki: anna may undo it
    on_pskov = decide_comment(
        db,
        hold_for_review(db, two_sites["pskov"], "Ещё один дурак", ["дурак"], external_id="p-2").id,
        "approve",
        actor="moderator:boss",
    )
    db.commit()
    anna = _as(client, "anna")

    refused = [
        _post(anna, f"/console/comments/{theirs}/decide", decision="reject", reason="insult"),
        _post(anna, "/console/comments/bulk", ids=[two_sites["mine"], theirs], decision="reject", reason="insult"),
        _post(anna, "/console/authors/ban", site_id=two_sites["pskov"], author_id="u-p", duration="ban", confirm="1"),
        # Her own site, but naming another site's comment as the reason for the ban.
        _post(
            anna,
            "/console/authors/ban",
            site_id=site.id,
            author_id="u-l",
            duration="ban",
            comment_id=theirs,
            confirm="1",
        ),
        _post(anna, "/console/actions/undo", action=[on_pskov.action.id]),
    ]

    assert [r.status_code for r in refused] == [404] * 5
    assert all(r.json["ok"] is False for r in refused)
    db.expire_all()
    assert db.get(Comment, theirs).status == "review"
    assert db.scalar(select(func.count()).select_from(AuthorRestriction)) == 0
    assert db.get(ModerationAction, on_pskov.action.id).undone is False
    assert _post(anna, "/console/actions/undo", action=[by_admin.action.id]).status_code == 200


def test_the_moderators_page_shows_who_works_on_which_sites(client, two_sites):
    page = _as(client, "boss").get("/console/moderators").get_data(as_text=True)

    rows = {
        m.group(1): m.group(2) for m in re.finditer(r"<tr>\s*<td>(\w+)</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>", page)
    }
    assert rows == {"anna": "luki", "boss": "все сайты", "masha": "все сайты"}
