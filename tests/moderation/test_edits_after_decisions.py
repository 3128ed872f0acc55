"""An author edits a comment a moderator rejected: the new text goes to a human (or stays rejected,
by the site's policy), is never approved silently, and the old reject is history, not undoable."""

import pytest
from sqlalchemy import select

from moderation.moderators.decisions import DecisionError, decide_comment, undo_action
from moderation.moderators.queue import comment_detail
from moderation.pipeline.moderate import moderate_comments
from moderation.scoring.backends import get_scorer
from moderation.spam.scorer import SpamScorer
from shared.models import Comment, Notification, Verdict
from shared.settings import PolicySettings, SpamSettings, ToxicitySettings
from tests.support.payloads import comment_body
from tests.support.sites import make_site

SCORER = get_scorer(ToxicitySettings())
FRIENDLY = "Спасибо за статью, очень интересно про новый мост"
FRIENDLIER = "Спасибо за статью, очень интересно про новый мост и дороги"


@pytest.fixture
def moderate(db, redis_client):
    spam = SpamScorer(redis_client, SpamSettings())

    def run(comment_id: int) -> Comment:
        moderate_comments(db, [comment_id], scorer=SCORER, spam=spam, defaults=PolicySettings())
        db.commit()
        comment = db.get(Comment, comment_id)
        db.refresh(comment)
        return comment

    return run


def post(client, site, text: str) -> int:
    response = client.post("/v1/comments", json=comment_body("c-1", text), headers=site.auth)
    assert response.status_code == 202
    return response.json["id"]


def verdict_of(db, comment: Comment) -> Verdict:
    return db.scalar(select(Verdict).where(Verdict.comment_id == comment.id, Verdict.version == comment.version))


@pytest.mark.parametrize("mode", ["pre", "post"])
def test_an_edit_of_a_comment_a_moderator_rejected_lands_in_review_hidden(client, db, settings, moderate, mode):
    site = make_site(settings.database_url, name="luki", callback_url="http://127.0.0.1:9/cb", policy={"mode": mode})
    comment_id = post(client, site, FRIENDLY)
    assert moderate(comment_id).status == "approved"  # the machine saw nothing wrong
    reject = decide_comment(db, comment_id, "reject", actor="moderator:masha", reason="off_topic").action
    db.commit()

    post(client, site, FRIENDLIER)  # the author edits: version 2, as harmless to the scorer as version 1
    while_waiting = client.get(f"/v1/comments/{comment_id}", headers=site.auth).json
    edited = moderate(comment_id)

    assert edited.version == 2 and edited.status == "review"
    verdict = verdict_of(db, edited)
    [why] = [r for r in verdict.reasons if r["code"] == "edited_after_reject"]
    assert why["decision"] == "review" and why["action_id"] == reject.id
    assert "rejected version 1" in why["message"]
    # Not shown meanwhile, even where the site shows comments before they are checked.
    assert while_waiting["publish"] is False
    callback = db.scalars(select(Notification).where(Notification.verdict_id == verdict.id)).one()
    assert callback.payload["status"] == "review" and callback.payload["publish"] is False
    assert client.get(f"/v1/comments/{comment_id}", headers=site.auth).json["publish"] is False


def test_a_site_may_keep_such_edits_rejected(client, db, settings, moderate):
    site = make_site(settings.database_url, name="luki", policy={"edit_after_reject": "reject"})
    comment_id = post(client, site, FRIENDLY)
    moderate(comment_id)
    decide_comment(db, comment_id, "reject", actor="moderator:masha", reason="spam")
    db.commit()

    post(client, site, FRIENDLIER)

    assert moderate(comment_id).status == "rejected"


def test_an_edit_after_an_approval_or_an_undone_reject_is_scored_as_usual(client, db, settings, moderate):
    site = make_site(settings.database_url, name="luki")
    comment_id = post(client, site, FRIENDLY)
    moderate(comment_id)
    reject = decide_comment(db, comment_id, "reject", actor="moderator:masha", reason="spam").action
    db.commit()
    undo_action(db, reject.id, actor="moderator:masha")
    db.commit()

    post(client, site, FRIENDLIER)

    assert moderate(comment_id).status == "approved"


def test_the_old_reject_is_history_the_log_names_each_actions_version(client, db, settings, moderate):
    site = make_site(settings.database_url, name="luki")
    comment_id = post(client, site, FRIENDLY)
    moderate(comment_id)
    reject = decide_comment(db, comment_id, "reject", actor="moderator:masha", reason="insult").action
    db.commit()
    post(client, site, FRIENDLIER)
    moderate(comment_id)
    approve = decide_comment(db, comment_id, "approve", actor="moderator:masha").action
    db.commit()

    with pytest.raises(DecisionError) as refused:
        undo_action(db, reject.id, actor="moderator:masha")
    db.rollback()

    assert refused.value.code == "superseded" and "edited" in refused.value.message
    actions = {a["id"]: a for a in comment_detail(db, db.get(Comment, comment_id))["actions"]}
    assert (actions[reject.id]["version"], actions[reject.id]["undoable"]) == (1, False)
    assert (actions[approve.id]["version"], actions[approve.id]["undoable"]) == (2, True)
