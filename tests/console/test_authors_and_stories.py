"""The author drawer and its notes, kept to the site's own moderators, and the per-story counts and
filter shared by the console and the JSON API."""

import re

from sqlalchemy import select

from moderation.moderators.accounts import create_moderator
from moderation.moderators.queue import article_counts
from shared.models import AuthorNote, CommentReport, ModerationAction, Site
from tests.console.conftest import PASSWORD, csrf_token, hold_for_review, login
from tests.support.factories import make_comment
from tests.support.sites import make_site


def note(client, site_id: int, author_id: str, text: str):  # type: ignore[no-untyped-def]
    data = {"author_id": author_id, "text": text, "csrf_token": csrf_token(client, "/console/queue")}
    return client.post(f"/console/sites/{site_id}/author/notes", data=data, headers={"Accept": "application/json"})


def test_notes_are_for_the_sites_own_moderators_and_audited(client, db, site, settings):
    pskov = make_site(settings.database_url, name="pskov")
    hold_for_review(db, site.id, "Ты дурак", ["дурак"], author_id="vasya", author_name="Вася")
    create_moderator(db, username="anna", password=PASSWORD, sites=[db.get(Site, site.id)])
    create_moderator(db, username="pavel", password=PASSWORD, sites=[db.get(Site, pskov.id)])
    db.commit()

    login(client, "anna")
    saved = note(client, site.id, "vasya", "  Предупреждён дважды  ")
    blank = note(client, site.id, "vasya", "   ")
    page = client.get(f"/console/sites/{site.id}/author?id=vasya").get_data(as_text=True)
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/queue")})
    login(client, "pavel")
    theirs = client.get(f"/console/sites/{site.id}/author?id=vasya")
    sneaked = note(client, site.id, "vasya", "чужая заметка")
    own_site = client.get(f"/console/sites/{pskov.id}/author?id=vasya").get_data(as_text=True)

    assert saved.json["ok"] and (blank.status_code, blank.json["message"]) == (400, "Заметка пуста.")
    assert "Предупреждён дважды" in page and "moderator:anna" in page
    assert theirs.status_code == 404 and sneaked.status_code == 404
    assert "Предупреждён дважды" not in own_site  # the same author id on pskov is another person
    [stored] = db.scalars(select(AuthorNote)).all()
    assert (stored.text, stored.site_id, stored.actor) == ("Предупреждён дважды", site.id, "moderator:anna")
    audit = db.get(ModerationAction, stored.action_id)
    assert (audit.action, audit.author_id, audit.site_id) == ("note", "vasya", site.id)


def test_stories_are_counted_per_queue_the_busiest_first(moderator_client, db, site):
    for n in range(3):
        hold_for_review(
            db, site.id, f"Про мост {n}", [], external_id=f"m-{n}", article_id="bridge", article_title="Мост"
        )
    hold_for_review(db, site.id, "Про выборы", [], external_id="e-1", article_id="election", article_title="Выборы")
    reported = make_comment(db, site.id, external_id="e-2", status="approved", article_id="election")
    make_comment(db, site.id, external_id="e-3", status="rejected", article_id="election")
    for reader in ("r-1", "r-2"):  # two readers, one comment: counted once
        db.add(CommentReport(site_id=site.id, comment_id=reported.id, reporter_id=reader, reason="spam"))
    db.commit()

    stories = article_counts(db, [site.id]).items
    page = moderator_client.get("/console/articles").get_data(as_text=True)

    assert [(s["article_id"], s["review"], s["reported"], s["rejected"], s["total"]) for s in stories] == [
        ("bridge", 3, 0, 0, 3),
        ("election", 1, 1, 1, 3),
    ]
    assert page.index("Мост") < page.index("Выборы")
    assert f"/console/queue?site={site.id}&amp;article=bridge&amp;queue=review" in page


def test_one_storys_queue_in_the_console_and_over_the_api(client, moderator_client, db, site):
    bridge = [
        hold_for_review(db, site.id, f"Мост {n}", [], external_id=f"m-{n}", article_id="bridge") for n in range(2)
    ]
    hold_for_review(db, site.id, "Выборы", [], external_id="e-1", article_id="election")

    page = moderator_client.get(f"/console/queue?site={site.id}&article=bridge").get_data(as_text=True)
    api = client.get("/v1/queue?article=bridge", headers=site.auth).json

    assert {int(i) for i in re.findall(r'id="comment-(\d+)"', page)} == {c.id for c in bridge}
    assert re.search(r'data-queue="review">2<', page) and re.search(r'data-queue="all">2<', page)
    assert {item["id"] for item in api["items"]} == {c.id for c in bridge} and api["total"] == 2
    too_long = client.get("/v1/queue?article=" + "x" * 201, headers=site.auth)
    assert too_long.status_code == 400 and too_long.json["details"][0]["field"] == "article"
