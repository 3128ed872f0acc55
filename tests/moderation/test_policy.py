"""Thresholds turn scores into approve / review / reject, and say which rule decided."""

import random

import numpy as np

from moderation.pipeline.policy import Policy, decide, matched_words_reasons, site_policy, threshold_decisions
from moderation.scoring import Match, ToxicityResult
from shared.categories import CATEGORIES, POLICY_SCORES
from shared.settings import PolicySettings
from shared.site_policy import SitePolicy
from shared.vocabulary import DECISIONS_BY_SEVERITY


def result(**scores: float) -> dict[str, float]:
    return {c: scores.get(c, 0.0) for c in (*CATEGORIES, "spam")}


def stored(reasons: list) -> list[dict]:
    """The reasons as a verdict stores them, without their catalog phrases."""
    return [{k: v for k, v in r.as_json().items() if k != "phrases"} for r in reasons]


POLICY = site_policy(PolicySettings(), SitePolicy())


def test_low_scores_are_approved_with_no_threshold_reasons():
    assert decide(result(toxicity=0.1), POLICY) == ("approve", [])


def test_between_review_and_reject_goes_to_review():
    decision, reasons = decide(result(toxicity=0.7), POLICY)
    assert decision == "review"
    assert stored(reasons) == [
        {
            "code": "category_threshold",
            "category": "toxicity",
            "decision": "review",
            "score": 0.7,
            "threshold": 0.5,
            "message": "toxicity 0.70 ≥ review threshold 0.50",
        }
    ]


def test_any_category_over_its_reject_threshold_rejects():
    decision, reasons = decide(result(toxicity=0.6, threat=0.95), POLICY)
    assert decision == "reject"
    assert {(r.category, r.decision) for r in reasons} == {("toxicity", "review"), ("threat", "reject")}


def test_blatant_spam_is_rejected_and_doubtful_spam_reviewed():
    assert decide(result(spam=0.95), POLICY)[0] == "reject"
    decision, reasons = decide(result(spam=0.6), POLICY)
    assert decision == "review" and reasons[0].category == "spam"


def test_a_site_policy_overrides_only_the_thresholds_it_names():
    strict = site_policy(PolicySettings(), SitePolicy(reject={"toxicity": 0.6}))
    assert strict.reject["toxicity"] == 0.6 and strict.reject["threat"] == 0.9
    assert decide(result(toxicity=0.65), strict)[0] == "reject"
    assert decide(result(toxicity=0.65), POLICY)[0] == "review"


def test_matched_words_are_reported_with_their_spans():
    matches = (Match(category="obscene", word="хyй", start=4, end=7),)
    scored = ToxicityResult(scores=dict.fromkeys(CATEGORIES, 0.0), languages=("ru",), matches=matches)
    assert stored(matched_words_reasons(scored)) == [
        {
            "code": "matched_words",
            "category": "obscene",
            "words": [{"word": "хyй", "start": 4, "end": 7}],
            "message": "obscene: хyй",
        }
    ]


def test_the_simulators_decisions_over_many_comments_are_the_workers_decision_for_each():
    rng = random.Random(18)
    for _ in range(50):
        # Thresholds anywhere from 0 to "off" (above 1), scores with some categories missing, some
        # exactly on a threshold.
        review = {c: rng.choice([0.3, 0.5, 0.6, 1.5, rng.random()]) for c in POLICY_SCORES if rng.random() < 0.8}
        reject = {c: rng.choice([0.6, 0.9, 2.0, rng.random()]) for c in POLICY_SCORES if rng.random() < 0.8}
        policy = Policy(review=review, reject=reject)
        comments = [
            {c: rng.choice([0.5, 0.6, 0.9, rng.random()]) for c in POLICY_SCORES if rng.random() < 0.9}
            for _ in range(40)
        ]
        matrix = np.array([[s.get(c, np.nan) for c in POLICY_SCORES] for s in comments])

        many = threshold_decisions(matrix, POLICY_SCORES, policy)

        assert [DECISIONS_BY_SEVERITY[d] for d in many] == [decide(s, policy)[0] for s in comments]
