"""Spam signals read from a comment's text alone: links, contacts, spam vocabulary and filter dodging.

Each signal is a log-odds contribution (weight) with its words for moderators (catalog phrases,
rendered in English for the API and in the moderator's language in the console and alerts). The weights are set
so that an ordinary comment with one link, a year, a price or a house number sums to under 1.0 and a
spam comment with a contact, a lure and an evasion sums to 3.0 or more; the tests measure both.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from moderation.scoring.normalize import normalize
from shared.i18n import N_
from shared.reasons import ENGLISH, Phrase, SpamSignalCode, phrase, plural_phrase, render


@dataclass(frozen=True)
class Signal:
    """One reason a comment looks like spam (weight > 0) or like a genuine comment (weight < 0)."""

    code: str
    weight: float
    phrases: tuple[Phrase, ...]
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The signal in English, as the API answers it."""
        return render(self.phrases, ENGLISH)


def signal(code: str, weight: float, *phrases: Phrase, details: dict[str, Any] | None = None) -> Signal:
    return Signal(code, weight, phrases, details or {})


# ---------------------------------------------------------------------------------------------
# Weights (log-odds). Links: a lone ordinary link is common in news comments, many links are not.
LINK_WEIGHTS = (0.0, 0.4, 0.9, 1.4)  # by number of links not on the allow list: 0, 1, 2, 3+
OBFUSCATED_LINK = 1.5  # "casino . ru", "kaz1no(точка)ru", "kаzinо.ru": nobody hides a genuine link
SHORTENER_LINK = 1.0  # bit.ly, clck.ru: the target is hidden
SPAMMY_DOMAIN = 1.0  # the domain's own name says casino, bet, loan...
CHEAP_TLD = 0.5  # .xyz, .top, .online: where throwaway spam sites live
MAX_LINKS = 3.0
BLOCKED_DOMAIN = 3.0
ALLOWED_DOMAIN = -0.5
PHONE = 2.0  # a mobile number: how spam wants to be called
LANDLINE = 0.8  # a city or 8-800 number is as often a hotline quoted by a reader
MESSENGER = 2.0  # a messenger link, or a messenger named next to a handle or a phone number
MESSENGER_CALL_ONLY = 1.0  # "пиши в телегу" without the contact itself
CAPS = 0.5
REPEATS = (0.4, 0.7)  # one run, two or more
MIXED_SCRIPT_BASE, MIXED_SCRIPT_PER_WORD, MAX_MIXED_SCRIPT = 0.3, 0.4, 1.5
ZERO_WIDTH = 1.5
SOFT_HYPHEN_ONLY = 0.5  # soft hyphens also come with text copied from web pages
SPACED_LETTERS = (1.0, 1.5)  # one spaced-out word, two or more
MAX_SPAM_WORDS = 3.0
# A form field hidden from people came back filled in (Akismet's honeypot_field_name): only a bot
# fills it, so alone it rejects.
HONEYPOT = signal("honeypot", 6.0, phrase("a form field hidden from readers was filled in, as bots do"))

CAPS_MIN_LETTERS = 20
CAPS_MIN_SHARE = 0.6

# ---------------------------------------------------------------------------------------------
# Text preparation shared by the link, phone and contact scanners.
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_ZW_RUN = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]+")
# Cyrillic letters that look like Latin ones, for domains and handles written with look-alikes.
_CYR_TO_LAT = str.maketrans("аеорсухкмтвніз", "aeopcyxkmtbhi3")
_LAT_TO_CYR = str.maketrans("aeopcyxkmt", "аеорсухкмт")
_LEET = str.maketrans("013457$@", "oieastsa")


def _prepare(text: str) -> str:
    """Lower-case without zero-width characters: what the link and phone scanners read."""
    return _ZERO_WIDTH.sub("", text).lower()


# ---------------------------------------------------------------------------------------------
# Links and domains.
_LATIN_TLDS = frozenset(
    [
        "ru",
        "su",
        "com",
        "net",
        "org",
        "info",
        "biz",
        "me",
        "io",
        "co",
        "cc",
        "xyz",
        "top",
        "site",
        "online",
        "club",
        "pro",
        "shop",
        "store",
        "bet",
        "casino",
        "win",
        "vip",
        "live",
        "fun",
        "space",
        "ws",
        "ly",
        "gl",
        "gg",
        "link",
        "click",
        "us",
        "uk",
        "de",
        "ua",
        "by",
        "kz",
        "tv",
        "app",
        "dev",
        "ai",
        "to",
        "eu",
        "am",
        "ge",
        "uz",
        "kg",
        "md",
        "lv",
        "lt",
        "ee",
        "pl",
        "cz",
        "name",
        "mobi",
        "tech",
        "money",
        "loan",
        "cash",
        "bid",
        "icu",
        "cyou",
        "sbs",
        "buzz",
        "best",
        "today",
        "ltd",
        "world",
        "website",
        "work",
        "fit",
        "host",
        "press",
        "news",
        "blog",
        "page",
        "one",
        "run",
        "games",
        "poker",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
    ]
)
_CYRILLIC_TLDS = frozenset({"рф", "рус"})
# A spaced or bracketed dot ("casino . ru") before one of these is a link; before "me" or "in" it is
# just as likely the end of an English sentence.
_OBFUSCATION_TLDS = frozenset(
    [
        "ru",
        "рф",
        "su",
        "com",
        "net",
        "org",
        "info",
        "biz",
        "xyz",
        "top",
        "site",
        "online",
        "club",
        "pro",
        "bet",
        "casino",
        "vip",
        "io",
        "cc",
        "ws",
        "win",
        "fun",
        "icu",
        "shop",
        "store",
        "live",
        "space",
        "click",
        "link",
    ]
)
_SPELLED_TLDS = {"ру": "ru", "ком": "com"}  # only after "(точка)" and friends
_MESSENGER_DOMAINS = frozenset(
    ["t.me", "telegram.me", "telegram.dog", "wa.me", "whatsapp.com", "vk.me", "viber.com", "viber.click"]
)
_SHORTENERS = frozenset(
    [
        "bit.ly",
        "clck.ru",
        "goo.gl",
        "tinyurl.com",
        "cutt.ly",
        "is.gd",
        "vk.cc",
        "u.to",
        "rb.gy",
        "t.co",
        "ow.ly",
        "v.gd",
    ]
)
_KNOWN_DOMAINS = _MESSENGER_DOMAINS | _SHORTENERS
_CHEAP_TLDS = frozenset(
    [
        "xyz",
        "top",
        "site",
        "online",
        "club",
        "bet",
        "casino",
        "win",
        "vip",
        "icu",
        "cyou",
        "sbs",
        "buzz",
        "click",
        "link",
        "fun",
        "space",
        "live",
        "loan",
        "cash",
        "money",
        "bid",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "best",
        "today",
        "work",
    ]
)
_SECOND_LEVEL = frozenset(
    [
        "com.ru",
        "net.ru",
        "org.ru",
        "pp.ru",
        "msk.ru",
        "spb.ru",
        "gov.ru",
        "edu.ru",
        "msk.su",
        "co.uk",
        "org.uk",
        "com.ua",
        "kiev.ua",
        "com.kz",
        "com.by",
        "co.il",
        "com.tr",
        "com.br",
        "com.au",
    ]
)
_SPAMMY_DOMAIN = re.compile(
    r"casino|kazino|kasino|azino|vulkan|slot|poker|^\d*x?bet|bet(?:s|ting)?\d*$|zaim|kredit|credit|loan|crypt|"
    r"bitcoin|invest|earn|zarabot|dengi|money|cash|porn|xxx|sex|intim|escort"
)

_LABEL = r"[a-z0-9а-яё](?:[a-z0-9а-яё\-]{0,61}[a-z0-9а-яё])?"
_PLAIN_DOT = r"\."
_HIDDEN_DOT = r"\s*[(\[{<]\s*(?:\.|точка|тчк|dot)\s*[)\]}>]\s*|\s+(?:точка|тчк|dot)\s+"
_SPACED_DOT = r"\s+\.\s*"  # a space before the dot: "casino . ru"; "конец. ru" is a sentence end
_SEP = f"(?:{_PLAIN_DOT}|{_HIDDEN_DOT}|{_SPACED_DOT})"
_HOST = re.compile(rf"(?<![\w@.\-])(?P<scheme>(?:https?|hxxps?)://)?(?P<host>{_LABEL}(?:{_SEP}{_LABEL})+)(?![\w\-])")
# What every link has; most comments have none of it and skip the link scan.
_MAY_LINK = re.compile(r"[^\W_]\.[^\W_]|\s\.|[(\[{<]\s*\.|точк|тчк|dot|://")
_SEP_SPLIT = re.compile(f"({_SEP})")
_HIDDEN_SEP = re.compile(f"^(?:{_HIDDEN_DOT})$")
_SPACED_SEP = re.compile(f"^(?:{_SPACED_DOT})$")
_CYRILLIC = re.compile("[а-яё]")
_LATIN = re.compile("[a-z]")
_MAX_LABELS = 6


@dataclass(frozen=True)
class _Link:
    """One link found in a text."""

    host: str  # every label: "www.news.pskov.ru"
    domain: str  # registrable-ish: "pskov.ru"
    obfuscated: bool  # spaced or bracketed dots, "точка", look-alike letters


def _registrable(labels: list[str]) -> str:
    """The last two labels, or three under a known second-level suffix ("site.com.ru")."""
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _parse_host(raw: str, has_scheme: bool) -> _Link | None:
    """Validate a dotted chain; the longest valid piece wins ("kazino.ru.там", "новости.pskov.ru")."""
    parts = _SEP_SPLIT.split(raw)
    labels, seps = parts[0::2], parts[1::2]
    for end in range(len(labels), 1, -1):
        if not (has_scheme or _could_be_tld(labels[end - 1])):
            continue
        for start in range(max(0, end - _MAX_LABELS), end - 1):  # bounded: "a.a.a...." costs no more than a link
            link = _parse_labels(labels[start:end], seps[start : end - 1], has_scheme and start == 0)
            if link is not None:
                return link
    return None


def _could_be_tld(label: str) -> bool:
    return label in _CYRILLIC_TLDS or label in _SPELLED_TLDS or label.translate(_CYR_TO_LAT) in _LATIN_TLDS


def _parse_labels(labels: list[str], seps: list[str], has_scheme: bool) -> _Link | None:
    """A _Link if these labels, joined by these separators, make a plausible domain."""
    hidden = any(_HIDDEN_SEP.match(s) for s in seps)
    spaced = any(_SPACED_SEP.match(s) for s in seps)
    tld = labels[-1]
    if hidden and tld in _SPELLED_TLDS:
        tld = _SPELLED_TLDS[tld]
    cyrillic_tld = tld in _CYRILLIC_TLDS
    if not cyrillic_tld:
        tld = tld.translate(_CYR_TO_LAT)
        if not (has_scheme or tld in _LATIN_TLDS):
            return None
    names = [label.translate(_LAT_TO_CYR if cyrillic_tld else _CYR_TO_LAT) for label in labels[:-1]]
    foreign = _LATIN if cyrillic_tld else _CYRILLIC  # "новости.ru": a Russian word is no Latin domain
    if any(foreign.search(name) for name in names):
        return None
    if not cyrillic_tld and not has_scheme and not any(_LATIN.search(label) for label in labels):
        return None  # "пук.хрю.уа.сом", "странно.То": Russian words that happen to look Latin
    full = ".".join([*names, tld])
    if hidden or spaced:
        if not (tld in _OBFUSCATION_TLDS or full in _KNOWN_DOMAINS):
            return None
        if not any(ch.isalpha() for ch in "".join(names)):
            return None  # "в 2024 . com" is a typo, not a link
    lookalike = names != labels[:-1] or tld != labels[-1]
    parts = full.split(".")
    while len(parts) > 2 and parts[0] in ("www", "m"):
        parts = parts[1:]
    return _Link(full, _registrable(parts), hidden or spaced or lookalike)


def _find_links(prepared: str) -> list[_Link]:
    """Every link in a prepared text, in order."""
    if not _MAY_LINK.search(prepared):
        return []
    links = []
    for m in _HOST.finditer(prepared):
        link = _parse_host(m.group("host"), m.group("scheme") is not None)
        if link is not None:
            links.append(link)
    return links


def extract_domains(text: str) -> list[str]:
    """Normalised registrable-ish domains of every link, obfuscated ones included, in order, duplicates kept."""
    return [link.domain for link in _find_links(_prepare(text))]


def _on_list(link: _Link, rules: frozenset[str]) -> str | None:
    """The rule entry this link falls under (the domain itself or a parent of its host), if any."""
    if link.domain in rules:
        return link.domain
    labels = link.host.split(".")
    for i in range(len(labels) - 1):
        suffix = ".".join(labels[i:])
        if suffix in rules:
            return suffix
    return None


def _domain_list(domains: Iterable[str]) -> str:
    """Distinct domains in order of appearance, for a message."""
    return ", ".join(dict.fromkeys(domains))


def _link_signals(links: list[_Link], allowed: frozenset[str], blocked: frozenset[str]) -> list[Signal]:
    """links, blocked_domain and allowed_domain; the rules are normalised as stored (shared.domains)."""
    if not links:
        return []
    signals = []
    hits = [(link, rule) for link in links if (rule := _on_list(link, blocked))]
    if hits:
        rules = list(dict.fromkeys(rule for _, rule in hits))
        signals.append(
            signal(
                "blocked_domain",
                BLOCKED_DOMAIN,
                phrase("link to a blocked domain: %(domains)s", domains=", ".join(rules)),
                details={"domains": rules, "count": len(hits)},
            )
        )
    good = [link for link in links if _on_list(link, allowed) and not _on_list(link, blocked)]
    other = [link for link in links if not _on_list(link, allowed)]
    if other:
        signals.append(_links_signal(other))
    if good:
        domains = list(dict.fromkeys(link.domain for link in good))
        signals.append(
            signal(
                "allowed_domain",
                ALLOWED_DOMAIN,
                phrase("link to an allowed domain: %(domains)s", domains=", ".join(domains)),
                details={"domains": domains, "count": len(good)},
            )
        )
    return signals


def _links_signal(links: list[_Link]) -> Signal:
    """How many links to how many domains, and what makes them worse: hidden, shortened, a spammy name."""
    domains = list(dict.fromkeys(link.domain for link in links))
    hidden = [link.domain for link in links if link.obfuscated]
    shorteners = [d for d in domains if d in _SHORTENERS]
    spammy = [d for d in domains if any(_SPAMMY_DOMAIN.search(label) for label in d.translate(_LEET).split(".")[:-1])]
    cheap = [d for d in domains if d.rpartition(".")[2] in _CHEAP_TLDS]
    weight = LINK_WEIGHTS[min(len(links), len(LINK_WEIGHTS) - 1)]
    weight += OBFUSCATED_LINK * bool(hidden) + SHORTENER_LINK * bool(shorteners) + SPAMMY_DOMAIN * bool(spammy)
    weight += CHEAP_TLD * bool(cheap)
    words = [
        plural_phrase("%(count)d link", "%(count)d links", number="count", count=len(links)),
        plural_phrase(
            " to %(count)d domain: %(domains)s",
            " to %(count)d domains: %(domains)s",
            number="count",
            count=len(domains),
            domains=", ".join(domains),
            glue="",
        ),
    ]
    if hidden:
        words.append(phrase("disguised: %(domains)s", domains=_domain_list(hidden)))
    if shorteners:
        words.append(phrase("shortener: %(domains)s", domains=", ".join(shorteners)))
    if spammy:
        words.append(phrase("spammy name: %(domains)s", domains=", ".join(spammy)))
    if cheap:
        words.append(phrase("throwaway TLD: %(domains)s", domains=", ".join(cheap)))
    details = {
        "count": len(links),
        "domains": domains,
        "obfuscated": list(dict.fromkeys(hidden)),
        "shorteners": shorteners,
        "spammy": spammy,
        "cheap_tld": cheap,
    }
    return signal("links", round(min(weight, MAX_LINKS), 2), *words, details=details)


# ---------------------------------------------------------------------------------------------
# Phone numbers: +7 / 8 and ten digits, any grouping, letters standing in for digits ("8 9О0 ...").
_DIGIT_LOOKALIKES = "оoзlibч"
_TO_DIGITS = str.maketrans("оoзlibч", "0031164")
_D = f"[0-9{_DIGIT_LOOKALIKES}]"
_PHONE_RUN = re.compile(rf"(?<![\w+])\+?\s?\(?[0-9]{_D}*(?:(?:[\s.\-]{{1,2}}|\s?[()]\s?|\)\s?-){_D}+)*(?!\w)")
_PHONE_TOKEN = re.compile(rf"{_D}+")
_DATE = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_ANY_DIGIT = re.compile(r"\d")
_AREA_START = frozenset("3489")  # Russian area and mobile codes start with 3, 4, 8 or 9


def _phone_in(tokens: list[str], plus: bool) -> str | None:
    """The first run of whole tokens that spells a Russian number, as +7XXXXXXXXXX."""
    for i in range(len(tokens)):
        digits = ""
        for token in tokens[i:]:
            digits += token
            if len(digits) == 11 and digits[0] in ("7" if plus and i == 0 else "78") and digits[1] in _AREA_START:
                return "+7" + digits[1:]
            if len(digits) == 10 and digits[0] == "9" and not (plus and i == 0):
                return "+7" + digits
            if len(digits) >= 11:
                break
    return None


def _find_phones(prepared: str) -> list[str]:
    """Russian phone numbers in a prepared text, as +7XXXXXXXXXX, in order."""
    if len(_ANY_DIGIT.findall(prepared)) < 7:
        return []
    phones = []
    for m in _PHONE_RUN.finditer(_DATE.sub(" | ", prepared)):
        segment: list[str] = []
        segments = [segment]
        for token in _PHONE_TOKEN.findall(m.group()):
            if any(ch.isdigit() for ch in token):  # "о" alone is a preposition, not a zero
                segment.append(token.translate(_TO_DIGITS))
            else:
                segment = []
                segments.append(segment)
        plus = m.group().lstrip().startswith("+")
        for i, tokens in enumerate(segments):
            phone = _phone_in(tokens, plus and i == 0)
            if phone:
                phones.append(phone)
    return phones


def _pretty_phone(phone: str) -> str:
    return f"{phone[:2]} {phone[2:5]} {phone[5:8]}-{phone[8:10]}-{phone[10:]}"


def _phone_signal(phones: list[str]) -> Signal | None:
    if not phones:
        return None
    shown = ", ".join(_pretty_phone(p) for p in dict.fromkeys(phones))
    weight = PHONE if any(p[2] == "9" for p in phones) else LANDLINE
    details = {"count": len(phones), "numbers": list(dict.fromkeys(phones))}
    words = plural_phrase(
        "%(count)d phone number: %(numbers)s",
        "%(count)d phone numbers: %(numbers)s",
        number="count",
        count=len(phones),
        numbers=shown,
    )
    return signal("phone", weight, words, details=details)


# ---------------------------------------------------------------------------------------------
# Messenger contacts. A bare @handle is how readers answer each other, so it needs a messenger or a
# "write to me" next to it; a messenger named in passing ("читал в телеграме") needs a contact.
_HANDLE_CANDIDATE = re.compile(r"(?<![\w@.])@(\w{4,32})(?![\w@])")
_HANDLE_CHARS = re.compile(r"[a-z0-9_]+")
_EMAIL = re.compile(r"(?<![\w.+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?![\w\-])")
_MESSENGER_WORD = re.compile(
    r"\b(?:телег[аиуеой]\w*|телеграм\w*|тг|тгк|tg|telegram|ватсап\w*|вацап\w*|вотсап\w*|вотсапп\w*|ватсапп\w*|"
    r"whats ?app|вайбер\w*|viber|вибер\w*|личк[аиуе]|лс|личн\w+ сообщени\w*)\b"
)
_CALL = re.compile(
    r"\b(?:пиши(?:те)?|напиши(?:те)?|звони(?:те)?|позвони(?:те)?|обращайтесь|стучи(?:те)?|добавляй(?:ся|тесь)?)\b"
)


def _handles(prepared: str) -> list[str]:
    """Latin @handles; Cyrillic look-alikes inside one are undone, a Cyrillic name ("@Рома") is a reply."""
    found = []
    for m in _HANDLE_CANDIDATE.finditer(prepared):
        name = m.group(1)
        if _LATIN.search(name):
            latin = name.translate(_CYR_TO_LAT)
            if _HANDLE_CHARS.fullmatch(latin) and _LATIN.search(latin):
                found.append(latin)
    return found


def _messenger_signal(prepared: str, normal: str, links: list[_Link], phones: list[str]) -> Signal | None:
    """A way to reach the spammer outside the site: messenger links, or a messenger with a contact."""
    messenger_links = list(dict.fromkeys(link.host for link in links if link.domain in _MESSENGER_DOMAINS))
    if messenger_links:
        linked = phrase("messenger link: %(links)s", links=", ".join(messenger_links))
        return signal("messenger", MESSENGER, linked, details={"links": messenger_links})
    contacts: list[str] = []
    if "@" in prepared:
        contacts = [f"@{h}" for h in dict.fromkeys(_handles(prepared))] + list(dict.fromkeys(_EMAIL.findall(prepared)))
    words = list(dict.fromkeys(m.group() for m in _MESSENGER_WORD.finditer(normal)))
    if not (words or contacts):
        return None
    calls = list(dict.fromkeys(m.group() for m in _CALL.finditer(normal)))
    details = {"words": words, "calls": calls, "contacts": contacts, "phones": len(phones)}
    if (words or calls) and contacts:
        said = ", ".join((words or calls)[:3])
        contact = phrase('contact %(contacts)s next to "%(said)s"', contacts=", ".join(contacts[:3]), said=said)
        return signal("messenger", MESSENGER, contact, details=details)
    if words and phones:
        number = phrase('phone number next to "%(said)s"', said=", ".join(words[:3]))
        return signal("messenger", MESSENGER, number, details=details)
    if words and calls:
        asks = phrase('asks to write in a messenger: "%(call)s ... %(word)s"', call=calls[0], word=words[0])
        return signal("messenger", MESSENGER_CALL_ONLY, asks, details=details)
    return None


# ---------------------------------------------------------------------------------------------
# Shouting, stretched characters, mixed alphabets, hidden characters, spaced-out words.
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZА-ЯЁ]")
# Five or more of one letter, "!", "?" or currency sign; dots draw ellipses, emoji rows are enthusiasm.
_REPEAT = re.compile(r"([^\W\d_]|[!?$€₽])\1{4,}")
_WORD = re.compile(r"[^\W_]+")
_SPACED = re.compile(r"(?<![^\W_])([^\W_])(?P<sep>[ .\-_*|/\\~+]{1,3})[^\W_](?:(?P=sep)[^\W_]){3,}(?![^\W_])")
_ONE_LETTER_WORDS = frozenset("иавяукосж")


def _caps_signal(text: str) -> Signal | None:
    upper = len(_UPPER.findall(text))
    if upper < CAPS_MIN_LETTERS * CAPS_MIN_SHARE:
        return None
    letters = len(_LETTER.findall(text))
    if letters < CAPS_MIN_LETTERS:
        return None
    share = upper / letters
    if share < CAPS_MIN_SHARE:
        return None
    details = {"share": round(share, 2), "letters": letters}
    words = plural_phrase(
        "%(percent)d%% of %(letters)d letter in capitals",
        "%(percent)d%% of %(letters)d letters in capitals",
        number="letters",
        percent=round(share * 100),
        letters=letters,
    )
    return signal("caps", CAPS, words, details=details)


def _repeats_signal(text: str) -> Signal | None:
    runs = [m.group() for m in _REPEAT.finditer(text)]
    if not runs:
        return None
    weight = REPEATS[min(len(runs), len(REPEATS)) - 1]
    shown = ", ".join(f'"{r[:10]}"' for r in runs[:3])
    words = plural_phrase(
        "%(count)d run of one character: %(runs)s",
        "%(count)d runs of one character: %(runs)s",
        number="count",
        count=len(runs),
        runs=shown,
    )
    return signal("repeats", weight, words, details={"count": len(runs), "runs": runs[:5]})


def _mixed_script_signal(prepared: str) -> Signal | None:
    if not (_LATIN.search(prepared) and _CYRILLIC.search(prepared)):
        return None
    words = [w for w in _WORD.findall(prepared) if _LATIN.search(w) and _CYRILLIC.search(w)]
    if not words:
        return None
    weight = min(MIXED_SCRIPT_BASE + MIXED_SCRIPT_PER_WORD * len(words), MAX_MIXED_SCRIPT)
    mixes = plural_phrase(
        "%(count)d word mixes Latin and Cyrillic letters: %(words)s",
        "%(count)d words mix Latin and Cyrillic letters: %(words)s",
        number="count",
        count=len(words),
        words=", ".join(words[:5]),
    )
    return signal("mixed_script", round(weight, 2), mixes, details={"count": len(words), "words": words[:10]})


def _touches_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


def _zero_width_signal(text: str) -> Signal | None:
    if not _ZERO_WIDTH.search(text):
        return None
    text = text.strip("\ufeff")
    # Only next to a letter or digit: a zero-width joiner between emoji is how families of emoji are written.
    found = "".join(m.group() for m in _ZW_RUN.finditer(text) if _touches_word(text, m.start(), m.end()))
    if not found:
        return None
    soft = found.count("\u00ad")
    hidden = len(found) - soft
    weight = ZERO_WIDTH if hidden else SOFT_HYPHEN_ONLY
    if hidden:
        words = plural_phrase(
            "%(count)d zero-width character inside words",
            "%(count)d zero-width characters inside words",
            number="count",
            count=hidden,
        )
    else:
        words = plural_phrase(
            "%(count)d soft-hyphen character inside words",
            "%(count)d soft-hyphen characters inside words",
            number="count",
            count=soft,
        )
    return signal("zero_width", weight, words, details={"zero_width": hidden, "soft_hyphens": soft})


def _spaced_letters_signal(prepared: str) -> Signal | None:
    words = []
    for m in _SPACED.finditer(prepared):
        chars = _WORD.findall(m.group())
        letters = [c for c in chars if c.isalpha()]
        if len(letters) >= 4 and not set(chars) <= _ONE_LETTER_WORDS:
            words.append("".join(chars))
    if not words:
        return None
    weight = SPACED_LETTERS[min(len(words), len(SPACED_LETTERS)) - 1]
    spaced = plural_phrase(
        "%(count)d spaced-out word: %(words)s",
        "%(count)d spaced-out words: %(words)s",
        number="count",
        count=len(words),
        words=", ".join(words[:5]),
    )
    return signal("spaced_letters", weight, spaced, details={"count": len(words), "words": words[:10]})


# ---------------------------------------------------------------------------------------------
# Spam vocabulary, matched on the normalised text (look-alikes undone, spaced letters glued).
def _latin(root: str) -> str:
    """A Latin root that also matches Cyrillic look-alikes and digits in its letters ("kаzinо", "kaz1no")."""
    classes = {
        "a": "aа@4",
        "c": "cс",
        "e": "eе3",
        "i": "iі1l!",
        "k": "kк",
        "o": "oо0",
        "p": "pр",
        "s": "s$5",
        "t": "tт",
        "x": "xх",
        "y": "yу",
        "z": "z3з",
        "b": "bв6",
    }
    return "".join(f"[{re.escape(classes[ch])}]" if ch in classes else re.escape(ch) for ch in root)


_E = r"(?![^\W\d_])"  # end of a word


@dataclass(frozen=True)
class _Phrase:
    """A spam phrase: its weight, the word stems (first 2-4 letters) it needs, its regex."""

    name: str
    weight: float
    stems: tuple[str, ...]
    pattern: re.Pattern[str]
    word_start: bool = True  # the match must begin a word ("ставки", not "подставки")
    instead_of: str = ""  # a more general phrase this one replaces when both match


def _phrase(
    name: str, weight: float, stems: str, pattern: str, word_start: bool = True, instead_of: str = ""
) -> _Phrase:
    return _Phrase(name, weight, tuple(stems.split()), re.compile(pattern), word_start, instead_of)


_SPAM_PHRASES: tuple[_Phrase, ...] = (
    _phrase(
        "казино",
        1.5,
        "кази вулк",
        rf"казино|{_latin('casino')}|{_latin('kazino')}|(?<![^\W\d_])(?:азино|{_latin('azino')})"
        r"|вулкан\w* (?:казино|клуб)",
        False,
    ),
    _phrase(
        "ставки на спорт", 1.5, "став", r"ставк\w* на (?:спорт|матч|футбол|хоккей|киберспорт)", instead_of="ставки"
    ),
    _phrase("ставки", 0.3, "став", r"ставк\w*"),
    _phrase("букмекер", 1.5, "букм бетт фонб бк", rf"букмекер\w*|беттинг|{_latin('1xbet')}|фонбет|бк{_E}"),
    _phrase("слоты", 0.8, "слот фрис free джек", rf"слот(?:ы|ов|ах|ами){_E}|фриспин\w*|free ?spins?|джекпот\w*"),
    _phrase("промокод", 0.8, "пром бону", r"промо ?код\w*|бонус\w* (?:за|при) регистраци"),
    _phrase(
        "заработок от",
        1.2,
        "зара",
        r"(?:заработ|зарабатыва)\w* (?:(?:от|до) \d|в интернете|онлайн|на дому|не выходя"
        r"|на (?:крипт|ставк|бирж|казино|слот)\w*)",
        instead_of="заработок",
    ),
    _phrase(
        "заработок",
        0.6,
        "зара",
        rf"(?:заработ(?:ок|ка|ку|ком|ать|аешь|аете|ай|айте|ают)|зарабатыва(?:ть|ю|ем|ете|ешь|йте|ют|ет)){_E}",
    ),
    _phrase(
        "схема заработка",
        0.8,
        "спос схем сист",
        r"(?:способ\w*|схем\w*|систем\w*) (?:заработ|зарабатыва|быстр\w* заработ)\w*",
    ),
    _phrase("мама в декрете", 0.8, "декр", r"(?:мам\w*|девушк\w*) в декрете", False),
    _phrase("процент в месяц", 0.8, "", r"(?<!\d)\d+ ?% (?:в|за) (?:месяц|неделю|день|сутки)", False),
    _phrase(
        "деньги в день",
        0.8,
        "",
        r"(?:от|до) \d[\d\s]*(?:р|руб\w*|₽|\$|тыс\w*|к|т\.р\.?)?\s*(?:в|за) (?:день|сутки|неделю)",
    ),
    _phrase("пассивный доход", 1.5, "пасс дохо", r"пассивн\w* доход\w*|доход без вложени\w*"),
    _phrase("без вложений", 1.2, "влож", r"без (?:вложений|опыта и вложений|первоначальн\w* взнос\w* и)", False),
    _phrase(
        "крипта",
        0.8,
        "крип битк bitc usdt",
        rf"крипт(?:а|у|ой|е|овалют\w*|обирж\w*){_E}|{_latin('crypto')}|биткоин\w*|bitcoin|usdt",
    ),
    _phrase(
        "инвестиции с",
        1.0,
        "инве гара",
        r"инвест\w* (?:с нуля|с минимальн\w*|с гарант\w*|от \d|с доходност\w*)|гарантированн\w* доход",
    ),
    _phrase(
        "займ без",
        1.5,
        "займ заем заём кред микр ссуд",
        r"(?:займ|заем|заём|кредит|микрозайм|ссуд)\w* без "
        r"(?:отказ\w*|справок|проверк\w*|поручител\w*|кредитной истории|залога)",
        instead_of="займ",
    ),
    _phrase("займ", 0.5, "займ микр", rf"(?:займ\w*|микрозайм\w*|микрокредит\w*){_E}"),
    _phrase("бесплатно", 0.3, "бесп", r"бесплатн\w*"),
    _phrase("жми", 0.8, "жми жмит клик тыка", rf"(?:жми|жмите|кликай|кликайте|тыкай){_E}"),
    _phrase("переходи", 0.6, "пере", rf"переходи(?:те)?{_E}"),
    _phrase(
        "ссылка в профиле",
        1.5,
        "ссыл подр инфа инфо инфу",
        r"(?:ссылк\w*|подробн\w*|инф[аоу]\w*) (?:в|у меня в) (?:профил\w*|био|шапке|описании)",
    ),
    _phrase("интим", 1.0, "инти эско досу", r"интим\w*|эскорт\w*|досуг для"),
    _phrase(
        "удалённая работа",
        0.6,
        "удал рабо подр",
        r"удал[её]нн\w* работ\w*|работ\w* на дому|подработк\w* (?:на дому|онлайн|в интернете)",
    ),
)
# A regex over the whole text for every phrase at once costs more than all other signals together;
# instead each word's first letters say which phrases are worth a search.
_SPAM_BY_STEM: dict[str, set[int]] = {}
for _i, _p in enumerate(_SPAM_PHRASES):
    for _stem in _p.stems:
        _SPAM_BY_STEM.setdefault(_stem, set()).add(_i)
_NEEDS_DIGIT = {i for i, p in enumerate(_SPAM_PHRASES) if not p.stems}  # "от 5000 в день"
_BY_NAME = {p.name: i for i, p in enumerate(_SPAM_PHRASES)}
# Look-alike spellings ("kаzinо", "kaz1no") are found in a copy folded to Latin letters.
_FOLD = str.maketrans("асекморухтвз013457$@", "acekmopyxtb3oieastsa")
_FOLDED_STEMS = {
    "casino": "казино",
    "kazino": "казино",
    "kasino": "казино",
    "azino": "казино",
    "xbet": "букмекер",
    "crypto": "крипта",
}


def _spam_candidates(normal: str) -> list[_Phrase]:
    """The phrases worth a regex search in this text, in table order."""
    found: set[int] = set()
    get = _SPAM_BY_STEM.get
    for word in _WORD.findall(normal):
        hit = get(word[:4])  # stems are 4 letters, or whole short words ("бк", "жми")
        if hit:
            found |= hit
    if "азино" in normal:
        found.add(_BY_NAME["казино"])
    if _LATIN.search(normal):
        folded = normal.translate(_FOLD)
        found.update(_BY_NAME[name] for stem, name in _FOLDED_STEMS.items() if stem in folded)
    if _ANY_DIGIT.search(normal):
        found |= _NEEDS_DIGIT
    return [_SPAM_PHRASES[i] for i in sorted(found)]


def _matches(phrase: _Phrase, normal: str) -> bool:
    for m in phrase.pattern.finditer(normal):
        # A word-start check here, not a lookbehind in the regex, keeps the search fast.
        if not phrase.word_start or m.start() == 0 or not normal[m.start() - 1].isalpha():
            return True
    return False


def _spam_words_signal(normal: str) -> Signal | None:
    hits = [p for p in _spam_candidates(normal) if _matches(p, normal)]
    replaced = {p.instead_of for p in hits}
    hits = [p for p in hits if p.name not in replaced]
    if not hits:
        return None
    words = [p.name for p in hits]
    weight = min(sum(p.weight for p in hits), MAX_SPAM_WORDS)
    found = plural_phrase(
        "%(count)d spam phrase: %(words)s",
        "%(count)d spam phrases: %(words)s",
        number="count",
        count=len(words),
        words=", ".join(words),
    )
    return signal("spam_words", round(weight, 2), found, details={"count": len(words), "words": words})


# ---------------------------------------------------------------------------------------------
# What real chat spam has instead of links (tg-spam's samples, ru_spam_dev.csv): a job offer or
# easy money, "write me in DM", a handle, emoji and capitals, contacts spelled out to dodge filters.
# Matched on the normalised text: "зaрaбoткa" with Latin look-alikes reads as "заработка".
JOB_OFFER_PER_PHRASE, MAX_JOB_OFFER = 1.0, 2.5
WRITE_ME, WRITE_ME_WITH_MONEY = 0.8, 2.0  # "пишите в личку" alone is a neighbour's offer; with money, a scam
HANDLE_BOT, HANDLE_WITH_MONEY = 1.0, 0.8
INVITE_LINK = 1.0  # on top of the messenger link: a private group invitation, t.me/+...
EMOJI = (0.5, 1.0)  # 3+ emoji at one per 10 words or more; 6+ at one per 5 words
CAPS_WORDS = 0.5
OBFUSCATED_CONTACT = 1.5

_JOB_OFFER: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            N_("recruiting"),
            r"\b(?:набира(?:ю|ем)|набор|ищу|ищем|приглаша(?:ю|ем)|требу(?:ю|е)тся|нужны)\b[^.!?\n]{0,30}?"
            r"\b(?:люд\w*|человек\w*|партн[её]р\w*|сотрудник\w*|команд\w*|курьер\w*|помощник\w*|ребят\w*|девуш\w*)",
        ),
        (
            N_("pay per day"),
            r"\b(?:оплат\w*|выплат\w*|доход\w*|заработ\w*|получа\w*|выходит|платим|плачу)\b[^.!?\n]{0,25}?"
            r"(?:ежедневн\w*|каждый день|(?:в|за) (?:день|сутки|неделю|час))"
            r"|(?<!\d)\d[\d\s.,]{0,12}(?:к|тыс\w*|т\.р|р|руб\w*|₽|\$|💵|usd|долл\w*)\W{0,3}\s?(?:в|за) (?:день|сутки|неделю)"
            r"|\b(?:выходит|доход\w*|заработ\w*)\s(?:от\s|до\s)?\d[\d\s.,]{0,12}(?:к|тыс\w*|т\.р|руб\w*|₽|\$|💵|usd|долл\w*)",
        ),
        (N_("income"), r"\b(?:стабильн\w*|дополнительн\w*|пассивн\w*|хорош\w*) (?:доход\w*|заработ\w*)"),
        (N_("no experience"), r"\bопыт\w* (?:не (?:нужен|важен|обязателен|требуется)|работы не)|\bбез опыта\b"),
        (
            N_("a few hours a day"),
            r"\b(?:пар[ауы]|несколько|\d(?:-\d)?|1-2|2-3) час\w* (?:в день|свободного времени|в сутки)",
        ),
        (
            N_("side job"),
            r"\bсовмещ\w* с (?:основн\w*|учеб\w*|работ\w*)|\bудал[её]нн\w* (?:заработ|доход|формат|работ)\w*",
        ),
        (N_("adults only"), r"(?<!\d)18\s?\+|\bот 18 лет\b|\bстрого 18\b"),
        (N_("free training"), r"\b(?:бесплатн\w* обучени\w*|обучени\w* бесплатн\w*|обуча\w* с нуля)"),
        (N_("digital assets"), r"\bцифров\w* (?:актив\w*|валют\w*)|\bтрейдинг\w*|\bарбитраж\w*|\bp2p\b"),
    )
)
_WRITE_ME = re.compile(
    r"\b(?:в|мне в|по) (?:лс|личк[уеи]|личн\w* сообщени\w*|директ|direct|dm|пм|pm)\b"
    r"|\b(?:пиш\w*|напиш\w*|ставь\w*|став\w*|отправ\w*|кида\w*|жду)\s?(?:мне\s)?(?:\+|плюс\w*)(?!\d)"
    r"|\+ (?:в|мне) (?:лс|личк\w*)"
)
_INVITE = re.compile(r"(?:t\.me|telegram\.me)/(?:\+|joinchat/)[\w\-]+")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b06\u2194-\u21aa\u23e9-\u23fa\u2705\u274c]")
_CAPS_WORD = re.compile(r"(?<![^\W\d_])[A-ZА-ЯЁ]{5,}(?![^\W\d_])")
_SPELLED_EMAIL = re.compile(
    r"(?<![a-z0-9._\-])[a-z0-9._\-]{2,64}\s*(?:собака|собачка|\(at\)|\[at\]|\{at\}| at |\(@\)|\[@\])\s*"
    r"[a-z0-9\-]{2,64}\s*"
    r"(?:\.|точка|тчк|dot|\(\.\)|\[\.\])\s*(?:ru|ру|com|ком|net|org)\b"
)
_SPACED_DIGITS = re.compile(r"(?<![\d\w])\+?\d(?:[\s.\-_*/|]{1,3}\d){9,}(?![\d\w])")
_NUMBER_WORDS = re.compile(
    r"(?:\b(?:ноль|один|одна|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|сорок|пятьдесят|шестьдесят"
    r"|семьдесят|восемьдесят|девяносто|сто|двести|триста|девятьсот|двадцать|тридцать)\b[\s,\-]*){7,}"
)


def _job_offer_signal(normal: str) -> Signal | None:
    hits = [name for name, pattern in _JOB_OFFER if pattern.search(normal)]
    if not hits:
        return None
    # Each kind of phrase by its own catalog name, so the moderator reads them in the console's language.
    found = [phrase("job-offer or easy-money wording: %(kind)s", kind=hits[0], translate=["kind"])]
    found += [phrase("%(kind)s", kind=name, translate=["kind"], glue=", ") for name in hits[1:]]
    weight = min(JOB_OFFER_PER_PHRASE * len(hits), MAX_JOB_OFFER)
    return signal(SpamSignalCode.JOB_OFFER, weight, *found, details={"count": len(hits), "phrases": hits})


def _write_me_signal(normal: str, money: bool) -> Signal | None:
    m = _WRITE_ME.search(normal)
    if m is None:
        return None
    said = m.group().strip()
    if money:
        words = phrase('asks to write privately ("%(said)s") about money or a job', said=said)
        return signal(SpamSignalCode.WRITE_ME, WRITE_ME_WITH_MONEY, words, details={"said": said, "money": True})
    words = phrase('asks to write privately ("%(said)s")', said=said)
    return signal(SpamSignalCode.WRITE_ME, WRITE_ME, words, details={"said": said, "money": False})


def _handle_signal(prepared: str, money: bool, messenger: bool) -> Signal | None:
    """A Latin @handle that is a bot, or any handle next to money; a reply to "@ivan_petrov" stays quiet."""
    if "@" not in prepared or messenger:
        return None
    handles = list(dict.fromkeys(_handles(prepared)))
    bots = [h for h in handles if h.endswith("bot")]
    if bots:
        words = phrase("a bot's handle: %(handles)s", handles=", ".join(f"@{h}" for h in bots[:3]))
        return signal(SpamSignalCode.HANDLE, HANDLE_BOT, words, details={"handles": bots})
    if handles and money:
        words = phrase("a handle next to money or a job: %(handles)s", handles=", ".join(f"@{h}" for h in handles[:3]))
        return signal(SpamSignalCode.HANDLE, HANDLE_WITH_MONEY, words, details={"handles": handles})
    return None


def _invite_signal(prepared: str) -> Signal | None:
    invites = list(dict.fromkeys(_INVITE.findall(prepared)))
    if not invites:
        return None
    words = phrase("invitation to a private group: %(links)s", links=", ".join(invites[:3]))
    return signal(SpamSignalCode.INVITE_LINK, INVITE_LINK, words, details={"links": invites})


def _emoji_signal(text: str) -> Signal | None:
    emoji = len(_EMOJI.findall(text))
    if emoji < 3:
        return None
    words = max(len(_WORD.findall(text)), 1)
    if emoji >= 6 and emoji * 5 >= words:
        weight = EMOJI[1]
    elif emoji * 10 >= words:
        weight = EMOJI[0]
    else:
        return None
    found = plural_phrase(
        "%(count)d emoji in %(words)d words",
        "%(count)d emoji in %(words)d words",
        number="count",
        count=emoji,
        words=words,
    )
    return signal(SpamSignalCode.EMOJI, weight, found, details={"count": emoji, "words": words})


def _caps_words_signal(text: str) -> Signal | None:
    """Shouted words inside an ordinary sentence ("НИКАКИХ продаж", "ЗАРАБОТОК ДЛЯ ВСЕХ"); a text mostly
    in capitals is the caps signal's."""
    words = list(dict.fromkeys(_CAPS_WORD.findall(text)))
    if len(words) < 2 or len(_UPPER.findall(text)) * 2 > len(_LETTER.findall(text)):
        return None
    found = plural_phrase(
        "%(count)d word in capitals: %(words)s",
        "%(count)d words in capitals: %(words)s",
        number="count",
        count=len(words),
        words=", ".join(words[:5]),
    )
    return signal(SpamSignalCode.CAPS_WORDS, CAPS_WORDS, found, details={"count": len(words), "words": words[:10]})


def _obfuscated_contact_signal(prepared: str) -> Signal | None:
    """Contacts written so that filters miss them: "ivan собака mail точка ру", "8 9 1 2 ...", digits in words."""
    found = []
    if m := _SPELLED_EMAIL.search(prepared):
        found.append(m.group())
    if m := _SPACED_DIGITS.search(prepared):
        found.append(m.group())
    if m := _NUMBER_WORDS.search(prepared):
        found.append(m.group().strip(" ,-"))
    if not found:
        return None
    words = phrase("contact written to dodge filters: %(contacts)s", contacts=", ".join(f'"{f}"' for f in found))
    return signal(SpamSignalCode.OBFUSCATED_CONTACT, OBFUSCATED_CONTACT, words, details={"contacts": found})


# ---------------------------------------------------------------------------------------------
def text_signals(
    text: str, *, allowed_domains: frozenset[str] = frozenset(), blocked_domains: frozenset[str] = frozenset()
) -> list[Signal]:
    """Every text-only spam signal that fires on this comment (none for a normal comment)."""
    prepared = _prepare(text)
    normal = normalize(text).text
    links = _find_links(prepared)
    phones = _find_phones(prepared)
    spam_words = _spam_words_signal(normal)
    job = _job_offer_signal(normal)
    money = bool(job or spam_words)
    messenger = _messenger_signal(prepared, normal, links, phones)
    write_me = _write_me_signal(normal, money)
    if write_me and messenger and not (messenger.details.get("contacts") or messenger.details.get("phones")):
        messenger = None  # "пиши в лс": one request to write privately, not two signals
    found = [
        *_link_signals(links, allowed_domains, blocked_domains),
        _phone_signal(phones),
        messenger,
        _invite_signal(prepared) if links else None,
        _handle_signal(prepared, money, messenger is not None),
        write_me,
        _caps_signal(text),
        _caps_words_signal(text),
        _emoji_signal(text),
        _repeats_signal(text),
        _mixed_script_signal(prepared),
        _zero_width_signal(text),
        _spaced_letters_signal(prepared),
        _obfuscated_contact_signal(prepared),
        spam_words,
        job,
    ]
    return [signal for signal in found if signal is not None]
