"""The queue pages: tabs and counts, search, order, pages, the polled state, the comment page, languages."""

import re
from datetime import UTC, timedelta

from sqlalchemy import select

from services.web import create_app
from shared.celery_app import create_celery
from shared.models import CommentReport, Moderator, utcnow
from tests.console.conftest import csrf_token, login
from tests.support.factories import make_comment
from tests.support.sites import make_site


def card_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="card[^"]*" id="comment-(\d+)"', page)]


def test_tabs_count_each_queue_and_show_only_its_comments(moderator_client, held, db, site):
    ids = [held(text=f"На проверке {n}").id for n in range(3)]
    make_comment(db, site.id, external_id="ok-1", status="approved", text="Одобренный")
    rejected = make_comment(db, site.id, external_id="no-1", status="rejected", text="Отклонённый")
    db.add(CommentReport(site_id=site.id, comment_id=rejected.id, reporter_id="r-1", reason="spam"))
    db.commit()

    review = moderator_client.get("/console/queue").get_data(as_text=True)
    reported = moderator_client.get("/console/queue?queue=reported").get_data(as_text=True)
    everything = moderator_client.get("/console/queue?queue=all").get_data(as_text=True)

    assert set(card_ids(review)) == set(ids)
    assert card_ids(reported) == [rejected.id]
    assert len(card_ids(everything)) == 5
    assert re.search(r'data-queue="review">3<', review) and re.search(r'data-queue="all">5<', review)
    assert re.search(r'data-queue="reported">1<', review)


def test_russian_plurals_read_naturally(moderator_client, held):
    held()
    assert "1 комментарий<" in moderator_client.get("/console/queue").get_data(as_text=True)
    held(), held()
    assert "3 комментария<" in moderator_client.get("/console/queue").get_data(as_text=True)
    held(), held()
    assert "5 комментариев<" in moderator_client.get("/console/queue").get_data(as_text=True)


def test_search_finds_by_author_name_or_id_and_by_text(moderator_client, held):
    by_name = held(text="Первый", author_name="Сизов Вячеслав", author_id="u-7")
    by_text = held(text="Про Великие Луки", author_name="Иванов", author_id="u-8")
    held(text="Другое", author_name="Петров", author_id="u-9")

    def found(query: str) -> list[int]:
        return card_ids(moderator_client.get("/console/queue", query_string={"q": query}).get_data(as_text=True))

    assert found("сизов") == [by_name.id]
    assert found("u-7") == [by_name.id]
    assert found("великие") == [by_text.id]
    assert found("нет такого") == []


def test_newest_oldest_and_most_toxic_first(moderator_client, held, db):
    from shared.models import Verdict

    first, second, third = held(text="a"), held(text="b"), held(text="c")
    db.execute(Verdict.__table__.update().where(Verdict.comment_id == second.id).values(scores={"toxicity": 0.99}))
    db.commit()

    def order(sort: str) -> list[int]:
        return card_ids(moderator_client.get(f"/console/queue?sort={sort}").get_data(as_text=True))

    assert order("newest") == [third.id, second.id, first.id]
    assert order("oldest") == [first.id, second.id, third.id]
    assert order("toxic")[0] == second.id


def test_pages_of_the_configured_size(settings, accounts, db, site):
    from tests.console.conftest import hold_for_review

    small = settings.model_copy(update={"console": settings.console.model_copy(update={"page_size": 2})})
    client = create_app(small, create_celery(small)).test_client()
    login(client, "masha")
    ids = [hold_for_review(db, site.id, f"Текст {n}", [], external_id=f"p-{n}").id for n in range(5)]

    first = client.get("/console/queue").get_data(as_text=True)
    last = client.get("/console/queue?page=3").get_data(as_text=True)

    assert card_ids(first) == [ids[4], ids[3]] and "Страница 1 из 3" in first and 'rel="next"' in first
    assert card_ids(last) == [ids[0]] and 'rel="next"' not in last and 'rel="prev"' in last


def test_the_polled_state_tells_how_many_new_comments_arrived(moderator_client, held):
    seen = held().id
    held(), held()

    state = moderator_client.get(f"/console/api/queue-state?queue=review&after={seen}").json

    assert state["new"] == 2 and state["counts"]["review"] == 3
    assert state["label"] == "2 новых комментария — показать"
    assert moderator_client.get(f"/console/api/queue-state?queue=review&after={state['newest_id']}").json["new"] == 0


def test_a_card_shows_article_author_history_parent_scores_and_marked_words(moderator_client, held, db, site):
    make_comment(db, site.id, external_id="parent-1", status="approved", text="Исходный комментарий", author_id="u-2")
    make_comment(db, site.id, external_id="old-1", status="approved", text="Раньше", author_id="u-5")
    make_comment(db, site.id, external_id="old-2", status="rejected", text="Раньше плохо", author_id="u-5")
    held(
        text="Ты дурак и идиот",
        words=("дурак", "идиот"),
        author_id="u-5",
        article_title="Новости Лук",
        parent_external_id="parent-1",
        author_registered_at=utcnow() - timedelta(days=3),
    )

    page = moderator_client.get("/console/queue").get_data(as_text=True)

    assert '<a class="article" href="https://luki.ru/news/1" rel="noopener noreferrer nofollow"' in page
    assert "Новости Лук" in page
    assert "одобрено 1, отклонено 1" in page and "аккаунту 3 дня" in page
    assert "Исходный комментарий" in page
    assert 'Ты <mark class="cat-insult" title="оскорбление" data-category="insult">дурак</mark> и ' in page
    assert '<mark class="cat-insult" title="оскорбление" data-category="insult">идиот</mark>' in page
    assert 'style="width: 70%"' in page  # the insult score's bar


def test_the_comment_page_shows_reports_and_the_audit_trail(moderator_client, held, db, site):
    comment = held()
    db.add(CommentReport(site_id=site.id, comment_id=comment.id, reporter_id="reader-9", reason="abuse", note="грубо"))
    db.commit()
    token = csrf_token(moderator_client, "/console/queue")
    moderator_client.post(
        f"/console/comments/{comment.id}/decide", data={"decision": "reject", "reason": "insult", "csrf_token": token}
    )

    page = moderator_client.get(f"/console/comments/{comment.id}").get_data(as_text=True)

    assert "reader-9" in page and "грубо" in page and "рассмотрена" in page
    assert "moderator:masha" in page and "отклонение" in page and "Оскорбление" in page
    assert "ждёт проверки → отклонён" in page
    assert moderator_client.get("/console/comments/999999").status_code == 404


def test_a_site_selector_appears_when_there_are_several_sites(moderator_client, held, settings, db):
    held(text="На первом сайте")
    other = make_site(settings.database_url, name="pskov")
    make_comment(db, other.id, external_id="x-1", status="review", text="На втором сайте")

    both = moderator_client.get("/console/queue").get_data(as_text=True)
    only = moderator_client.get(f"/console/queue?site={other.id}").get_data(as_text=True)

    assert 'name="site"' in both and "На первом сайте" in both and "На втором сайте" in both
    assert "На втором сайте" in only and "На первом сайте" not in only


def test_switching_to_english_sticks_to_the_account(client, accounts, held, db):
    held()
    login(client, "masha")
    token = csrf_token(client, "/console/queue")

    client.post("/console/locale", data={"locale": "en", "csrf_token": token, "next": "/console/queue"})
    page = client.get("/console/queue").get_data(as_text=True)

    assert "1 comment<" in page and "Approve" in page and "Одобрить" not in page
    assert db.scalar(select(Moderator.locale).where(Moderator.username == "masha")) == "en"
    client.post("/console/logout", data={"csrf_token": token})
    login(client, "masha")
    assert "Approve" in client.get("/console/queue").get_data(as_text=True)


def test_times_are_shown_on_the_moderators_clock(settings, accounts, held):
    from datetime import datetime

    held(posted_at=datetime(2026, 11, 20, 9, 5, tzinfo=UTC))
    pages = {}
    for zone in ("UTC", "Europe/Moscow"):
        zoned = settings.model_copy(update={"console": settings.console.model_copy(update={"timezone": zone})})
        client = create_app(zoned, create_celery(zoned)).test_client()
        assert login(client, "masha").status_code == 302
        pages[zone] = client.get("/console/queue").get_data(as_text=True)

    assert "20.11.2026, 09:05" in pages["UTC"] and "20.11.2026, 12:05" in pages["Europe/Moscow"]


def test_an_unknown_time_zone_is_refused_with_its_name():
    import pytest
    from pydantic import ValidationError

    from shared.settings import Settings

    with pytest.raises(ValidationError, match="'Europe/Moskva' is not a time zone name"):
        Settings(console={"timezone": "Europe/Moskva"})


def test_a_quarantined_comment_says_so_in_the_all_queue(moderator_client, db, site):
    make_comment(db, site.id, external_id="q-1", scoring_failures=3, quarantined_at=utcnow())
    make_comment(db, site.id, external_id="p-1")

    page = moderator_client.get("/console/queue?queue=all").get_data(as_text=True)

    assert len(card_ids(page)) == 2
    assert page.count("на карантине: оценка не удалась 3 раза") == 1
