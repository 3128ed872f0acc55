"""Moderators' decisions become toxicity training examples, and only the ones that say something about toxicity."""

from lab.toxicity.decision_examples import decision_examples
from moderation.moderators.decisions import decide_comment, undo_action
from tests.support.factories import make_comment

ANNA = "moderator:anna"


def test_approvals_and_toxic_rejections_are_examples_spam_and_undone_ones_are_not(db, site):
    kind = make_comment(db, site.id, external_id="kind", text="Спасибо за новость", status="review")
    rude = make_comment(db, site.id, external_id="rude", text="Заткнись, урод", status="review")
    spam = make_comment(db, site.id, external_id="spam", text="Купите окна недорого", status="review")
    undone = make_comment(db, site.id, external_id="undone", text="Нормальный комментарий", status="review")
    edited = make_comment(db, site.id, external_id="edited", text="Первая версия", status="review")
    decide_comment(db, kind.id, "approve", actor=ANNA)
    decide_comment(db, rude.id, "reject", actor=ANNA, reason="insult")
    decide_comment(db, spam.id, "reject", actor=ANNA, reason="spam")
    undo_action(db, decide_comment(db, undone.id, "reject", actor=ANNA, reason="toxicity").action.id, actor=ANNA)
    decide_comment(db, edited.id, "approve", actor=ANNA)
    edited.status = "pending"  # an edit arrived after the decision: that text was never judged
    db.commit()

    assert decision_examples(db) == [("Спасибо за новость", 0), ("Заткнись, урод", 1)]


def test_the_latest_decision_on_a_comment_wins(db, site):
    comment = make_comment(db, site.id, text="Спорный комментарий", status="review")
    decide_comment(db, comment.id, "approve", actor=ANNA)
    decide_comment(db, comment.id, "reject", actor="moderator:boris", reason="threat")
    db.commit()

    assert decision_examples(db) == [("Спорный комментарий", 1)]
