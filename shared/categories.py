"""Toxicity categories, named as Detoxify and Perspective name them, and what belongs to each.

Adding a category is one member and one row of ABOUT here (plus its translations, and a scorer
that produces it); settings, policies, the console, alerts, reject reasons and the Perspective
drop-in all derive from these.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from shared.i18n import N_


class Category(StrEnum):
    TOXICITY = "toxicity"
    SEVERE_TOXICITY = "severe_toxicity"
    OBSCENE = "obscene"
    INSULT = "insult"
    THREAT = "threat"
    IDENTITY_ATTACK = "identity_attack"


@dataclass(frozen=True)
class About:
    label: str  # what moderators read (an English message id, translated by the catalogs)
    perspective: str  # the Perspective API's name for it
    rejectable: bool  # moderators may name it as the reason they reject a comment


ABOUT: Final[dict[Category, About]] = {
    Category.TOXICITY: About(N_("toxicity"), "TOXICITY", rejectable=True),
    Category.SEVERE_TOXICITY: About(N_("severe toxicity"), "SEVERE_TOXICITY", rejectable=False),
    Category.OBSCENE: About(N_("obscenity"), "PROFANITY", rejectable=True),
    Category.INSULT: About(N_("insult"), "INSULT", rejectable=True),
    Category.THREAT: About(N_("threat"), "THREAT", rejectable=True),
    Category.IDENTITY_ATTACK: About(N_("identity attack"), "IDENTITY_ATTACK", rejectable=True),
}

CATEGORIES: Final[tuple[Category, ...]] = tuple(Category)
REJECTABLE_CATEGORIES: Final[tuple[Category, ...]] = tuple(c for c in Category if ABOUT[c].rejectable)

# The spam score sits beside the categories in verdicts and policies, but is not a toxicity category.
SPAM: Final = "spam"
POLICY_SCORES: Final[tuple[str, ...]] = (*CATEGORIES, SPAM)
SCORE_LABELS: Final[dict[str, str]] = {**{c.value: ABOUT[c].label for c in Category}, SPAM: N_("spam")}
