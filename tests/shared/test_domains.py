"""Domain rules are stored normalised, so a rule written two ways is one rule and the latest wins."""

import pytest

from shared.domains import normalise_domain


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("https://WWW.Kazino.ru/path?x=1", "kazino.ru"),
        ("kazino.ru.", "kazino.ru"),
        ("  t.me ", "t.me"),
        ("http://bit.ly:8080/x", "bit.ly"),
        ("xn--80asehdb.xn--p1ai", "онлайн.рф"),
        ("www.ru", "www.ru"),
        ("", ""),
    ],
)
def test_a_rule_is_stored_as_links_are_compared(written, stored):
    assert normalise_domain(written) == stored
