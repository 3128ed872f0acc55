"""The one vocabulary: every status, kind and category is defined once and everything else derives from it."""

from moderation.web.compat.perspective_feedback import TOXIC_REASONS
from moderation.web.compat.perspective_request import ATTRIBUTES
from shared.categories import ABOUT, CATEGORIES, POLICY_SCORES, SCORE_LABELS, SPAM, Category
from shared.i18n import translations
from shared.vocabulary import (
    REJECT_REASON_LABELS,
    REJECT_REASONS,
    TOXIC_REJECT_REASONS,
    CommentStatus,
    Decision,
    EventKind,
    Queue,
)


def test_each_decision_puts_a_comment_in_one_status_and_back():
    for decision in Decision:
        assert Decision.of_status(decision.status) is decision
    assert Decision.of_status(CommentStatus.PENDING) is None


def test_the_strictest_decision_wins():
    assert Decision.strictest([Decision.APPROVE, Decision.REJECT, Decision.REVIEW]) is Decision.REJECT
    assert Decision.strictest([]) is Decision.APPROVE


def test_queues_show_their_status_and_the_reported_and_all_queues_none():
    assert {q: q.status for q in Queue if q.status} == {
        Queue.REVIEW: CommentStatus.REVIEW,
        Queue.REJECTED: CommentStatus.REJECTED,
        Queue.APPROVED: CommentStatus.APPROVED,
        Queue.PENDING: CommentStatus.PENDING,
    }
    assert Queue.REPORTED.status is None and Queue.ALL.status is None


def test_only_review_and_reject_raise_moderation_events():
    assert [EventKind.of_decision(d) for d in Decision] == [None, EventKind.REVIEW, EventKind.REJECT]


def test_reject_reasons_and_perspective_attributes_derive_from_the_categories():
    assert {c for c in CATEGORIES if ABOUT[c].rejectable} == TOXIC_REJECT_REASONS
    assert set(REJECT_REASONS) >= TOXIC_REJECT_REASONS and SPAM in REJECT_REASONS
    assert set(ATTRIBUTES.values()) == set(POLICY_SCORES)
    assert ATTRIBUTES["PROFANITY"] == Category.OBSCENE
    assert TOXIC_REASONS["SEVERE_TOXICITY"] == "toxicity"  # moderators cannot name it: it is toxicity


def test_every_label_moderators_read_is_in_the_russian_catalog():
    ru = translations("ru")
    for label in [*SCORE_LABELS.values(), *REJECT_REASON_LABELS.values()]:
        assert ru.gettext(label) != label, label
    assert ru.gettext(ABOUT[Category.OBSCENE].label) == "мат"
