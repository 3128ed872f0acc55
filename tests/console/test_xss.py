"""Untrusted text (comments, names, titles, notes) renders as text on every console page, never as markup."""

import pytest

from shared.models import CommentReport
from tests.console.conftest import csrf_token
from tests.support.factories import make_comment

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ESCAPED = {SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;", IMG: "&lt;img src=x onerror=alert(1)&gt;"}


@pytest.fixture
def hostile(held, db, site):  # type: ignore[no-untyped-def]
    """A reply whose text, marked words, author, article and parent all carry markup."""
    make_comment(db, site.id, external_id="parent-x", status="approved", text=f"Родитель {IMG} {SCRIPT}")
    comment = held(
        text=f"Смотри {SCRIPT} и {IMG} тут",
        words=(SCRIPT, IMG),
        author_name=f"Автор {SCRIPT}{IMG}",
        author_id=f"id-{IMG}",
        article_title=f"Статья {SCRIPT}{IMG}",
        parent_external_id="parent-x",
        article_url="javascript:alert(1)",
    )
    db.add(CommentReport(site_id=site.id, comment_id=comment.id, reporter_id=f"r-{IMG}", reason="abuse", note=SCRIPT))
    db.commit()
    return comment


def assert_only_escaped(page: str) -> None:
    for raw, escaped in ESCAPED.items():
        assert raw not in page
        assert escaped in page
    assert "javascript:alert" not in page  # the article link points nowhere instead


def test_the_queue_page_escapes_everything(moderator_client, hostile):
    page = moderator_client.get("/console/queue").get_data(as_text=True)

    assert_only_escaped(page)
    assert f'data-category="insult">{ESCAPED[SCRIPT]}</mark>' in page  # the highlighted piece
    assert f'data-category="insult">{ESCAPED[IMG]}</mark>' in page
    assert f"Автор {ESCAPED[SCRIPT]}{ESCAPED[IMG]}" in page
    assert f"Статья {ESCAPED[SCRIPT]}{ESCAPED[IMG]}" in page
    assert f"Родитель {ESCAPED[IMG]} {ESCAPED[SCRIPT]}" in page


def test_the_comment_page_escapes_reports_and_notes_too(moderator_client, hostile):
    token = csrf_token(moderator_client, "/console/queue")
    moderator_client.post(
        f"/console/comments/{hostile.id}/decide", data={"decision": "reject", "note": IMG, "csrf_token": token}
    )

    page = moderator_client.get(f"/console/comments/{hostile.id}").get_data(as_text=True)

    assert_only_escaped(page)
    assert f"r-{ESCAPED[IMG]}" in page


def test_search_terms_come_back_escaped(moderator_client, hostile):
    page = moderator_client.get("/console/queue", query_string={"q": SCRIPT}).get_data(as_text=True)
    assert SCRIPT not in page and f'value="{ESCAPED[SCRIPT]}"' in page


def test_the_flash_message_of_a_refused_action_is_escaped(moderator_client, hostile):
    token = csrf_token(moderator_client, "/console/queue")
    moderator_client.post(
        f"/console/comments/{hostile.id}/decide", data={"decision": "reject", "reason": SCRIPT, "csrf_token": token}
    )
    page = moderator_client.get("/console/queue?queue=all").get_data(as_text=True)
    assert SCRIPT not in page
