"""A labelled comment stream for spam benchmarks: real clean comments mixed with generated spam campaigns.

Everything comes from the caller's random.Random, so one seed gives one stream. No set or dict is
iterated in an order that depends on string hashing: the stream is the same in every process.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

# 2024-11-15 12:00 MSK: the stream's first second.
STREAM_START = 1_731_661_200.0
HAM_GAP_S = 90.0  # mean seconds between clean comments on a regional site
MIN_DURATION_S = 6 * 3600.0
ARTICLE_GAP_S = 40 * 60.0  # a new article every ~40 minutes
ARTICLE_INTEREST_S = 6 * 3600.0  # how fast readers lose interest in an article
BURST_SIZE = (3, 15)
BURST_GAP_S = (5.0, 90.0)  # seconds between two comments of one burst


@dataclass(frozen=True)
class StreamItem:
    """One comment of the stream, with its label and who posted it when and where."""

    text: str
    label: int  # 1 spam, 0 ham
    author_id: str
    ip: str
    created_at: float  # seconds, increasing through the stream
    article_id: str


@dataclass(frozen=True)
class Campaign:
    """One spam business: its own vocabulary, brands and ways to be reached."""

    name: str
    hooks: tuple[str, ...]
    offers: tuple[str, ...]
    calls: tuple[str, ...]  # "{brand}" is filled in
    brands: tuple[str, ...]
    domains: tuple[str, ...]
    handles: tuple[str, ...]
    contacts: tuple[str, ...]  # kinds of contact this campaign uses, see _contact()
    keywords: tuple[str, ...]  # words it disguises (spaced out, capitals)


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign(
        name="casino",
        hooks=("Надоело сидеть без денег?", "Кто ещё не в курсе —", "Ребята, реально работает!", "Всем привет!"),
        offers=(
            "Дарим 500 фриспинов без депозита",
            "Бонус 200% на первый депозит, вывод за 5 минут",
            "Официальное зеркало казино работает без блокировок",
            "Поднял 120 000 за вечер в слотах, вывели на карту",
        ),
        calls=(
            "Заходи в {brand}",
            "Регистрируйся в {brand}, промокод ВУЛКАН24",
            "Жми, {brand} ждёт",
            "{brand} — играй и выигрывай",
        ),
        brands=("Вулкан Удачи", "Азино 777", "Джой Казино", "Казино Сокол"),
        domains=("kaz1no-vulkan.ru", "azino777-win.com", "joycasino-zerkalo.net", "sokol-slots.xyz"),
        handles=("vulkan_bonus", "azino_777_official", "slot_king24"),
        contacts=("link", "obfuscated_link", "short_link"),
        keywords=("казино", "фриспинов", "бонус", "слотах", "депозит"),
    ),
    Campaign(
        name="betting",
        hooks=(
            "Хватит сливать банк!",
            "Кто ставит на спорт, сюда.",
            "Минус на ставках? Это лечится.",
            "Братья, без обмана.",
        ),
        offers=(
            "Договорные матчи, проходимость 100%",
            "Экспрессы с коэффициентом 10+, проход 95%",
            "Прогнозы на футбол и хоккей с гарантией, вернём деньги если не зайдёт",
            "Сливаю инсайды на КХЛ и РПЛ, капер с опытом 7 лет",
        ),
        calls=(
            "{brand} в телеге",
            "Подписывайся на {brand}",
            "Канал {brand}, первые прогнозы бесплатно",
            "Пиши {brand}",
        ),
        brands=("Капер Макс", "СтавкаПро", "Инсайд Матч", "Фаворит Прогноз"),
        domains=("t.me/kaper_max", "stavka-pro.top"),
        handles=("kaper_max", "stavkapro_vip", "insaid_match", "favorit_prognoz"),
        contacts=("telegram", "telegram", "tme_link"),
        keywords=("договорные", "прогнозы", "проходимость", "экспрессы", "ставки"),
    ),
    Campaign(
        name="earnings",
        hooks=(
            "Нужны люди 18+!",
            "Мамочки в декрете, студенты, пенсионеры!",
            "Ищу партнёров в команду.",
            "Сама не верила, но",
        ),
        offers=(
            "Работа на дому, от 5 000 руб в день",
            "Удалённый заработок 2-3 часа в день, без вложений",
            "Пассивный доход от 70 000 в месяц с телефона",
            "Подработка с ежедневной оплатой, обучение бесплатно",
        ),
        calls=(
            "Подробности в личке",
            "Пиши, расскажу про {brand}",
            "Проект {brand}, места ограничены",
            "Напиши слово ДОХОД",
        ),
        brands=("Доход Онлайн", "Удалёнка Плюс", "Свобода Финанс"),
        domains=("dohod-online.site", "udalenka-plus.ru"),
        handles=("dohod_online_hr", "marina_udalenka", "svoboda_team"),
        contacts=("whatsapp", "telegram", "phone", "vk"),
        keywords=("заработок", "доход", "подработка", "вложений"),
    ),
    Campaign(
        name="crypto",
        hooks=(
            "Пока вы читаете новости, люди зарабатывают.",
            "Крипта снова растёт!",
            "Последний шанс залететь.",
            "Кто в теме —",
        ),
        offers=(
            "Арбитраж криптовалюты, P2P связки от 3% за круг",
            "Сигналы по биткоину, x10 за неделю",
            "Раздаём 100 USDT новым участникам",
            "Обучение трейдингу, первые 500$ уже через неделю",
        ),
        calls=("Вступай в {brand}", "{brand} — ссылка в профиле", "Закрытый чат {brand}", "Напиши в {brand}"),
        brands=("КриптоКлуб", "TON Академия", "Биткоин Сигнал", "P2P Связка"),
        domains=("cryptoclub-pro.io", "ton-academy.pro", "btc-signal.cc"),
        handles=("cryptoclub_pro", "ton_academy_chat", "btc_signal_vip"),
        contacts=("telegram", "tme_link", "link", "obfuscated_link"),
        keywords=("биткоину", "криптовалюты", "трейдингу", "арбитраж", "связки"),
    ),
    Campaign(
        name="loans",
        hooks=("Срочно нужны деньги?", "Отказали в банке?", "До зарплаты не хватает?", "Выручим!"),
        offers=(
            "Займ без отказа и проверки кредитной истории",
            "Микрозайм под 0% на 30 дней",
            "Деньги на карту за 5 минут, одобрение 99%",
            "Кредит наличными с плохой КИ, без справок",
        ),
        calls=(
            "Оформляй в {brand}",
            "{brand} — первый займ бесплатно",
            "Звони в {brand}",
            "Заявка в {brand} за минуту",
        ),
        brands=("ДеньгиСразу", "Займер Плюс", "БыстроЗайм"),
        domains=("dengi-srazu.online", "zaimer-plus.ru", "bystrozaim.top"),
        handles=("dengi_srazu", "zaimer_plus"),
        contacts=("phone", "link", "short_link", "phone"),
        keywords=("займ", "микрозайм", "одобрение", "кредит"),
    ),
    Campaign(
        name="documents",
        hooks=("Нет времени учиться?", "Помогу с документами.", "Не сдали на права?", "Для работы нужен диплом?"),
        offers=(
            "Купить диплом любого вуза с занесением в реестр",
            "Права без экзаменов, все категории, официально",
            "Медкнижка и справка 086у за 1 день с доставкой",
            "Больничный лист задним числом, проверка по базе",
        ),
        calls=("Обращайтесь в {brand}", "{brand}, анонимно", "Звоните, {brand}", "Пишите, {brand}"),
        brands=("Диплом Сервис", "ДокЦентр", "Справка Экспресс"),
        domains=("diplom-servis.com", "dokcentr.org"),
        handles=("diplom_servis", "dokcentr_msk"),
        contacts=("phone", "whatsapp", "link"),
        keywords=("диплом", "права", "медкнижка", "больничный"),
    ),
    Campaign(
        name="pharma",
        hooks=("Врачи в шоке!", "Мне помогло, делюсь.", "Раньше не могла подняться по лестнице,", "Бабушкин рецепт:"),
        offers=(
            "Минус 12 кг за месяц без диет и спорта",
            "Средство от давления, гипертония уходит за 2 недели",
            "Капли для суставов, боль проходит после первого применения",
            "Крем от варикоза, результат через 10 дней",
        ),
        calls=(
            "Заказ на сайте {brand}",
            "{brand}, скидка 50% только сегодня",
            "Закажите {brand} по акции",
            "Оригинал только у {brand}",
        ),
        brands=("ГипертоНорм", "Суставит", "ЛипоСлим", "ВариКлин"),
        domains=("gipertonorm.shop", "sustavit-original.ru", "liposlim-sale.com"),
        handles=("gipertonorm_shop", "liposlim_sale"),
        contacts=("link", "obfuscated_link", "phone"),
        keywords=("давления", "суставов", "похудение", "скидка", "диет"),
    ),
)
CAMPAIGN_NAMES = tuple(c.name for c in CAMPAIGNS)

_EMOJI = ("🔥", "💰", "✅", "👉", "💯", "⚡", "🎁", "‼️")
# Cyrillic letters and the Latin letters that print the same.
_LOOKALIKE = dict(zip("аеоросхуАВЕКМНОРСТХ", "aeopocxyABEKMHOPCTX", strict=True))
_DIGIT_AS_LETTER = {"0": "О", "3": "З", "1": "l", "6": "б", "4": "Ч"}
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_SHORTENERS = ("bit.ly", "clck.ru", "vk.cc", "tinyurl.com")
_HAM_NETS = ("95.79", "178.66", "188.170", "85.26", "31.173", "176.59", "213.87")  # regional ISPs, mobile
_SPAM_NETS = ("45.141", "185.220", "91.243", "194.87", "5.188")  # hosting and proxy ranges


def spam_texts(rng: random.Random, n: int) -> list[str]:
    """Spam comments from several campaigns, each message repeated in a few near-duplicate variants."""
    texts: list[str] = []
    while len(texts) < n:
        message = _message(rng.choice(CAMPAIGNS), rng)
        texts.extend(_variant(message, rng) for _ in range(rng.randint(1, 4)))
    return texts[:n]


def campaign_spam(rng: random.Random, campaign: str, n: int) -> list[str]:
    """Spam of one named campaign only, to learn from some campaigns and measure on others."""
    chosen = next(c for c in CAMPAIGNS if c.name == campaign)
    texts: list[str] = []
    while len(texts) < n:
        message = _message(chosen, rng)
        texts.extend(_variant(message, rng) for _ in range(rng.randint(1, 4)))
    return texts[:n]


def labelled_stream(
    ham_texts: Sequence[str], rng: random.Random, *, spam_share: float = 0.2, n: int | None = None
) -> list[StreamItem]:
    """Clean comments spread over many authors and hours, mixed with bursts of campaign spam."""
    if not 0.0 <= spam_share < 1.0:
        raise ValueError(f"spam_share must be in [0, 1), got {spam_share}")
    if not ham_texts:
        raise ValueError("labelled_stream needs some clean comments")
    n_ham, n_spam = _split_counts(len(ham_texts), spam_share, n)
    duration = max(MIN_DURATION_S, n_ham * HAM_GAP_S)
    articles = _articles(rng, duration)
    items = _ham_items(_pick(ham_texts, n_ham, rng), rng, duration, articles)
    items += _spam_items(n_spam, rng, duration, articles)
    return _in_time_order(items)


def _split_counts(available: int, spam_share: float, n: int | None) -> tuple[int, int]:
    """How many clean and spam comments: all the clean ones when n is not given."""
    if n is None:
        n_ham = available
        return n_ham, round(n_ham * spam_share / (1.0 - spam_share))
    n_spam = round(n * spam_share)
    return n - n_spam, n_spam


def _pick(texts: Sequence[str], k: int, rng: random.Random) -> list[str]:
    """k texts in random order, each used once while there are enough."""
    picked: list[str] = []
    while len(picked) < k:
        picked += rng.sample(list(texts), min(len(texts), k - len(picked)))
    return picked


# --- spam text -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Message:
    """One campaign message; its variants are near-duplicates of each other."""

    campaign: Campaign
    hook: str
    offer: str
    call: str
    contact: str


def _message(campaign: Campaign, rng: random.Random) -> _Message:
    """Choose the parts of a new message of the campaign."""
    brand = rng.choice(campaign.brands)
    return _Message(
        campaign,
        rng.choice(campaign.hooks),
        rng.choice(campaign.offers),
        rng.choice(campaign.calls).format(brand=brand),
        _contact(campaign, rng.choice(campaign.contacts), rng),
    )


def _variant(message: _Message, rng: random.Random) -> str:
    """One posting of the message: the same words, with this posting's disguises and decoration."""
    body = f"{message.offer}! {message.call}"
    if rng.random() < 0.35:
        body = _spaced_keyword(body, message.campaign.keywords, rng)
    if rng.random() < 0.4:
        body = _lookalikes(body, rng, rate=rng.uniform(0.1, 0.4))
    if rng.random() < 0.3:
        body = _zero_width(body, rng)
    hook = message.hook if rng.random() < 0.8 else ""
    emoji = rng.choice(_EMOJI) + " " if rng.random() < 0.5 else ""
    return " ".join(part for part in (hook, emoji + body, message.contact) if part)


def _contact(campaign: Campaign, kind: str, rng: random.Random) -> str:
    """How to reach the spammer: a link, a phone or a messenger handle, in one of today's formats."""
    handle = rng.choice(campaign.handles)
    if kind == "link":
        template = rng.choice(("https://{}", "{}", "www.{}", "Сайт: {}", "https://{}/promo"))
        return template.format(rng.choice(campaign.domains))
    if kind == "obfuscated_link":
        return _obfuscated_domain(rng.choice(campaign.domains), rng)
    if kind == "short_link":
        return f"{rng.choice(_SHORTENERS)}/{_random_code(rng)}"
    if kind == "tme_link":
        return rng.choice(("t.me/{}", "https://t.me/{}", "t . me/{}")).format(handle)
    if kind == "telegram":
        template = rng.choice(("пиши в телегу @{}", "в тг @{}", "Telegram: @{}", "ищи в телеграме {}", "ТГ — @{}"))
        return template.format(handle)
    if kind == "whatsapp":
        return rng.choice(("WhatsApp {}", "Ватсап {}", "пишите в вотсап {}", "Вайбер/WhatsApp: {}")).format(_phone(rng))
    if kind == "vk":
        return f"vk.com/{handle}" if rng.random() < 0.5 else f"пиши в ВК id{rng.randint(10**8, 10**9 - 1)}"
    return rng.choice(("Звони {}", "Тел. {}", "{}", "Номер: {}")).format(_phone(rng))


def _phone(rng: random.Random) -> str:
    """A Russian mobile number, formatted as people write it, sometimes with letters for digits."""
    d = "9" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    code, a, b, c = d[:3], d[3:6], d[6:8], d[8:]
    formats = (
        f"+7 {code} {a}-{b}-{c}",
        f"+7{d}",
        f"8 ({code}) {a}-{b}-{c}",
        f"8-{code}-{a}-{b}-{c}",
        f"+7 ({code}) {a}{b}{c}",
        f"8 {code} {a} {b} {c}",
        f"8{d}",
    )
    phone = rng.choice(formats)
    if rng.random() < 0.25:
        phone = "".join(_DIGIT_AS_LETTER.get(ch, ch) if rng.random() < 0.5 else ch for ch in phone)
    return phone


def _obfuscated_domain(domain: str, rng: random.Random) -> str:
    """A link written so that link detectors miss it: "kaz1no . ru", "site[.]ru", "site точка ru"."""
    name, _, tld = domain.rpartition(".")
    separator = rng.choice((" . ", "[.]", " точка ", " (.) ", ". "))
    return f"{name}{separator}{tld}"


def _random_code(rng: random.Random) -> str:
    """A short-link path: "aB3xK9"."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 7)))


def _spaced_keyword(text: str, keywords: Sequence[str], rng: random.Random) -> str:
    """Write one of the campaign's keywords spaced out or in capitals: "З А Р А Б О Т О К"."""
    present = [k for k in keywords if k in text]
    if not present:
        return text
    word = rng.choice(present)
    sep = rng.choice((" ", " ", ".", "-"))
    disguised = sep.join(word.upper()) if rng.random() < 0.7 else word.upper()
    return text.replace(word, disguised, 1)


def _lookalikes(text: str, rng: random.Random, rate: float) -> str:
    """Swap some Cyrillic letters for the Latin letters that look the same."""
    return "".join(_LOOKALIKE[ch] if ch in _LOOKALIKE and rng.random() < rate else ch for ch in text)


def _zero_width(text: str, rng: random.Random) -> str:
    """Hide zero-width characters inside a few words."""
    words = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        if len(words[i]) > 2:
            j = rng.randrange(1, len(words[i]))
            words[i] = words[i][:j] + rng.choice(_ZERO_WIDTH) + words[i][j:]
    return " ".join(words)


# --- who and when ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Article:
    """An article and when it was published (seconds from the stream's start)."""

    article_id: str
    published: float


def _articles(rng: random.Random, duration: float) -> list[_Article]:
    """Articles published through the stream, one every ~40 minutes, the first ones before it starts."""
    articles: list[_Article] = []
    t = -ARTICLE_INTEREST_S
    number = rng.randint(1000, 5000)
    while t < duration:
        articles.append(_Article(f"a-{number}", t))
        number += 1
        t += rng.expovariate(1.0 / ARTICLE_GAP_S)
    return articles


def _article_at(t: float, articles: Sequence[_Article], rng: random.Random) -> str:
    """An article readers comment on at time t: a recent one, more likely the newer it is."""
    recent = [a for a in articles if t - 4 * ARTICLE_INTEREST_S <= a.published <= t] or [articles[0]]
    weights = [math.exp(-(t - a.published) / ARTICLE_INTEREST_S) for a in recent]
    return rng.choices(recent, weights)[0].article_id


def _ip(nets: Sequence[str], rng: random.Random) -> str:
    """An address in one of the given /16 networks."""
    return f"{rng.choice(nets)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def _ham_items(
    texts: Sequence[str], rng: random.Random, duration: float, articles: Sequence[_Article]
) -> list[StreamItem]:
    """Clean comments at random times over the whole stream, by regulars and occasional readers."""
    n_authors = max(20, len(texts) // 6)
    authors = [f"u-{i}" for i in rng.sample(range(1, 50_000), n_authors)]
    activity = [1.0 / (rank + 1) ** 1.1 for rank in range(n_authors)]  # a few regulars write most
    shared_ips = [_ip(_HAM_NETS, rng) for _ in range(max(3, n_authors // 20))]  # mobile NAT, one IP for many
    ips = {a: [_ip(_HAM_NETS, rng) for _ in range(rng.randint(1, 3))] + [rng.choice(shared_ips)] for a in authors}
    times = sorted(rng.uniform(0.0, duration) for _ in texts)
    items = []
    for text, t in zip(texts, times, strict=True):
        author = rng.choices(authors, activity)[0]
        article = _article_at(t, articles, rng)
        items.append(StreamItem(text, 0, author, rng.choice(ips[author]), STREAM_START + t, article))
    return items


def _spam_items(n: int, rng: random.Random, duration: float, articles: Sequence[_Article]) -> list[StreamItem]:
    """Bursts of one message each, from a few new accounts on a few proxy IPs, across articles."""
    items: list[StreamItem] = []
    while len(items) < n:
        size = min(n - len(items), rng.randint(*BURST_SIZE))
        items += _burst(size, rng, rng.uniform(0.0, duration), articles)
    return items


def _burst(size: int, rng: random.Random, start: float, articles: Sequence[_Article]) -> list[StreamItem]:
    """One campaign burst: near-duplicates of one message, posted minutes apart under several articles."""
    message = _message(rng.choice(CAMPAIGNS), rng)
    accounts = [f"u-{rng.randint(900_000, 999_999)}" for _ in range(rng.randint(1, 3))]
    ips = [_ip(_SPAM_NETS, rng) for _ in range(rng.randint(1, 2))]
    items = []
    t = start
    for _ in range(size):
        author, ip, article = rng.choice(accounts), rng.choice(ips), _article_at(t, articles, rng)
        items.append(StreamItem(_variant(message, rng), 1, author, ip, STREAM_START + t, article))
        t += rng.uniform(*BURST_GAP_S)
    return items


def _in_time_order(items: list[StreamItem]) -> list[StreamItem]:
    """Sort by time and make every timestamp strictly later than the one before."""
    ordered = sorted(items, key=lambda item: item.created_at)
    out: list[StreamItem] = []
    last = -math.inf
    for item in ordered:
        t = max(item.created_at, last + 0.001)
        out.append(item if t == item.created_at else _with_time(item, t))
        last = t
    return out


def _with_time(item: StreamItem, t: float) -> StreamItem:
    """The same comment at another time."""
    return StreamItem(item.text, item.label, item.author_id, item.ip, t, item.article_id)
