"""Admins rotate a site's key and secret, disable and enable it, and read its history in the console."""

import re

from sqlalchemy import select

from shared.models import SiteChange
from tests.console.conftest import csrf_token
from tests.support.payloads import comment_body


def post(client, path: str, **form):  # type: ignore[no-untyped-def]
    return client.post(path, data={**form, "csrf_token": csrf_token(client, "/console/queue")})


def shown_once(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'<code class="secret" id="new-secret">([^<]+)</code>', response.get_data(as_text=True)).group(1)


def api_status(client, key: str, external_id: str) -> int:  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/comments", json=comment_body(external_id), headers={"Authorization": f"Bearer {key}"}
    ).status_code


def test_moderators_cannot_reach_the_sites_pages(moderator_client, site):
    assert moderator_client.get("/console/sites").status_code == 403
    assert post(moderator_client, f"/console/sites/{site.id}/rotate-key", overlap_s="0").status_code == 403
    assert api_status(moderator_client, site.api_key, "c-1") == 202


def test_an_admin_sees_each_site_with_its_keys_by_their_last_characters(admin_client, site):
    page = admin_client.get("/console/sites").get_data(as_text=True)
    assert "luki" in page and f"…{site.api_key[-4:]}" in page and site.api_key not in page


def test_a_rotated_key_is_shown_once_and_the_old_one_lives_out_its_grace(admin_client, site, db):
    answer = post(admin_client, f"/console/sites/{site.id}/rotate-key", overlap_s="3600")

    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    new_key = shown_once(answer)
    assert new_key.startswith("mk_") and "1 ч" in answer.get_data(as_text=True)
    assert api_status(admin_client, site.api_key, "c-1") == 202  # in its hour
    assert api_status(admin_client, new_key, "c-2") == 202
    assert new_key not in admin_client.get(f"/console/sites/{site.id}").get_data(as_text=True)
    change = db.scalars(select(SiteChange).where(SiteChange.action == "rotate_key")).one()
    assert change.actor == "moderator:boss" and change.detail["grace_s"] == 3600


def test_a_leaked_key_is_stopped_at_once(admin_client, site):
    new_key = shown_once(post(admin_client, f"/console/sites/{site.id}/rotate-key", overlap_s="0"))
    assert api_status(admin_client, site.api_key, "c-1") == 401
    assert api_status(admin_client, new_key, "c-2") == 202


def test_a_rotated_secret_overlaps_the_old_one(admin_client, site):
    secret = shown_once(post(admin_client, f"/console/sites/{site.id}/rotate-secret", overlap_s="86400"))
    assert secret.startswith("whsec_") and secret != site.signing_secret
    page = admin_client.get(f"/console/sites/{site.id}").get_data(as_text=True)
    assert "подписываются новым и старым секретом до" in page


def test_an_overlap_not_offered_is_refused(admin_client, site):
    assert post(admin_client, f"/console/sites/{site.id}/rotate-key", overlap_s="999").status_code == 400


def test_disable_and_enable_from_the_console_with_the_history_shown(admin_client, site):
    assert post(admin_client, f"/console/sites/{site.id}/disable").status_code == 302
    assert api_status(admin_client, site.api_key, "c-1") == 403

    assert post(admin_client, f"/console/sites/{site.id}/enable").status_code == 302
    assert api_status(admin_client, site.api_key, "c-1") == 202
    page = admin_client.get(f"/console/sites/{site.id}").get_data(as_text=True)
    history = page[page.index("changes") :]
    assert history.index("включён") < history.index("отключён") < history.index("создан")  # newest first
    assert history.count("moderator:boss") == 2


def test_a_form_without_its_csrf_token_changes_nothing(admin_client, site):
    assert admin_client.post(f"/console/sites/{site.id}/disable").status_code == 400
    assert api_status(admin_client, site.api_key, "c-1") == 202
