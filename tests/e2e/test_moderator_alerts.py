"""A held comment reaches the moderators' channel through the real workers."""

import pytest
from sqlalchemy.orm import Session

from notify.channel_admin import add_channel
from shared.models import Site
from shared.settings import NotifySettings
from tests.support.http_server import http_server
from tests.support.payloads import comment_body
from tests.support.sites import make_site

pytestmark = pytest.mark.e2e


def test_a_held_comment_is_announced_on_the_sites_webhook_channel(client, settings, db: Session, pipeline):
    with http_server() as (url, recorder):
        site = make_site(settings.database_url, name="luki", policy={"suspect_words": ["митинг"]})
        add_channel(db, db.get(Site, site.id), kind="webhook", target=f"{url}/moderators", settings=NotifySettings())
        db.commit()

        comment_id = client.post(
            "/v1/comments", json=comment_body(text="Завтра митинг у администрации"), headers=site.auth
        ).json["id"]
        (alert,) = recorder.wait_for(1)

    body = alert.json()
    assert alert.path == "/moderators" and body["total"] == 1
    (item,) = body["items"]
    assert item["comment_id"] == comment_id and item["event"] == "review"
    assert {"text": "митинг", "category": "suspect_words"} in item["marked_words"]
