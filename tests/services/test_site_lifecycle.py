"""A site's life as an operator runs it with modctl: list, rotate the key and the secret, disable, enable.

Grace periods and overlaps are hours long; the tests travel in time (time-machine moves the
process's clock, which is what the key check and the signer read) instead of waiting.
"""

import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from notify.signing import SIGNATURE_HEADER, verify
from shared.models import SiteChange
from tests.notify.test_delivery import try_once
from tests.support.factories import make_callback
from tests.support.http_server import http_server
from tests.support.payloads import comment_body


def _post(client, key: str, external_id: str) -> int:
    return client.post(
        "/v1/comments", json=comment_body(external_id), headers={"Authorization": f"Bearer {key}"}
    ).status_code


def _printed(output: str, label: str) -> str:
    return re.search(rf"{label}:\s+(\S+)", output).group(1)


def test_the_old_key_works_during_the_grace_period_and_not_after(modctl, client, site):
    rotated = modctl("site", "rotate-key", "--site", "luki", "--grace", "2h")
    assert rotated.exit_code == 0, rotated.output
    new_key = _printed(rotated.output, "api key")

    assert _post(client, site.api_key, "c-1") == 202  # in its grace
    assert _post(client, new_key, "c-2") == 202
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=1, minutes=59), tick=False):
        assert _post(client, site.api_key, "c-3") == 202
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2, minutes=1), tick=False):
        refused = client.post("/v1/comments", json=comment_body("c-4"), headers=site.auth)
        assert refused.status_code == 401 and refused.json["error"] == "unauthorized"
        assert _post(client, new_key, "c-5") == 202


def test_a_leaked_key_rotated_with_no_grace_stops_at_once(modctl, client, site):
    new_key = _printed(modctl("site", "rotate-key", "--site", "luki", "--grace", "0").output, "api key")

    assert _post(client, site.api_key, "c-1") == 401
    assert _post(client, new_key, "c-2") == 202


def test_a_second_rotation_never_lengthens_an_old_keys_grace(modctl, client, site):
    second = _printed(modctl("site", "rotate-key", "--site", "luki", "--grace", "1h").output, "api key")
    modctl("site", "rotate-key", "--site", "luki", "--grace", "7d")

    with time_machine.travel(datetime.now(UTC) + timedelta(hours=2), tick=False):
        assert _post(client, site.api_key, "c-1") == 401  # its hour is over, whatever the second rotation said
        assert _post(client, second, "c-2") == 202  # the second key has its seven days


def test_a_disabled_site_is_refused_and_enabled_again(modctl, client, site):
    assert modctl("site", "disable", "--site", "luki").output.strip() == "site luki: disabled"

    refused = client.post("/v1/comments", json=comment_body("c-1"), headers=site.auth)
    assert refused.status_code == 403 and refused.json["error"] == "site_disabled"
    akismet = client.post("/akismet/1.1/verify-key", data={"key": site.api_key, "blog": "https://luki.ru"}).get_data(
        as_text=True
    )
    assert akismet == "invalid"

    assert modctl("site", "enable", "--site", "luki").output.strip() == "site luki: enabled"
    assert _post(client, site.api_key, "c-1") == 202


def test_site_list_shows_each_sites_state_and_keys_by_their_last_characters(modctl, site):
    new_key = _printed(modctl("site", "rotate-key", "--site", "luki", "--grace", "1h").output, "api key")
    modctl("site", "create", "--name", "pskov")
    modctl("site", "disable", "--site", "pskov")

    luki, pskov = modctl("site", "list").output.strip().splitlines()
    assert luki.startswith("luki (id 1)  enabled")
    assert f"…{site.api_key[-4:]} (until " in luki and f"…{new_key[-4:]}" in luki
    assert site.api_key not in luki and new_key not in luki
    assert pskov.startswith("pskov (id 2)  DISABLED") and "last change: disable by modctl" in pskov


def test_every_change_is_an_audit_row_without_a_secret(modctl, db, site):
    new_key = _printed(modctl("site", "rotate-key", "--site", "luki", "--grace", "30m").output, "api key")
    new_secret = _printed(modctl("site", "rotate-secret", "--site", "luki").output, "signing secret")
    modctl("site", "disable", "--site", "luki")
    modctl("site", "enable", "--site", "luki")
    modctl("site", "set", "--site", "luki", "--mode", "post")

    changes = db.scalars(select(SiteChange).order_by(SiteChange.id)).all()
    assert [c.action for c in changes] == ["create", "rotate_key", "rotate_secret", "disable", "enable", "set_policy"]
    assert all(c.actor.startswith("modctl") for c in changes[1:])
    rotation = changes[1].detail
    assert rotation == {"new_key": f"…{new_key[-4:]}", "old_keys": [f"…{site.api_key[-4:]}"], "grace_s": 1800.0}
    everything = " ".join(str(c.detail) for c in changes)
    for secret in (new_key, new_secret, site.api_key, site.signing_secret):
        assert secret not in everything
    log = modctl("site", "log", "--site", "luki").output.splitlines()
    assert "set_policy" in log[0] and "create" in log[-1]


def test_callbacks_carry_both_signatures_during_the_overlap_and_only_the_new_after(modctl, db, site):
    new_secret = _printed(modctl("site", "rotate-secret", "--site", "luki", "--overlap", "1h").output, "signing secret")

    with http_server() as (url, recorder):
        during = make_callback(db, site.id, url)
        try_once(db, during.id)
        (first,) = recorder.received
        assert len(first.headers[SIGNATURE_HEADER].split(",")) == 2
        assert verify(site.signing_secret, first.headers, first.body)  # a site still on the old secret
        assert verify(new_secret, first.headers, first.body)  # and one already on the new

        with time_machine.travel(datetime.now(UTC) + timedelta(hours=1, minutes=1), tick=False):
            after = make_callback(db, site.id, url, decision="reject", external_id="c-2")
            try_once(db, after.id)
            second = recorder.received[1]
            assert second.headers[SIGNATURE_HEADER].count("v1=") == 1
            assert verify(new_secret, second.headers, second.body)
            assert not verify(site.signing_secret, second.headers, second.body)
