"""The alerts' words: Russian plurals by Babel's rules, English, categories, counts."""

import pytest

from notify.alerts import wording as alert_text
from shared.vocabulary import EventKind
from tests.support.alerts import make_alert, make_item


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 комментарий ждёт проверки"),
        (3, "3 комментария ждут проверки"),
        (5, "5 комментариев ждут проверки"),
        (11, "11 комментариев ждут проверки"),
        (21, "21 комментарий ждёт проверки"),
        (22, "22 комментария ждут проверки"),
        (111, "111 комментариев ждут проверки"),
    ],
)
def test_russian_counts_take_the_plural_form_babel_gives(n, expected):
    assert alert_text.counted(EventKind.REVIEW, n, "ru") == expected


def test_a_digest_title_counts_its_events():
    assert alert_text.title(make_alert(total=12)) == "12 комментариев ждут проверки"
    assert alert_text.title(make_alert(total=12, language="en")) == "12 comments are waiting for review"
    assert alert_text.title(make_alert(total=1, language="en")) == "A comment is waiting for review"


def test_titles_follow_the_event():
    report = make_item(event=EventKind.REPORT, report_count=3)
    assert alert_text.title(make_alert(report, counts={EventKind.REPORT: 1})) == "Читатели пожаловались на комментарий"
    assert alert_text.title(make_alert(report, total=2, counts={EventKind.REPORT: 2})) == (
        "Читатели пожаловались на 2 комментария"
    )
    rejected = make_alert(total=5, counts={EventKind.REJECT: 5})
    assert alert_text.title(rejected) == "5 комментариев отклонены автоматически"
    assert alert_text.item_heading(report, "ru") == "Жалоб читателей: 3"


def test_a_mixed_digest_asks_for_review_and_says_what_it_holds():
    alert = make_alert(total=13, counts={EventKind.REVIEW: 10, EventKind.REPORT: 2, EventKind.REJECT: 1})
    assert alert_text.title(alert) == "13 комментариев ждут проверки"
    assert alert_text.counts_line(alert) == "Ждут проверки: 10 · с жалобами: 2 · отклонены: 1"
    assert alert_text.counts_line(make_alert(total=3)) is None


def test_categories_scores_and_the_cut_digest_in_russian():
    names = [alert_text.category_name(c, "ru") for c in ("toxicity", "obscene", "identity_attack", "severe_toxicity")]
    assert names == ["токсичность", "мат", "нападки на группу", "тяжёлая токсичность"]
    assert alert_text.scores_line(make_item(), "ru") == "оскорбление 93\xa0% · токсичность 71\xa0%"
    assert alert_text.more_line(7, "ru") == "… и ещё 7"
    assert alert_text.more_line(7, "en") == "… and 7 more"
    assert alert_text.word("open", "ru") == "Открыть в консоли"


def test_unknown_languages_get_russian_and_tests_say_so():
    alert = make_alert(language="uk", is_test=True)
    assert alert_text.title(alert) == "Проверка канала оповещений"
    assert "«luki»" in alert_text.test_text(alert)
