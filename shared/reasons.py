"""Why a verdict is what it is: typed reasons, stored with every verdict and answered by the API.

A reason says what fired (`code` and its fields) and carries its words twice: `message`, in English,
for API clients, and `phrases`, the same words as catalog message ids with their values, so the
console and the alerts show it in the moderator's language without knowing every kind of reason.
"""

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.categories import SCORE_LABELS
from shared.i18n import N_, Translator
from shared.vocabulary import Decision

Value = str | int | float


class ReasonCode(StrEnum):
    CATEGORY_THRESHOLD = "category_threshold"  # a score at or above the policy's threshold
    MATCHED_WORDS = "matched_words"  # the toxicity lexicon's words, as written
    BANNED_WORDS = "banned_words"  # the site's banned words
    SUSPECT_WORDS = "suspect_words"  # the site's suspect words
    NEW_AUTHOR = "new_author"  # the site reviews its new authors
    AUTHOR_BANNED = "author_banned"
    EDITED_AFTER_REJECT = "edited_after_reject"  # a new version of a comment a moderator rejected
    SPAM_SIGNAL = "spam_signal"  # one thing that makes a comment look like spam (or not)


class SpamSignalCode(StrEnum):
    """The spam signals (a spam_signal reason's `signal`) added for real chat spam; each has its phrases
    in moderation/spam (the older signals' codes are plain strings there: links, phone, messenger...)."""

    JOB_OFFER = "job_offer"  # job-offer and easy-money wording: recruiting, pay per day, no experience
    WRITE_ME = "write_me"  # "пишите в лс", "ставьте + в личку": contact moved out of the site, no link
    HANDLE = "handle"  # a bot's @handle, or any @handle next to money
    INVITE_LINK = "invite_link"  # t.me/+..., t.me/joinchat/...: a private group
    EMOJI = "emoji"  # many emoji for the words
    CAPS_WORDS = "caps_words"  # shouted words inside ordinary sentences
    OBFUSCATED_CONTACT = "obfuscated_contact"  # "собака", spaced digits, digits as words
    KNOWN_SPAM = "known_spam"  # a (reworded) copy of spam the site's moderators rejected
    SPAM_MODEL = "spam_model"  # the shipped prior's log-odds (shown when large)


class Phrase(BaseModel):
    """Words in the catalog's terms: a message id (with a plural and the value that picks it) and values.

    Values named in `translate` are message ids themselves (a category's label) and are translated too.
    """

    model_config = ConfigDict(frozen=True)

    msgid: str
    plural: str | None = None
    number: str | None = None  # the value that picks singular or plural
    values: dict[str, Value] = Field(default_factory=dict)
    translate: tuple[str, ...] = ()
    glue: str = "; "  # what joins it to the phrase before it ("" continues that phrase's sentence)

    def render(self, translator: "Translator") -> str:
        values = {k: translator.gettext(str(v)) if k in self.translate else v for k, v in self.values.items()}
        if self.plural is not None and self.number is not None:
            return translator.ngettext(self.msgid, self.plural, int(self.values[self.number])) % values
        return translator.gettext(self.msgid) % values if values else translator.gettext(self.msgid)


class _English:
    """The message ids themselves: what the API's `message` says."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


ENGLISH = _English()


def phrase(msgid: str, *, translate: Sequence[str] = (), glue: str = "; ", **values: Value) -> Phrase:
    """Words with %(name)s values; `translate` names values that are message ids themselves."""
    return Phrase(msgid=msgid, values=values, translate=tuple(translate), glue=glue)


def plural_phrase(
    singular: str, plural: str, *, number: str, translate: Sequence[str] = (), glue: str = "; ", **values: Value
) -> Phrase:
    """Words whose form depends on the number in `values[number]` (Russian has three forms)."""
    return Phrase(msgid=singular, plural=plural, number=number, values=values, translate=tuple(translate), glue=glue)


def render(phrases: Iterable[Phrase], translator: "Translator") -> str:
    """The phrases as one text in the translator's language."""
    return "".join((p.glue if i else "") + p.render(translator) for i, p in enumerate(phrases))


class WordSpan(BaseModel):
    """A word as written in the comment, and where: offsets into the original text."""

    model_config = ConfigDict(frozen=True)

    word: str
    start: int
    end: int


class Reason(BaseModel):
    """One reason of a verdict. Fields beyond code, message and phrases depend on the code."""

    model_config = ConfigDict(frozen=True)

    code: ReasonCode
    message: str = ""
    phrases: tuple[Phrase, ...] = ()
    decision: Decision | None = None  # what this reason alone calls for
    category: str | None = None  # the category or list it is about
    score: float | None = None
    threshold: float | None = None
    words: tuple[WordSpan, ...] | None = None
    signal: str | None = None  # spam signals: which one
    weight: float | None = None  # spam signals: its log-odds
    details: dict[str, Any] | None = None
    action_id: int | None = None  # author_banned: the ban; edited_after_reject: the moderator's reject
    approved_comments: int | None = None  # new_author

    @classmethod
    def of(cls, code: ReasonCode, phrases: Sequence[Phrase], **fields: Any) -> "Reason":
        """A reason whose English message is rendered from its phrases."""
        return cls(code=code, message=render(phrases, ENGLISH), phrases=tuple(phrases), **fields)

    def as_json(self) -> dict[str, Any]:
        """What a verdict row stores and the API answers."""
        return self.model_dump(mode="json", exclude_none=True)

    def describe(self, translator: "Translator") -> str:
        """The reason in the reader's language."""
        phrases = self.phrases or _worded_from_fields(self)
        return render(phrases, translator) if phrases else self.message or self.code.value


def stored(reasons: Sequence[Mapping[str, Any]]) -> list[Reason]:
    """Reasons read back from a verdict row (rows from before a field existed get its default)."""
    return [Reason.model_validate(reason) for reason in reasons]


_OVER = {
    Decision.REVIEW: N_("%(category)s %(score).2f ≥ review threshold %(threshold).2f"),
    Decision.REJECT: N_("%(category)s %(score).2f ≥ reject threshold %(threshold).2f"),
}


def _threshold_phrase(category: str, score: float, threshold: float, decision: Decision) -> Phrase:
    label = SCORE_LABELS.get(category, category)
    return phrase(_OVER[decision], category=label, score=score, threshold=threshold, translate=["category"])


def _words_phrase(category: str, words: Sequence[WordSpan]) -> Phrase:
    listed = ", ".join(w.word for w in words)
    return phrase(
        "words (%(category)s): %(words)s",
        category=SCORE_LABELS.get(category, category),
        words=listed,
        translate=["category"],
    )


# What a toxicity score came from (ToxicityResult.evidence), in the moderator's words.
EVIDENCE: dict[str, str] = {
    "words": N_("words and patterns"),
    "model": N_("the language model"),
    "encoder": N_("the sentence encoder"),
}


def _evidence_phrases(evidence: Sequence[str]) -> tuple[Phrase, ...]:
    known = [EVIDENCE[e] for e in evidence if e in EVIDENCE]
    if not known:
        return ()
    first = phrase(N_("evidence: %(source)s"), source=known[0], translate=["source"], glue=" — ")
    rest = tuple(phrase("%(source)s", source=e, translate=["source"], glue=", ") for e in known[1:])
    return (first, *rest)


def threshold_reason(
    category: str, score: float, threshold: float, decision: Decision, evidence: Sequence[str] = ()
) -> Reason:
    """A score at or above one of the policy's thresholds, and what the score came from."""
    phrases = (_threshold_phrase(category, score, threshold, decision), *_evidence_phrases(evidence))
    return Reason(
        code=ReasonCode.CATEGORY_THRESHOLD,
        category=category,
        decision=decision,
        score=round(score, 4),
        threshold=threshold,
        message=f"{category} {score:.2f} ≥ {decision} threshold {threshold:.2f}"
        + (f" — evidence: {', '.join(evidence)}" if evidence else ""),
        phrases=phrases,
        details={"evidence": list(evidence)} if evidence else None,
    )


def matched_words_reason(category: str, words: Sequence[WordSpan]) -> Reason:
    """The toxicity lexicon's words of one category, as written in the comment."""
    return Reason(
        code=ReasonCode.MATCHED_WORDS,
        category=category,
        words=tuple(words),
        message=f"{category}: " + ", ".join(w.word for w in words),
        phrases=(_words_phrase(category, words),),
    )


def _worded_from_fields(reason: Reason) -> tuple[Phrase, ...]:
    """Words for the reasons whose fields say everything (rows stored before reasons carried phrases)."""
    if (
        reason.code == ReasonCode.CATEGORY_THRESHOLD
        and reason.category
        and reason.score is not None
        and reason.threshold is not None
        and reason.decision in _OVER
    ):
        return (_threshold_phrase(reason.category, reason.score, reason.threshold, reason.decision),)
    if reason.code == ReasonCode.MATCHED_WORDS and reason.category and reason.words:
        return (_words_phrase(reason.category, reason.words),)
    return ()
