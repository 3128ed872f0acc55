"""Console forms with what a hostile or broken client sends: refused (a flashed message, or a 4xx for
the page's script), never a 500, nothing stored."""

import pytest
from sqlalchemy import func, select

from shared.models import AuthorRestriction, ModerationAction
from tests.console.conftest import csrf_token

BEYOND_BIGINT = str(2**64)


def post(client, path: str, **data):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/console/queue")})


def nothing_done(db) -> bool:
    db.expire_all()
    return not db.scalar(select(func.count()).select_from(ModerationAction)) and not db.scalar(
        select(func.count()).select_from(AuthorRestriction)
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"site_id": BEYOND_BIGINT, "author_id": "troll"},
        {"site_id": "²", "author_id": "troll"},
        {"author_id": "troll", "comment_id": BEYOND_BIGINT},
        {"author_id": "x" * 10_000},
        {"author_id": "a\x00b"},
    ],
    ids=["site-beyond-bigint", "site-superscript", "comment-beyond-bigint", "author-10000-chars", "author-nul"],
)
def test_a_ban_form_with_hostile_fields_is_4xx(admin_client, site, db, fields):
    response = post(admin_client, "/console/authors/ban", **{"site_id": str(site.id), "duration": "ban", **fields})
    assert response.status_code < 500  # a refusal: a flashed message and a redirect, or a 4xx
    if "comment_id" not in fields:
        assert nothing_done(db)


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/console/comments/bulk", {"ids": BEYOND_BIGINT, "decision": "approve"}),
        ("/console/actions/undo", {"action": BEYOND_BIGINT}),
    ],
)
def test_ids_beyond_bigint_in_console_forms_are_4xx(admin_client, site, db, path, fields):
    response = post(admin_client, path, **fields)
    assert response.status_code < 500
    assert nothing_done(db)


def test_a_replay_of_a_superscript_id_is_not_a_500(admin_client):
    token = csrf_token(admin_client, "/console/deliveries")
    response = admin_client.post("/console/deliveries/replay", data={"id": "²", "csrf_token": token})
    assert response.status_code < 500


@pytest.mark.parametrize(
    "query", ["q=%00", f"site={BEYOND_BIGINT}", f"page={BEYOND_BIGINT}", "page=²", f"after={BEYOND_BIGINT}"]
)
def test_queue_pages_with_hostile_query_arguments_answer(admin_client, query):
    assert admin_client.get(f"/console/queue?queue=all&{query}").status_code == 200
    assert admin_client.get(f"/console/api/queue-state?{query}").status_code == 200
