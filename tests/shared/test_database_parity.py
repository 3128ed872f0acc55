"""What SQLite (the embedded default) must do as PostgreSQL does: fold Cyrillic case in searches,
and keep the moment a timestamp names whatever its offset."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from moderation.moderators.queue import list_queue
from shared.db import get_sessionmaker
from shared.models import Comment, utcnow
from tests.support.factories import make_comment
from tests.support.sites import make_site

MSK = timezone(timedelta(hours=3))


def test_a_search_for_sizov_finds_every_case_on_both_databases(any_database_url):
    site = make_site(any_database_url, name="luki")
    with get_sessionmaker(any_database_url)() as db:
        lower = make_comment(db, site.id, external_id="c-1", status="review", author_name="сизов вячеслав")
        upper = make_comment(db, site.id, external_id="c-2", status="review", text="СИЗОВ опять прав")
        mixed = make_comment(db, site.id, external_id="c-3", status="review", author_name="Вася Сизов")
        make_comment(db, site.id, external_id="c-4", status="review", author_name="Иванов", text="Про Луки")

        found = list_queue(db, [site.id], "review", search="Сизов").items
        vasya = list_queue(db, [site.id], "review", search="ВАСЯ").items

    assert sorted(card["id"] for card in found) == [lower.id, upper.id, mixed.id]
    assert [card["id"] for card in vasya] == [mixed.id]


def test_like_wildcards_in_a_search_are_plain_characters(any_database_url):
    site = make_site(any_database_url, name="luki")
    with get_sessionmaker(any_database_url)() as db:
        percent = make_comment(db, site.id, external_id="c-1", status="review", text="скидка 50% на всё")
        make_comment(db, site.id, external_id="c-2", status="review", text="скидка 500 рублей")

        found = list_queue(db, [site.id], "review", search="50%").items

    assert [card["id"] for card in found] == [percent.id]


def test_a_moscow_time_is_stored_as_the_same_moment_on_both_databases(any_database_url):
    site = make_site(any_database_url, name="luki")
    registered = utcnow().astimezone(MSK) - timedelta(minutes=1)  # "+03:00", a minute ago
    with get_sessionmaker(any_database_url)() as db:
        comment = make_comment(
            db, site.id, author_registered_at=registered, posted_at=datetime(2024, 11, 15, 12, 0, tzinfo=MSK)
        )
        db.expunge_all()
        stored = db.scalar(select(Comment).where(Comment.id == comment.id))

        card = list_queue(db, [site.id], "all").items[0]

    assert stored.posted_at == datetime(2024, 11, 15, 9, 0, tzinfo=UTC)
    assert stored.posted_at.tzinfo == UTC
    assert abs(stored.author_registered_at - registered) < timedelta(seconds=1)
    assert card["posted_at"] == "2024-11-15T09:00:00+00:00"
    assert card["author"]["account_age_days"] == 0
    assert card["author"]["registered_at"].endswith("+00:00")


def test_a_comparison_with_an_offset_time_finds_the_same_rows_on_both_databases(any_database_url):
    site = make_site(any_database_url, name="luki")
    with get_sessionmaker(any_database_url)() as db:
        make_comment(db, site.id, posted_at=datetime(2024, 11, 15, 9, 30, tzinfo=UTC))
        # 12:00 in Moscow is 09:00 UTC: the comment came half an hour later.
        later = db.scalars(select(Comment.id).where(Comment.posted_at > datetime(2024, 11, 15, 12, 0, tzinfo=MSK)))
        assert len(later.all()) == 1
