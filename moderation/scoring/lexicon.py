"""Obscenity, insult, threat and identity-attack lexicon, matched on normalised text."""

import re
from dataclasses import dataclass

from moderation.scoring.normalize import Normalized, normalize


@dataclass(frozen=True)
class Match:
    """One lexicon hit; text[start:end] == word in the ORIGINAL text."""

    category: str
    word: str
    start: int
    end: int


L = r"(?<![^\W\d_])"  # no letter before: marks a word-start pattern (compiled as \b)
R = r"(?![^\W\d_])"  # no letter after: the end of a word

# Roots are anchored so that "потребляет", "страхуй", "рубля", "хулиган", "небеса",
# "корабля", "оскорблять", "ребенок", "хлебал" and "мудрый" stay clean.
# After these prefixes any "еб" is obscene ("заебал", "уебок"); "с"/"в"/"от" need the hard sign
# ("съебал") because "себе" and "отеб..." are ordinary words.
_EB_PREFIX = r"(?:за|у|вы|на|про|до|по|при|пере|недо)"
_EB_HARD_PREFIX = r"(?:с|в|от|об|раз|рас|из|вз|под|подо)[ъь]"
_OBSCENE = (
    L + r"(?:на|по|от|за|ни|до|вы|у|о|с|под|пере|при|рас|раз)?ху[йеяюи]",
    r"п[иеы]зд",
    L + r"еб(?:[аеиуыяюлнкчшщ]|" + R + ")",
    L + _EB_PREFIX + r"еб",
    L + _EB_HARD_PREFIX + r"еб",
    r"долб[оа]е?б",
    L + r"бля" + R,
    L + r"бля[тдх]",
    r"бляд",
    L + r"муд(?:а[кч]|ил|о[зхнл]|ень|л[оа])",
    r"залуп",
    L + r"пид[оа]?р",
    r"г[ао]ндон",
    r"шлюх",
    L + r"(?:на|по)?хер(?:н[яюие]|ов)?" + R,
    L + r"манд[аеуыо]" + R,
    r"\bfuck|\bmotherfuck|\bshit|\bbullshit|\bcunt|\bassholes?\b|\bbitch|\bwhores?\b|\bsluts?\b",
    r"\bdick(?:head)?s?\b|\bpussy\b|\bcocksucker",
    r"\bbl[yj]a[dt]|\bpizd|\b(?:na|po)?huy|\bxuy\b|\bsuka\b",
)
_INSULT = (
    L + r"(?:дурак|дурачье|дурень|идиот|дебил|кретин|дегенерат|имбецил|олигофрен)",
    L + r"(?:дура|дуры|дурой|дуре)" + R,
    L + r"(?:урод|урода|уроды|уродов|уродина|уродец|мразь|мрази|мразота|тварь|твари|тварюга)" + R,
    L + r"туп(?:ой|ая|ое|ые|ого|ому|ым|ыми|ых|ица|орыл|оголов|ень)",
    L + r"(?:чмо|быдло|скотина|скотины|ублюд|выродок|выродки|недоумок|недоумки|придурок|придурки|придурка)",
    L + r"(?:сволочь|сволочи|сволота|паскуда|паскуды|падла|падлы|гнида|гниды|подонок|подонки|шваль)" + R,
    L + r"(?:лох|лохи|лоха|лохов|лошара|олух|олухи|даун|дауны|козлина)" + R,
    L + r"(?:сука|суки|сучара|сучка|сучье|ватник|ватники|либераст|либерасты|ничтожество)" + R,
    r"\bidiots?\b|\bmorons?\b|\bstupid\b|\bdumb(?:ass)?\b|\bretard|\bloser|\bimbecile|\bjerks?\b",
)
_THREAT = (
    L + r"(?:убью|зарежу|пристрелю|застрелю|расстреляю|перестреляю|урою|закопаю|придушу|задушу)" + R,
    L + r"(?:убить|прибью|прибить|зарезать|расстрелять|перестрелять|повесить|вешать|сжечь)"
    + r" (?:тебя|вас|бы|всех|таких)"
    + R,
    L + r"(?:тебя|вас|таких) (?:убить|убью|прибью|закопаю|урою|зарежу)" + R,
    L + r"(?:убейся|убейтесь|сдохни|сдохните|сдохнешь|сдохнете)" + R,
    L + r"убей себя" + R,
    L + r"чтоб(?:ы)? (?:ты|вы|они|он|она) сдох",
    L + r"(?:башку|голову|ноги|руки) (?:оторву|снесу|проломлю|переломаю|сломаю|вырву)" + R,
    L + r"найду (?:тебя|вас)" + R,
    r"\b(?:i ?'?ll|i will|gonna|going to) (?:kill|murder|shoot|stab|hurt) (?:you|u|him|her|them)\b",
    r"\bkill yourself\b|\bkys\b|\byou(?:'re| are) dead\b",
)
_IDENTITY = (
    L + r"(?:хохл|хохол|хохлушк|жидов|жидяр|жидомас|черножоп|чернозад|нерусь|пиндос|пендос|кацап)",
    L + r"(?:жид|жиды|жидов|жидам|жидами|жидок|чурка|чурки|чурок|чуркам|хач|хачи|хачей|хачам)" + R,
    L + r"(?:москаль|москали|москалей|русня|укропы|укропов|укропам|зверьки|чучмек|чучмеки|негритос)" + R,
    L + r"(?:ниггер|нигер|нигеры|гомик|гомики|педик|педики|педрила|пидор|пидар|пидр)",
    r"\bnigg(?:er|a)s?\b|\bfaggots?\b|\bfags?\b|\bkikes?\b|\bchinks?\b|\bspics?\b|\btrann(?:y|ies)\b",
)



def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex per category; word-start patterns share one \\b, which is far cheaper than L."""
    anchored = [p[len(L) :] for p in patterns if p.startswith(L)]
    free = [p for p in patterns if not p.startswith(L)]
    parts = [r"\b(?:" + "|".join(anchored) + ")"] if anchored else []
    return re.compile("|".join(parts + free))


_LEXICON: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("obscene", _compile(_OBSCENE)),
    ("insult", _compile(_INSULT)),
    ("threat", _compile(_THREAT)),
    ("identity_attack", _compile(_IDENTITY)),
)
LEXICON_CATEGORIES = tuple(category for category, _ in _LEXICON)


def find_matches(text: str, normalized: Normalized | None = None) -> tuple[Match, ...]:
    """Every lexicon hit in text, as whole words of the original text, in order."""
    norm = normalized if normalized is not None else normalize(text)
    found: list[Match] = []
    for category, pattern in _LEXICON:
        last_end = -1
        for m in pattern.finditer(norm.text):
            start, end = _word_bounds(norm.text, m.start(), m.end())
            if start < last_end:  # the same word hit by two roots: report it once
                continue
            last_end = end
            o_start, o_end = norm.original_span(start, end)
            found.append(Match(category, text[o_start:o_end], o_start, o_end))
    return tuple(sorted(found, key=lambda x: (x.start, x.category)))


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the whole words it touches."""
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end
