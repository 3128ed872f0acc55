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
    L + r"бля[тд]",
    L + r"(?:блях|бла[тд]ь)" + R,  # not "бляха", "бляшка"; "бл@ть" is "блать" once normalised
    r"бляд",
    L + r"муд(?:а[кч]|ил|о[зхнл]|ень|л[оа])",
    r"залуп",
    L + r"пид[оа]?р",
    r"г[ао]ндон",
    r"шлюх",
    L + r"(?:на|по)?хер(?:н[яюие]|ов)?" + R,
    L + r"манд[аеуыо]" + R,
    L + r"(?:fuck|motherfuck|shit|bullshit|cunt|assholes?\b|bitch|whores?\b|sluts?\b)",
    L + r"(?:dick(?:head)?s?\b|pussy\b|cocksucker)",
    # Transliterated mat. Each is anchored so that "hue", "huge", "Huynh", "debut", "ebony",
    # "Nahum", "sukiyaki" and "Pisces" stay clean.
    L + r"(?:bl[yji]a(?:[dt]|\b)|p[iey]zd|suka\b|mud(?:ak|il|ozvon)|pid[oa]?r(?:as|\b))",
    L + r"(?:na|po|ni|za|o)?(?:h|x|kh)u(?:[yj]|ye|ya|ja|je)(?:n[yj]?[ao]|lo|ev|ov|e|a|u|i)?\b",
    L + r"(?:(?:na|po|ni|za|o)(?:h|x|kh)ui|(?:h|x|kh)ui(?:lo|n[yj]?[ao]))",
    L + r"(?:za|u|vy|na|pro|do|po|ot|s|pere|raz)?(?:y|j)?eb(?:at|al|an[auoyi]|ut|lan|nu|esh|et|ash|ok|ish)",
    L + r"(?:dolb[oa](?:y?o|e|jo)b|g[ao]ndon|zalup|shl[yj]?uh)",
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
    L + r"(?:idiots?\b|morons?\b|stupid\b|dumb(?:ass)?\b|retard|loser|imbecile|jerks?\b)",
)
_MODAL = r"(?:надо|нужно|пора|следует|стоит|необходимо|должны|должен|хочу|хочется|мечтаю|давно бы)"
_KILL_INFINITIVE = (
    r"(?:расстреливать|расстрелять|перестрелять|пристрелить|застрелить|повесить|вешать|перевешать|убить|убивать|"
    r"поубивать|перебить|зарезать|резать|прирезать|сжечь|сжигать|закопать|утопить|кастрировать|четвертовать|"
    r"истребить|истреблять|придушить|задушить|душить|мочить|замочить|гильотинировать|стерилизовать)"
)
_THREAT = (
    L + r"(?:убью|зарежу|пристрелю|застрелю|расстреляю|перестреляю|урою|закопаю|придушу|задушу)" + R,
    L
    + r"(?:убить|прибью|прибить|зарезать|расстрелять|перестрелять|повесить|вешать|сжечь)"
    + r" (?:тебя|вас|бы|всех|таких)"
    + R,
    L + r"(?:тебя|вас|таких) (?:убить|убью|прибью|закопаю|урою|зарежу)" + R,
    L + r"(?:убейся|убейтесь|сдохни|сдохните|сдохнешь|сдохнете)" + R,
    L + r"убей себя" + R,
    L + r"чтоб(?:ы)? (?:ты|вы|они|он|она) сдох",
    L + r"(?:башку|голову|ноги|руки) (?:оторву|снесу|проломлю|переломаю|сломаю|вырву)" + R,
    L + r"найду (?:тебя|вас)" + R,
    L + r"(?:i ?'?ll|i will|gonna|going to) (?:kill|murder|shoot|stab|hurt) (?:you|u|him|her|them)\b",
    L + r"(?:kill yourself\b|kys\b|you(?:'re| are) dead\b)",
    # A call to kill, with its context: a modal ("надо", "пора", "хочу") a few words before an
    # infinitive of killing ("Таких как ты надо расстреливать"). Reports of violence ("убийство
    # раскрыли", "стреляли в тире") have no such infinitive and stay clean.
    L + _MODAL + r"(?:\W+[^\W\d_]+){0,3}?\W+" + _KILL_INFINITIVE + R + r"(?!\W+(?:время|врем|вечер|скуку))",
    L + _KILL_INFINITIVE + r"\W+(?:бы\W+)?(?:тебя|вас|его|ее|их|всех|таких|этих|этого|эту|этих)" + R,
    L + r"(?:к стенке|к стенки|в расход|на фонар(?:ь|ях|е|ях бы))" + R,
    L + r"(?:тебе|вам) (?:конец|не жить|кранты|хана)" + R,
    L + r"(?:ты|вы) (?:еще |у меня )?(?:пожалеешь|пожалеете|ответишь|ответите|получишь|получите)" + R,
    L + r"(?:ходи|ходите) и оглядывайся",
    L + r"(?:should|must|need to|ought to) (?:be )?(?:shot|hanged|killed|executed|burned|lynched)\b",
    L + r"(?:i(?:'m| am) going to|i(?:'ll| will)) (?:find|get|hunt) you\b",
)
# Roots that people self-censor with symbols ("бл*ть", "п#здец", "f*ck"). Any letter but the first
# may be masked (normalize() turns the mask symbols into "*"); see _masked_pattern.
_MASKED_ROOTS = {
    "obscene": (
        "хуй",
        "хуя",
        "хуе",
        "хую",
        "хуи",
        "хуйн",
        "нахуй",
        "нахуя",
        "похуй",
        "нихуя",
        "охуе",
        "пизд",
        "пизда",
        "пиздец",
        "пиздеж",
        "пиздит",
        "пиздят",
        "спизд",
        "распизд",
        "бля",
        "блят",
        "бляд",
        "блядь",
        "блять",
        "ебат",
        "ебал",
        "ебан",
        "ебну",
        "ебут",
        "ебет",
        "ебуч",
        "ебло",
        "еблан",
        "ебись",
        "заеб",
        "уеб",
        "выеб",
        "наеб",
        "проеб",
        "съеб",
        "отъеб",
        "доеб",
        "поеб",
        "долбоеб",
        "мудак",
        "мудил",
        "пидор",
        "пидар",
        "пидорас",
        "гандон",
        "гондон",
        "залуп",
        "шлюх",
        "хер",
        "нахер",
        "fuck",
        "shit",
        "bitch",
        "cunt",
        "blyat",
        "pizd",
    ),
    "insult": (
        "сука",
        "суки",
        "сучка",
        "сучара",
        "дебил",
        "идиот",
        "урод",
        "мразь",
        "тварь",
        "ублюд",
        "дурак",
        "кретин",
        "ублюдок",
    ),
}


_ONE_VISIBLE = frozenset({"хуй", "бля"})  # "х**", "б**"; "у**" or "п***" could be anything


def _masked_pattern(roots: tuple[str, ...]) -> re.Pattern[str]:
    """Each root with any non-empty set of its letters but the first replaced by "*".

    A run of k masked letters is written with k to k+1 stars inside the root ("п**дец") and
    with exactly k or k+1 at its end ("х**" is "хуй", "х*" is nothing). At least two letters
    stay visible, except for "х**" and "б**". The word may go on after the
    root with letters or stars ("за*бали").
    """
    alternatives = set()
    for root in roots:
        n = len(root)
        for mask in range(1, 2 ** (n - 1)):
            hidden = [False] + [bool(mask >> i & 1) for i in range(n - 1)]
            visible = n - sum(hidden)
            if visible < (1 if root in _ONE_VISIBLE else 2):
                continue
            parts, i = [], 0
            while i < n:
                if not hidden[i]:
                    parts.append(re.escape(root[i]))
                    i += 1
                    continue
                j = i
                while j < n and hidden[j]:
                    j += 1
                k = j - i
                parts.append(rf"\*{{{max(1, k - 1) if j < n else k},{k + 1}}}")
                i = j
            alternatives.add("".join(parts))
    body = "|".join(sorted(alternatives, key=lambda a: (-len(a), a)))
    return re.compile(r"(?<![\w*])(?:" + body + r")[\w*]*")


_MASKED = {category: _masked_pattern(roots) for category, roots in _MASKED_ROOTS.items()}

_GROUP = (
    r"(?:приезж|мигрант|гастарбайтер|таджик|узбек|киргиз|кавказц|чеченц|дагестанц|цыган|евре|негр|черных|черные|"
    r"азиат|мусульман|гомосексуалист|геи|геев|армян|азербайджанц|украинц|хохл|русски|русских|татар|чурк|хач|жид)"
    r"[^\W\d_]*"
)
_AGAINST_GROUP = (
    r"(?:гнать|выгнать|выгонять|гоните|выгоните|гнать их|выслать|высылать|депортир[^\W\d_]*|вон из|убирайтесь|валите|"
    r"нелюд[^\W\d_]*|не люди|животны[ехм]|скот|скоты|паразит[^\W\d_]*|зверь[еёяи][^\W\d_]*|звери|"
    r"расплодил[^\W\d_]*|заполонил[^\W\d_]*|кишат|понаех[^\W\d_]*|истребить|уничтожить|резать|стерилизовать)"
)
_IDENTITY = (
    L + r"(?:хохл|хохол|хохлушк|жидов|жидяр|жидомас|черножоп|чернозад|нерусь|пиндос|пендос|кацап)",
    L + r"(?:жид|жиды|жидов|жидам|жидами|жидок|чурка|чурки|чурок|чуркам|хач|хачи|хачей|хачам)" + R,
    L + r"(?:москаль|москали|москалей|русня|укропы|укропов|укропам|зверьки|чучмек|чучмеки|негритос)" + R,
    L + r"(?:ниггер|нигер|нигеры|гомик|гомики|педик|педики|педрила|пидор|пидар|пидр)",
    L + r"(?:nigg(?:er|a)s?\b|faggots?\b|fags?\b|kikes?\b|chinks?\b|spics?\b|trann(?:y|ies)\b)",
    # "понаехали" (of migrants) is an attack on a group by itself.
    L + r"(?:понаех|понаеха)[^\W\d_]*",
    # A group named, and within a few words a call to drive it out or a word that dehumanises it.
    # A group named without them ("евреи, татары, русские — все вместе строили город") stays clean.
    L + _GROUP + r"(?:\W+[^\W\d_]+){0,5}?\W+" + _AGAINST_GROUP,
    L + _AGAINST_GROUP + r"(?:\W+[^\W\d_]+){0,4}?\W+" + _GROUP,
    L
    + r"(?:all|those|these|the) (?:muslims|jews|blacks|gays|immigrants|mexicans|arabs) (?:are|should)"
    + r" (?:animals|vermin|parasites|subhuman|scum|be (?:deported|killed|gassed|shot))\b",
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
    masked = "*" in norm.text
    for category, pattern in _LEXICON:
        spans = [_word_bounds(norm.text, m.start(), m.end()) for m in pattern.finditer(norm.text)]
        if masked and category in _MASKED:
            spans.extend(m.span() for m in _MASKED[category].finditer(norm.text))
            spans.sort()
        last_end = -1
        for start, end in spans:
            if start < last_end:  # the same word hit by two roots: report it once
                continue
            last_end = end
            o_start, o_end = norm.original_span(start, end)
            found.append(Match(category, text[o_start:o_end], o_start, o_end))
    return tuple(sorted(found, key=lambda x: (x.start, x.category)))


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the whole words it touches; a "*" inside a word ("еб*ть") is part of it."""
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "*"):
        start -= 1
    while end < len(text) and (text[end].isalpha() or text[end] == "*"):
        end += 1
    while text[start] == "*" and start < end - 1:  # "**бля**": a word starts with a letter
        start += 1
    return start, end
