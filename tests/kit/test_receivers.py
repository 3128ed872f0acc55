"""The kit's callback receivers (Flask and PHP) against callbacks signed and sent by modsys's own sender:
a real one is applied once, a tampered, stale-stamped or replayed one changes nothing."""

import time

import pytest
import requests

from notify.callbacks import Delivery, encode, post_signed
from notify.signing import signed_headers
from tests.support.kit import flask_receiver, php_receiver

SECRET = "whsec_kit-test-secret"
RECEIVERS = {"flask": flask_receiver, "php": php_receiver}


def decided(external_id: str, publish: bool, status: str) -> dict:
    return {
        "event": "comment.decided",
        "comment_id": 1,
        "external_id": external_id,
        "version": 1,
        "status": status,
        "decision": "approve" if publish else "reject",
        "decided_by": "auto",
        "publish": publish,
        "reasons": [{"code": "category_threshold", "message": "оскорбление ≥ 0.9"}],
    }


@pytest.fixture(params=sorted(RECEIVERS))
def receiver(request, tmp_path):
    with RECEIVERS[request.param](SECRET, tmp_path) as running:
        yield running


def test_a_signed_callback_publishes_or_hides_the_comment(receiver):
    assert post_signed(Delivery(10, receiver.url, SECRET, decided("c-1", True, "approved")), timeout_s=5).delivered
    assert post_signed(Delivery(11, receiver.url, SECRET, decided("c-2", False, "rejected")), timeout_s=5).delivered
    assert receiver.shown("c-1") == (True, "approved")
    assert receiver.shown("c-2") == (False, "rejected")


def test_a_tampered_body_or_a_wrong_secret_is_refused_and_changes_nothing(receiver):
    body = encode(decided("c-1", True, "approved"))
    headers = signed_headers(SECRET, body, 12)
    tampered = body.replace(b'"publish":true', b'"publish":false')
    assert requests.post(receiver.url, data=tampered, headers=headers, timeout=5).status_code == 401
    forged = signed_headers("whsec_someone-else", body, 13)
    assert requests.post(receiver.url, data=body, headers=forged, timeout=5).status_code == 401
    assert receiver.shown("c-1") is None


def test_an_old_callback_replayed_later_is_refused(receiver):
    body = encode(decided("c-1", True, "approved"))
    captured = signed_headers(SECRET, body, 14, now=time.time() - 3600)  # stamped an hour ago
    assert requests.post(receiver.url, data=body, headers=captured, timeout=5).status_code == 401
    assert receiver.shown("c-1") is None


def test_a_delivery_is_applied_once_and_an_older_one_never_overrides_a_newer(receiver):
    approve = Delivery(21, receiver.url, SECRET, decided("c-1", True, "approved"))
    reject = Delivery(22, receiver.url, SECRET, decided("c-1", False, "rejected"))
    assert post_signed(reject, timeout_s=5).delivered  # the newer decision arrives first
    assert post_signed(approve, timeout_s=5).delivered  # then a retry of the older one: stale
    assert post_signed(reject, timeout_s=5).delivered  # and a retry of the newer: already handled
    assert receiver.shown("c-1") == (False, "rejected")


def test_both_signatures_of_a_secret_rotation_are_accepted(receiver):
    body = encode(decided("c-1", True, "approved"))
    headers = signed_headers(SECRET, body, 31)
    old = signed_headers("whsec_previous-secret", body, 31, now=int(headers["X-Modsys-Timestamp"]))
    headers["X-Modsys-Signature"] = f"{old['X-Modsys-Signature']},{headers['X-Modsys-Signature']}"
    assert requests.post(receiver.url, data=body, headers=headers, timeout=5).status_code == 200
    assert receiver.shown("c-1") == (True, "approved")
