"""The integration kit against the running service: the Python client posts and decides, real workers
score, and the notify worker's real signed callbacks reach the kit's PHP and Flask receivers."""

import pytest

from tests.support.kit import ModsysClient, flask_receiver, php_receiver
from tests.support.processes import wait_until
from tests.support.sites import make_site
from tests.support.web_server import serve

pytestmark = pytest.mark.e2e
ARTICLE = {"id": "a-42", "url": "https://luki.ru/news/42", "title": "Деловая миссия"}
RECEIVERS = {"flask": flask_receiver, "php": php_receiver}


@pytest.mark.parametrize("kind", sorted(RECEIVERS))
def test_the_client_posts_and_the_receiver_publishes_or_hides_what_the_workers_decide(
    app, settings, pipeline, tmp_path, kind
):
    site = make_site(settings.database_url, name="luki", callback_url=None)
    with RECEIVERS[kind](site.signing_secret, tmp_path) as receiver, serve(app) as base:
        _point_callbacks_at(settings.database_url, site.id, receiver.url)
        client = ModsysClient(base, site.api_key)
        clean = client.post_comment(
            "c-1",
            article=ARTICLE,
            author={"id": "u-1", "name": "Сизов Вячеслав"},
            text="Спасибо за новость, очень интересно!",
        )
        rude = client.post_comment(
            "c-2", article=ARTICLE, author={"id": "u-2", "name": "Аноним"}, text="Ты тупой урод, заткнись уже"
        )

        assert client.wait_for_decision(clean["id"])["publish"] is True
        assert client.wait_for_decision(rude["id"])["status"] in ("review", "rejected")
        assert wait_until(lambda: receiver.shown("c-1"), what="callback for c-1") == (True, "approved")
        assert wait_until(lambda: receiver.shown("c-2"), what="callback for c-2")[0] is False

        # A moderator on the site's side overrides the machine; the receiver hears that too.
        action = client.decide(clean["id"], "reject", reason="off_topic", moderator="olga")
        assert wait_until(lambda: receiver.shown("c-1") == (False, "rejected"), what="the human decision")
        client.undo(action["action_id"])
        assert wait_until(lambda: receiver.shown("c-1") == (True, "approved"), what="the undo")


def _point_callbacks_at(database_url: str, site_id: int, url: str) -> None:
    from shared.db import session_scope
    from shared.models import Site

    with session_scope(database_url) as session:
        session.get_one(Site, site_id).callback_url = url
