"""The site's own rules in the workers: banned and suspect words, new authors, banned authors, mode."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from moderation.moderators.decisions import ban_author
from moderation.pipeline.moderate import moderate_comments
from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import SpamScorer
from shared.models import AuthorRestriction, Comment, Notification, Site, Verdict, utcnow
from shared.settings import PolicySettings, SpamSettings, ToxicitySettings
from tests.support.factories import make_comment
from tests.support.sites import make_site

SCORER = get_scorer(ToxicitySettings())
FRIENDLY = "Спасибо за статью, очень интересно"


@pytest.fixture
def moderate(db, redis_client):
    spam = SpamScorer(redis_client, SpamSettings())

    def run(comment: Comment) -> Verdict:
        moderate_comments(db, [comment.id], scorer=SCORER, spam=spam, defaults=PolicySettings())
        db.commit()
        db.refresh(comment)
        return db.scalar(select(Verdict).where(Verdict.comment_id == comment.id))

    return run


def _reason(verdict: Verdict, code: str) -> dict:
    return next(r for r in verdict.reasons if r["code"] == code)


@pytest.mark.parametrize("text", ["Играйте в казино Вулкан", "играйте в К.А.З.И.Н.О", "играйте в kaзинo", "КАЗИНО!!!"])
def test_a_banned_word_rejects_however_it_is_spelt_and_marks_the_original_characters(moderate, db, settings, text):
    site = make_site(settings.database_url, name="words", policy={"banned_words": ["казино"]})
    comment = make_comment(db, site.id, text=text)

    verdict = moderate(comment)

    assert verdict.decision == "reject" and comment.status == "rejected"
    word = _reason(verdict, "banned_words")["words"][0]
    assert text[word["start"] : word["end"]] == word["word"]
    assert word["word"].replace(".", "").lower() in {"казино", "kaзинo"}


def test_a_listed_word_matches_whole_words_unless_it_ends_with_a_star(moderate, db, settings):
    site = make_site(
        settings.database_url, name="stems", policy={"banned_words": ["кредит"], "suspect_words": ["займ*"]}
    )
    inside = make_comment(db, site.id, text="Кредитование малого бизнеса растёт", external_id="c-1")
    stem = make_comment(db, site.id, text="Быстрые займы без проверки", external_id="c-2")

    assert moderate(inside).decision == "approve"
    verdict = moderate(stem)
    assert verdict.decision == "review"
    assert _reason(verdict, "suspect_words")["words"][0]["word"] == "займы"


def test_the_first_comments_of_a_new_author_wait_for_a_human(moderate, db, settings):
    site = make_site(settings.database_url, name="newcomers", policy={"new_author_review": 2})
    first = make_comment(db, site.id, text=FRIENDLY, external_id="c-1", author_id="new")
    verdict = moderate(first)
    assert verdict.decision == "review"
    assert _reason(verdict, "new_author")["approved_comments"] == 0

    make_comment(db, site.id, text=FRIENDLY, external_id="c-2", author_id="new", status="approved")
    make_comment(db, site.id, text=FRIENDLY, external_id="c-3", author_id="new", status="approved")
    later = make_comment(db, site.id, text=FRIENDLY, external_id="c-4", author_id="new")
    assert moderate(later).decision == "approve"


def test_a_banned_authors_new_comment_is_rejected_and_a_suspension_ends(moderate, db, settings):
    site_row = db.get(Site, make_site(settings.database_url, name="bans").id)
    ban_author(db, site_row, "troll", actor="moderator:anna", reason="insult")
    ban_author(db, site_row, "hothead", actor="moderator:anna", reason="insult", until=utcnow() + timedelta(hours=1))
    db.commit()

    banned = moderate(make_comment(db, site_row.id, text=FRIENDLY, external_id="c-1", author_id="troll"))
    suspended = moderate(make_comment(db, site_row.id, text=FRIENDLY, external_id="c-2", author_id="hothead"))
    assert banned.decision == "reject" and "banned" in _reason(banned, "author_banned")["message"]
    assert suspended.decision == "reject" and "suspended until" in _reason(suspended, "author_banned")["message"]

    # The suspension runs out: the author's next comment is judged on its own.
    db.execute(
        update(AuthorRestriction)
        .where(AuthorRestriction.author_id == "hothead")
        .values(until=utcnow() - timedelta(seconds=1))
    )
    db.commit()
    assert (
        moderate(make_comment(db, site_row.id, text=FRIENDLY, external_id="c-3", author_id="hothead")).decision
        == "approve"
    )


@pytest.mark.parametrize(("mode", "publish"), [("pre", False), ("post", True)])
def test_the_callback_says_whether_to_show_a_comment_waiting_for_a_human(moderate, db, settings, mode, publish):
    site = make_site(
        settings.database_url,
        name=f"mode-{mode}",
        callback_url="http://127.0.0.1:9/cb",
        policy={"mode": mode, "suspect_words": ["митинг"]},
    )
    moderate(make_comment(db, site.id, text="Завтра митинг у администрации"))

    payload = db.scalar(select(Notification)).payload
    assert payload["status"] == "review" and payload["publish"] is publish
