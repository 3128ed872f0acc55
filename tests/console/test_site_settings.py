"""Admins edit a site's policy (validated, stored); moderators cannot; admins see the moderators."""

import pytest

from shared.models import Site
from shared.site_policy import load_site_policy
from tests.console.conftest import csrf_token

GOOD = {
    "mode": "post",
    "language": "ru",
    "review_toxicity": "0,6",
    "reject_toxicity": "0.95",
    "reject_spam": "0.8",
    "banned_words": "казино*\nставки",
    "suspect_words": "займ, кредит",
    "new_author_review": "3",
    "edit_after_reject": "reject",
}


def stored_policy(db, site_id: int) -> dict:
    db.expire_all()
    return db.get(Site, site_id).policy


def save(client, site_id: int, **fields):  # type: ignore[no-untyped-def]
    return client.post(
        f"/console/settings?site={site_id}", data={**fields, "csrf_token": csrf_token(client, "/console/queue")}
    )


def test_a_moderator_cannot_see_or_change_the_policy(moderator_client, site, db):
    assert moderator_client.get("/console/settings").status_code == 403
    response = save(moderator_client, site.id, **GOOD)

    assert response.status_code == 403
    assert "Это могут только администраторы." in response.get_data(as_text=True)
    assert stored_policy(db, site.id) == {}
    assert moderator_client.get("/console/moderators").status_code == 403


def test_an_admin_saves_a_policy_the_workers_can_load(admin_client, site, db):
    response = save(admin_client, site.id, **GOOD)

    assert response.status_code == 302
    policy = load_site_policy(stored_policy(db, site.id))
    assert policy.mode == "post" and policy.new_author_review == 3 and policy.edit_after_reject == "reject"
    assert policy.review == {"toxicity": 0.6} and policy.reject == {"toxicity": 0.95, "spam": 0.8}
    assert policy.banned_words == ["казино*", "ставки"] and policy.suspect_words == ["займ", "кредит"]
    page = admin_client.get(f"/console/settings?site={site.id}").get_data(as_text=True)
    assert "Правила сайта luki сохранены" in page and 'value="0.95"' in page and "казино*\nставки</textarea>" in page


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"reject_toxicity": "-0.1"}, "reject.toxicity"),
        ({"reject_toxicity": "2.5"}, "reject.toxicity"),
        ({"review_insult": "много"}, "review insult: не число"),
        ({"review_threat": "0.9", "reject_threat": "0.5"}, "порог проверки должен быть ниже порога отклонения"),
        ({"new_author_review": "-1"}, "new_author_review"),
        ({"mode": "sometimes"}, "mode"),
    ],
)
def test_a_bad_policy_is_shown_with_its_errors_and_nothing_is_stored(admin_client, site, db, bad, message):
    response = save(admin_client, site.id, **{**GOOD, **bad})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ничего не сохранено" in page and message in page
    assert stored_policy(db, site.id) == {}
    assert 'value="0,6"' in page  # what the admin typed is kept for correcting


def test_an_admin_lists_the_moderators(admin_client):
    page = admin_client.get("/console/moderators").get_data(as_text=True)
    assert "masha" in page and "boss" in page and "администратор" in page
