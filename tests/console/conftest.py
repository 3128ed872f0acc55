"""Console fixtures: accounts, a logged-in test client, comments held for review with their verdicts."""

import re
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from moderation.moderators import accounts as moderators
from moderation.moderators.accounts import create_moderator
from shared.models import Comment, Verdict
from tests.support.browser import browser, console_url  # noqa: F401 (fixtures for the browser tests)
from tests.support.factories import make_comment

PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient, path: str = "/console/login") -> str:
    """The token a page of the console hands out, as a browser would read it from the form."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/console/login", data={"username": username, "password": password, "csrf_token": csrf_token(client)}
    )


@pytest.fixture(autouse=True)
def _quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2's production cost (~0.1-0.3 s a hash) would dominate these tests; the scheme stays the same.
    monkeypatch.setattr(moderators, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def accounts(db: Session) -> dict[str, str]:
    """A moderator and an admin, both with PASSWORD."""
    create_moderator(db, username="masha", password=PASSWORD, role="moderator")
    create_moderator(db, username="boss", password=PASSWORD, role="admin")
    db.commit()
    return {"moderator": "masha", "admin": "boss"}


@pytest.fixture
def moderator_client(client: FlaskClient, accounts: dict[str, str]) -> FlaskClient:
    assert login(client, accounts["moderator"]).status_code == 302
    return client


@pytest.fixture
def admin_client(client: FlaskClient, accounts: dict[str, str]) -> FlaskClient:
    assert login(client, accounts["admin"]).status_code == 302
    return client


def hold_for_review(db: Session, site_id: int, text: str, words: list[str], **fields) -> Comment:  # type: ignore[no-untyped-def]
    """A comment the worker held for review, its verdict naming `words` (found in `text`) as insults."""
    comment = make_comment(db, site_id, text=text, status="review", **fields)
    spans = [{"word": w, "start": text.index(w), "end": text.index(w) + len(w)} for w in words if w in text]
    reasons = [
        {"code": "category_threshold", "category": "insult", "decision": "review", "score": 0.7, "threshold": 0.5}
    ]
    if spans:
        reasons.append({"code": "matched_words", "category": "insult", "words": spans})
    db.add(
        Verdict(
            comment_id=comment.id,
            version=1,
            decision="review",
            scores={"toxicity": 0.6, "insult": 0.7},
            reasons=reasons,
            model_name="test",
            model_version="0",
        )
    )
    db.commit()
    return comment


@pytest.fixture
def held(db: Session, site) -> Callable[..., Comment]:  # type: ignore[no-untyped-def]
    counter = iter(range(1, 10_000))

    def make(text: str = "Ты дурак, автор", words: tuple[str, ...] = ("дурак",), **fields) -> Comment:  # type: ignore[no-untyped-def]
        return hold_for_review(db, site.id, text, list(words), **{"external_id": f"c-{next(counter)}", **fields})

    return make
