"""A site can verify each callback and refuse tampered or replayed ones."""

from notify.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signed_headers, verify

SECRET = "whsec_test"
BODY = b'{"comment_id":1,"decision":"reject"}'


def test_a_fresh_signed_body_verifies():
    headers = signed_headers(SECRET, BODY, delivery_id=1, now=1_700_000_000)
    assert verify(SECRET, headers, BODY, now=1_700_000_010)


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1_700_000_000, BODY) == f"v1={expected}"


def test_a_changed_body_or_wrong_secret_fails():
    headers = signed_headers(SECRET, BODY, delivery_id=1, now=1_700_000_000)
    assert not verify(SECRET, headers, BODY.replace(b"reject", b"approve"), now=1_700_000_000)
    assert not verify("whsec_other", headers, BODY, now=1_700_000_000)


def test_an_old_timestamp_is_refused_as_a_replay():
    headers = signed_headers(SECRET, BODY, delivery_id=1, now=1_700_000_000)
    assert not verify(SECRET, headers, BODY, now=1_700_000_000 + 301)


def test_missing_or_garbled_headers_fail():
    assert not verify(SECRET, {}, BODY)
    assert not verify(SECRET, {TIMESTAMP_HEADER: "soon", SIGNATURE_HEADER: "v1=00"}, BODY)
