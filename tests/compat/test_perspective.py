"""Perspective's API, answered here: analyze and suggestscore as Perspective clients and Coral Talk call them."""

import json

import pytest
from sqlalchemy import func, select

from lab.toxicity.decision_examples import decision_examples
from shared import task_names
from shared.models import Comment, ModerationAction, Notification, SpamFeedback, Verdict
from tests.support.queues import queued
from tests.support.sites import make_site

ANALYZE = "/perspective/v1alpha1/comments:analyze"
SUGGEST = "/perspective/v1alpha1/comments:suggestscore"
INSULT = "Ты тупой урод"
THANKS = "Спасибо за новость"
SPAMMY = (
    "Заработок от 5000 рублей в день без вложений! Пишите в телеграм @easy_money_ru, "
    "подробности на http://easy-money.example/ref?id=77 и http://easy-money.example/bonus"
)


def analyze(client, site, body, **query):
    # json.dumps escapes non-ASCII, so a lone surrogate travels as "\ud800", as a client would send it.
    return client.post(
        ANALYZE, query_string={"key": site.api_key, **query}, data=json.dumps(body), content_type="application/json"
    )


def score(value):
    return {"value": value, "type": "PROBABILITY"}


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def test_a_russian_insult_is_scored_field_by_field_with_its_words_as_spans(client, db, site):
    body = {
        "comment": {"text": INSULT, "type": "PLAIN_TEXT"},
        "languages": ["ru"],
        "doNotStore": True,
        "spanAnnotations": True,
        "clientToken": "t-1",
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {"scoreType": "PROBABILITY"}, "THREAT": {}},
    }

    response = analyze(client, site, body)

    assert response.status_code == 200
    result = response.json
    assert set(result) == {"attributeScores", "languages", "detectedLanguages", "clientToken"}
    assert (result["languages"], result["detectedLanguages"], result["clientToken"]) == (["ru"], ["ru"], "t-1")
    toxicity = result["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    insult = result["attributeScores"]["INSULT"]["summaryScore"]["value"]
    assert toxicity >= 0.9 and insult >= 0.9
    assert result["attributeScores"]["INSULT"] == {
        "summaryScore": score(insult),
        "spanScores": [
            {"begin": 0, "end": len(INSULT), "score": score(insult)},
            {"begin": 3, "end": 8, "score": score(insult)},  # тупой
            {"begin": 9, "end": 13, "score": score(insult)},
        ],  # урод
    }
    assert [INSULT[s["begin"] : s["end"]] for s in result["attributeScores"]["TOXICITY"]["spanScores"]] == [
        INSULT,
        "тупой",
        "урод",
    ]
    threat = result["attributeScores"]["THREAT"]
    assert threat["spanScores"] == [{"begin": 0, "end": len(INSULT), "score": threat["summaryScore"]}]


@pytest.mark.parametrize(
    ("text", "toxic", "language"),
    [
        (INSULT, True, "ru"),
        (THANKS, False, "ru"),
        ("You are a stupid idiot", True, "en"),
        ("Thanks for the news, very helpful", False, "en"),
    ],
)
def test_toxicity_is_high_for_abuse_and_low_for_thanks_in_both_languages(client, site, text, toxic, language):
    result = analyze(
        client, site, {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True}
    ).json

    value = result["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert value >= 0.9 if toxic else value < 0.1
    # Without spanAnnotations: the whole text only, as Perspective answers by default.
    assert result["attributeScores"]["TOXICITY"]["spanScores"] == [
        {"begin": 0, "end": len(text), "score": score(value)}
    ]
    assert result["languages"] == result["detectedLanguages"] == [language]  # none requested: the detected ones
    assert "clientToken" not in result


def test_spans_point_into_the_original_text_through_latin_look_alikes(client, site):
    text = "Ну ты и хyйлo, конечно"  # "y" and "o" are Latin
    result = analyze(
        client,
        site,
        {
            "comment": {"text": text},
            "spanAnnotations": True,
            "doNotStore": True,
            "requestedAttributes": {"PROFANITY": {}, "TOXICITY": {}, "INSULT": {}},
        },
    ).json

    for attribute in ("PROFANITY", "TOXICITY"):
        (whole, word) = result["attributeScores"][attribute]["spanScores"]
        assert (whole["begin"], whole["end"]) == (0, len(text))
        assert text[word["begin"] : word["end"]] == "хyйлo"
    assert len(result["attributeScores"]["INSULT"]["spanScores"]) == 1  # no insult among the words


def test_an_attribute_under_its_score_threshold_is_left_out(client, site):
    asked = {"TOXICITY": {"scoreThreshold": 0.5}, "INSULT": {"scoreThreshold": 0}}

    benign = analyze(client, site, {"comment": {"text": THANKS}, "requestedAttributes": asked, "doNotStore": True}).json
    rude = analyze(client, site, {"comment": {"text": INSULT}, "requestedAttributes": asked, "doNotStore": True}).json

    assert set(benign["attributeScores"]) == {"INSULT"}
    assert set(rude["attributeScores"]) == {"TOXICITY", "INSULT"}


def test_spam_is_an_attribute_with_the_spam_score_of_the_verdict(client, db, site):
    asked = {"SPAM": {}, "TOXICITY": {}}

    spam = analyze(client, site, {"comment": {"text": SPAMMY}, "requestedAttributes": asked}).json
    ham = analyze(client, site, {"comment": {"text": THANKS}, "requestedAttributes": asked}).json

    spam_value = spam["attributeScores"]["SPAM"]["summaryScore"]["value"]
    assert spam_value > ham["attributeScores"]["SPAM"]["summaryScore"]["value"]
    stored = db.scalar(select(Verdict).join(Comment, Comment.id == Verdict.comment_id).where(Comment.text == SPAMMY))
    assert stored.scores["spam"] == spam_value
    assert stored.scores["toxicity"] == spam["attributeScores"]["TOXICITY"]["summaryScore"]["value"]


def google_error(response, code, status):
    """Google's error shape (https://cloud.google.com/apis/design/errors): code, message, status, and
    `errors`/`details` only where Google's frontend adds them."""
    assert response.status_code == code
    assert set(response.json) == {"error"} and {"code", "message", "status"} <= set(response.json["error"])
    assert set(response.json["error"]) <= {"code", "message", "status", "errors", "details"}
    assert (response.json["error"]["code"], response.json["error"]["status"]) == (code, status)
    return response.json["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"FLIRTATION": {}}},
            "Requested attribute FLIRTATION does not exist",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en", "xx"]},
            "Attribute TOXICITY does not support request languages: xx",
        ),
        ({"comment": {}, "requestedAttributes": {"TOXICITY": {}}}, "Comment text must be specified and non-empty."),
        (
            {"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}},
            "Comment text must be specified and non-empty.",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {}},
            "requestedAttributes must name at least one attribute.",
        ),
        ({"comment": {"text": "x"}}, "requestedAttributes must name at least one attribute."),
        ({"comment": {"text": "x", "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}}, "not supported"),
        ({"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}}, "scoreThreshold"),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "STD_DEV_SCORE"}}},
            "PROBABILITY",
        ),
        ({"comment": {"text": "я" * 10241}, "requestedAttributes": {"TOXICITY": {}}}, "too many bytes"),
        ({"comment": {"text": "a\x00b"}, "requestedAttributes": {"TOXICITY": {}}}, "NUL"),
        ({"comment": {"text": "\ud800"}, "requestedAttributes": {"TOXICITY": {}}}, "not valid Unicode"),
        ({"comment": "text", "requestedAttributes": {"TOXICITY": {}}}, "expected an object"),
        ({"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": None}}, "expected an object"),
        ({"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en", 5]}, "languages"),
        (["not", "an", "object"], "Invalid JSON payload received."),
    ],
)
def test_a_bad_request_is_refused_in_googles_shape_and_stores_nothing(client, db, site, body, message):
    assert message in google_error(analyze(client, site, body), 400, "INVALID_ARGUMENT")
    assert count(db, Comment) == 0


def test_a_body_that_is_not_json_is_refused_in_googles_shape(client, site):
    response = client.post(
        ANALYZE, query_string={"key": site.api_key}, data="{comment:", content_type="application/json"
    )
    assert google_error(response, 400, "INVALID_ARGUMENT").startswith("Invalid JSON payload received.")


def test_the_key_works_as_query_bearer_or_google_header(client, site):
    body = {"comment": {"text": THANKS}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True}

    assert client.post(ANALYZE, query_string={"key": site.api_key}, json=body).status_code == 200
    assert client.post(ANALYZE, headers=site.auth, json=body).status_code == 200
    assert client.post(ANALYZE, headers={"X-Goog-Api-Key": site.api_key}, json=body).status_code == 200


def test_a_wrong_key_is_refused_word_for_word_as_google_refuses_it(client, site):
    """Google: 400 INVALID_ARGUMENT "API key not valid. Please pass a valid API key." (reason badRequest,
    ErrorInfo API_KEY_INVALID), whichever way the key came and on either method."""
    body = {"comment": {"text": THANKS}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True}
    wrong = [
        client.post(ANALYZE, query_string={"key": "mk_wrong"}, json=body),
        client.post(ANALYZE, headers={"Authorization": "Bearer mk_wrong"}, json=body),
        client.post(ANALYZE, headers={"X-Goog-Api-Key": "mk_wrong"}, json=body),
        client.post(SUGGEST, query_string={"key": "mk_wrong"}, json=body),
    ]
    for response in wrong:
        assert google_error(response, 400, "INVALID_ARGUMENT") == "API key not valid. Please pass a valid API key."
        error = response.json["error"]
        assert error["errors"] == [{"message": error["message"], "domain": "global", "reason": "badRequest"}]
        assert error["details"][0]["reason"] == "API_KEY_INVALID"


def test_a_missing_key_is_refused_as_google_refuses_it(client):
    """Google: 403 PERMISSION_DENIED "The request is missing a valid API key." (reason forbidden)."""
    response = client.post(ANALYZE, json={"comment": {"text": THANKS}, "requestedAttributes": {"TOXICITY": {}}})
    assert google_error(response, 403, "PERMISSION_DENIED") == "The request is missing a valid API key."
    assert response.json["error"]["errors"][0]["reason"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ANALYZE),
        ("PUT", ANALYZE),
        ("DELETE", SUGGEST),
        ("GET", SUGGEST),
        ("POST", "/perspective/v1alpha1/comments:summarize"),
    ],
)
def test_a_method_google_does_not_have_is_its_404_method_not_found(client, site, method, path):
    """Google's frontend answers another verb or an unknown method with 404 NOT_FOUND "Method not found."."""
    response = client.open(path, method=method, query_string={"key": site.api_key})
    assert google_error(response, 404, "NOT_FOUND") == "Method not found."
    assert response.json["error"]["errors"][0]["reason"] == "notFound"


def test_do_not_store_stores_no_comment(client, db, site):
    analyze(client, site, {"comment": {"text": INSULT}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True})
    assert (count(db, Comment), count(db, Verdict)) == (0, 0)


def test_without_do_not_store_the_comment_is_moderated_like_an_ingested_one(client, db, settings, redis_client):
    site = make_site(settings.database_url, name="luki", callback_url="http://127.0.0.1:9/hooks")
    body = {
        "comment": {"text": INSULT},
        "requestedAttributes": {"TOXICITY": {}},
        "communityId": "Coral:https://luki.ru/",
    }

    response = analyze(client, site, body)

    comment = db.scalar(select(Comment))
    assert (comment.site_id, comment.source, comment.text, comment.status) == (
        site.id,
        "perspective",
        INSULT,
        "rejected",
    )
    assert comment.author_name == "perspective" and comment.author_id.startswith("perspective:")
    assert comment.article_url == comment.article_id == "perspective:Coral:https://luki.ru/"
    verdict = db.scalar(select(Verdict).where(Verdict.comment_id == comment.id))
    assert verdict.scores["toxicity"] == response.json["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    (notification,) = db.scalars(select(Notification).where(Notification.site_id == site.id)).all()
    assert notification.comment_id == comment.id
    assert queued(redis_client, "notify", task_names.DELIVER_CALLBACK) == [[notification.id]]


def test_each_comment_has_its_own_author_unless_the_client_names_a_session(client, db, site):
    # One shared author would make a site's fifth Perspective comment in the rate window look like a flood.
    for n in range(5):
        analyze(client, site, {"comment": {"text": f"{THANKS} номер {n}"}, "requestedAttributes": {"SPAM": {}}})
    analyze(client, site, {"comment": {"text": THANKS}, "requestedAttributes": {"SPAM": {}}, "sessionId": "s-42"})

    authors = db.scalars(select(Comment.author_id).order_by(Comment.id)).all()
    assert len(set(authors)) == 6 and authors[-1] == "perspective:session:s-42"
    signals = {r.get("signal") for v in db.scalars(select(Verdict)) for r in v.reasons}
    assert "rate_author" not in signals


def test_another_sites_key_sees_and_changes_nothing_of_this_site(client, db, settings, site):
    other = make_site(settings.database_url, name="other")
    analyze(client, site, {"comment": {"text": INSULT}, "requestedAttributes": {"TOXICITY": {}}})
    ours = db.scalar(select(Comment))

    response = client.post(
        SUGGEST,
        query_string={"key": other.api_key},
        json={"comment": {"text": INSULT}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}}},
    )

    assert response.status_code == 200
    db.refresh(ours)
    assert (
        ours.status == "rejected" and count(db, ModerationAction) == 1
    )  # the other site's decision is on its own copy
    theirs = db.scalar(select(Comment).where(Comment.site_id == other.id))
    assert theirs.id != ours.id and theirs.status == "approved"


# Coral Talk's analyze request, as getScore builds it in coralproject/talk
# src/core/server/services/comments/pipeline/phases/toxic.ts (commit 26f7d83): POST
# `${endpoint}/comments:analyze?key=KEY`, Content-Type: application/json, languages from the tenant's
# locale ("en" for any locale it has no Perspective model for), doNotStore true unless configured.
def coral_analyze(text, do_not_store=True):
    return {
        "comment": {"text": text},
        "languages": ["en"],
        "doNotStore": do_not_store,
        "requestedAttributes": {"TOXICITY": {}},
    }


# Coral's moderation feedback, as notifyPerspectiveModerationDecision builds it in coralproject/talk
# src/core/server/services/perspective/index.ts (commit 143554f): the attribute is the moderator's
# decision, APPROVED or DELETED, scored 1; languages ["EN"]; JSON.stringify(body, null, 2).
def coral_suggest(text, status, comment_id="c0ffee-1", parent_id=None):
    context = {"url": f"https://luki.ru/news/1?commentID={comment_id}", "Coral_comment_id": comment_id}
    if parent_id:
        context = {"url": context["url"], "reply_to_id_Coral_comment_id": parent_id, "Coral_comment_id": comment_id}
    body = {
        "comment": {"text": text},
        "context": {"entries": [{"text": json.dumps(context)}]},
        "attributeScores": {status: {"summaryScore": {"value": 1}}},
        "languages": ["EN"],
        "communityId": "Coral:https://luki.ru/",
        "clientToken": f"comment:{comment_id}",
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def test_corals_analyze_request_gets_the_score_coral_reads(client, db, site):
    for text, toxic in ((INSULT, True), (THANKS, False)):
        response = client.post(
            f"{ANALYZE}?key={site.api_key}",
            data=json.dumps(coral_analyze(text)),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 200
        value = response.json["attributeScores"]["TOXICITY"]["summaryScore"]["value"]  # what Coral reads
        assert value > 0.8 if toxic else value < 0.8  # Coral's default threshold
        # Coral asks for "en" whatever the language: scored as what it is, the request echoed.
        assert (response.json["languages"], response.json["detectedLanguages"]) == (["en"], ["ru"])
    assert count(db, Comment) == 0  # Coral's default doNotStore


def test_corals_feedback_on_a_stored_comment_is_a_decision_by_perspective(client, db, site, redis_client):
    client.post(f"{ANALYZE}?key={site.api_key}", json=coral_analyze(INSULT, do_not_store=False))
    stored = db.scalar(select(Comment))

    response = client.post(
        f"{SUGGEST}?key={site.api_key}",
        data=coral_suggest(INSULT, "APPROVED", parent_id="p-1"),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 200
    assert response.json["clientToken"] == "comment:c0ffee-1"  # Coral checks it
    assert response.json["requestedLanguages"] == ["en"]
    db.refresh(stored)
    assert stored.status == "approved" and count(db, Comment) == 1
    action = db.scalar(select(ModerationAction))
    assert (action.comment_id, action.actor, action.action) == (stored.id, "perspective", "approve")
    feedback = db.scalar(select(SpamFeedback))
    assert (feedback.comment_id, feedback.source, feedback.label) == (stored.id, "perspective", "ham")
    assert queued(redis_client, "moderation", task_names.LEARN_SPAM) == [[site.id]]
    assert decision_examples(db) == [(INSULT, 0)]  # an approval teaches the toxicity model "not toxic"


def test_corals_feedback_on_a_comment_never_stored_stores_it_decided_and_unscored(client, db, site):
    response = client.post(
        f"{SUGGEST}?key={site.api_key}",
        data=coral_suggest(THANKS, "DELETED"),
        headers={"Content-Type": "application/json"},
    )

    assert response.json["clientToken"] == "comment:c0ffee-1"
    comment = db.scalar(select(Comment))
    assert (comment.source, comment.status, comment.article_url) == (
        "perspective",
        "rejected",
        "https://luki.ru/news/1",  # the story, without the commentID Coral adds to point at the comment
    )
    assert count(db, Verdict) == 0  # a human judged it: no machine verdict, no alert
    action = db.scalar(select(ModerationAction))
    assert (action.action, action.reason) == ("reject", "other")
    assert decision_examples(db) == []  # Coral does not say why it was deleted: nothing learnt about toxicity


@pytest.mark.parametrize(
    ("scores", "status", "reason", "label", "example"),
    [
        ({"SPAM": 1}, "rejected", "spam", "spam", []),
        ({"SPAM": 0.2}, "approved", None, "ham", [(SPAMMY, 0)]),
        ({"TOXICITY": 0.9, "SPAM": 0}, "rejected", "toxicity", "ham", [(SPAMMY, 1)]),
        ({"PROFANITY": 0.7, "INSULT": 0.9}, "rejected", "insult", "ham", [(SPAMMY, 1)]),
        ({"SPAM": 1, "TOXICITY": 1}, "rejected", "spam", "spam", []),
    ],
)
def test_suggested_scores_become_a_decision_a_spam_label_and_a_toxicity_example(
    client,
    db,
    site,
    redis_client,
    scores,
    status,
    reason,
    label,
    example,
):
    client.post(ANALYZE, headers=site.auth, json={"comment": {"text": SPAMMY}, "requestedAttributes": {"SPAM": {}}})
    body = {
        "comment": {"text": SPAMMY},
        "clientToken": "t-9",
        "attributeScores": {name: {"summaryScore": {"value": v}} for name, v in scores.items()},
    }

    response = client.post(SUGGEST, headers=site.auth, json=body)

    assert response.json["clientToken"] == "t-9"
    comment = db.scalar(select(Comment))
    assert comment.status == status and db.scalar(select(ModerationAction)).reason == reason
    assert db.scalar(select(SpamFeedback)).label == label
    assert queued(redis_client, "moderation", task_names.LEARN_SPAM) == [[site.id]]
    assert decision_examples(db) == example


def test_a_suggestion_with_nothing_we_use_is_answered_and_stores_nothing(client, db, site):
    body = {
        "comment": {"text": THANKS},
        "attributeScores": {"HIGHLIGHTED": {"summaryScore": {"value": 0}}},  # Coral's, and saying nothing
        "clientToken": "t-2",
    }

    response = client.post(SUGGEST, headers=site.auth, json=body)

    assert response.status_code == 200 and response.json["clientToken"] == "t-2"
    assert (count(db, Comment), count(db, ModerationAction)) == (0, 0)


@pytest.mark.parametrize("scores", [{}, {"TOXICITY": {"summaryScore": {"value": 3}}}, {"TOXICITY": 1}])
def test_a_malformed_suggestion_is_refused_in_googles_shape(client, db, site, scores):
    response = client.post(SUGGEST, headers=site.auth, json={"comment": {"text": THANKS}, "attributeScores": scores})
    google_error(response, 400, "INVALID_ARGUMENT")
    assert count(db, Comment) == 0


def test_suggestscore_refuses_an_attribute_that_does_not_exist_and_stores_nothing(client, db, site):
    body = {"comment": {"text": THANKS}, "attributeScores": {"FLIRTATION": {"summaryScore": {"value": 1}}}}
    response = client.post(SUGGEST, query_string={"key": site.api_key}, json=body)
    assert google_error(response, 400, "INVALID_ARGUMENT") == "Requested attribute FLIRTATION does not exist"
    assert (count(db, Comment), count(db, ModerationAction)) == (0, 0)


def test_corals_analyze_and_its_later_feedback_land_on_one_comment_of_one_article(client, db, site):
    """Coral's analyze names no article; its feedback names the story (and communityId "Coral:<tenant>",
    which is the whole site, not an article): the analyzed comment moves onto the story."""
    client.post(f"{ANALYZE}?key={site.api_key}", json=coral_analyze(INSULT, do_not_store=False))
    client.post(
        f"{SUGGEST}?key={site.api_key}",
        data=coral_suggest(INSULT, "DELETED"),
        headers={"Content-Type": "application/json"},
    )
    (comment,) = db.scalars(select(Comment)).all()
    db.refresh(comment)
    assert (comment.article_id, comment.article_url) == ("https://luki.ru/news/1", "https://luki.ru/news/1")
    assert comment.status == "rejected"


@pytest.mark.parametrize("languages", [["ru"], None])  # asked for, or detected
def test_an_attribute_not_scored_in_russian_is_refused_as_google_refuses_it(client, db, site, languages):
    body = {"comment": {"text": "Ты тупой урод, заткнись"}, "requestedAttributes": {"SEVERE_TOXICITY": {}}}
    if languages:
        body["languages"] = languages

    message = google_error(analyze(client, site, body), 400, "INVALID_ARGUMENT")

    assert message == "Attribute SEVERE_TOXICITY does not support request languages: ru"
    assert count(db, Comment) == 0


def test_the_same_attribute_is_answered_in_english(client, site):
    body = {
        "comment": {"text": "You are a stupid worthless idiot"},
        "requestedAttributes": {"SEVERE_TOXICITY": {}, "THREAT": {}},
        "languages": ["en"],
        "doNotStore": True,
    }
    response = analyze(client, site, body)
    assert response.status_code == 200, response.get_json()
    assert set(response.get_json()["attributeScores"]) == {"SEVERE_TOXICITY", "THREAT"}


def test_drop_unsupported_attributes_leaves_the_unscored_one_out(client, site):
    body = {
        "comment": {"text": "Ты тупой урод, заткнись"},
        "requestedAttributes": {"SEVERE_TOXICITY": {}, "INSULT": {}},
        "languages": ["ru"],
        "dropUnsupportedAttributes": True,
        "doNotStore": True,
    }
    response = analyze(client, site, body)
    assert response.status_code == 200, response.get_json()
    assert set(response.get_json()["attributeScores"]) == {"INSULT"}
