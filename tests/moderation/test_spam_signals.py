"""Text spam signals: each on its own, the evasions spammers use, and the ordinary comments that must stay quiet."""

import json

import pytest

from moderation.spam.signals import Signal, extract_domains, text_signals
from shared.domains import normalise_domain
from shared.reasons import SpamSignalCode


def _codes(text: str, **kwargs: frozenset[str]) -> dict[str, Signal]:
    return {s.code: s for s in text_signals(text, **kwargs)}


def _total(text: str) -> float:
    return sum(s.weight for s in text_signals(text))


# Ordinary comments under regional news: roads, schools, the factory, the mayor, prices, dates,
# house numbers, one legit link, a reply to another reader, a bit of shouting.
CLEAN = [
    "Дорогу на улице Ленина опять раскопали, третий раз за год. Куда смотрит администрация?",
    "Спасибо за новость!",
    "В 2024 году обещали отремонтировать мост, а воз и ныне там.",
    "Живу в доме 15, кв. 3 — отопление дали только 15.11.2024, батареи еле тёплые.",
    "Цены в магазинах растут: молоко уже 95 руб., хлеб 1 500 руб. за мешок муки на рынке.",
    "Подробности на сайте администрации https://pskov.ru/news/12345, там есть график отключений.",
    "@Иван, согласен, автобусы по выходным ходят раз в час.",
    "@ivan_petrov, согласен полностью, сам стоял на остановке сорок минут.",
    "Школу №5 наконец-то отремонтировали, дети довольны, спасибо директору.",
    "Завод заработал после модернизации, говорят, наберут ещё 300 человек.",
    "Мэр опять пообещал, что к 1 сентября всё сделают. Посмотрим.",
    "Почему в новости не написали, сколько стоил ремонт? Деньги-то наши, налоговые.",
    "Ключевая ставка опять выросла, ипотеку теперь никто не потянет.",
    "В поликлинике на Октябрьском проспекте очередь к терапевту на две недели вперёд!",
    "Хорошая статья, автору спасибо. Побольше бы таких материалов про историю города.",
    "КОГДА УЖЕ ПОЧИНЯТ СВЕТОФОР НА ПЕРЕКРЁСТКЕ? ТАМ ЖЕ ДЕТИ ХОДЯТ!",
    "Ну ооочень долго ждали этот ремонт!!!",
    "Кружки в доме культуры для детей бесплатные, записывайтесь, пока есть места.",
    "Я работаю на заводе 20 лет, заработок небольшой, но стабильный.",
    "Вчера с 9.00 до 18.00 не было воды во всём микрорайоне, никто не предупредил.",
    "Горячая линия администрации 8 (8112) 29-30-40, звонил туда, никто не берёт трубку.",
    "Прочитал на Госуслуги.рф, что запись к врачу можно сделать онлайн. Удобно.",
    "Т.е. деньги выделили, а работы так и не начали? И.о. главы должен ответить.",
    "Автобус №17 теперь ходит до нового микрорайона, спасибо перевозчику.",
    "Помню, в 1985 году здесь был парк, а теперь парковка.",
    "Снег не убирают, тротуары как каток, бабушки падают. Позор!",
    "Лучше бы на эти 12 млн отремонтировали дороги во дворах.",
    "Я читаю новости в телеграме, там быстрее пишут, чем на сайте.",
    "Статью про завод видел ещё вчера на pskovline.ru, там подробнее.",
    "Интересно, а кто будет платить за вывоз мусора с 1 января? Тариф ведь подняли на 12%.",
    "Сосед из дома 7 уже третий месяц ремонтирует квартиру, с 8 утра сверлит.",
    "iPhone за 100 тысяч купить могут, а за коммуналку платить не хотят.",
    "В 10:30 на площади начнётся митинг, приходите все, кто против вырубки сквера.",
]

# Spam as it arrives: lures, contacts, links, and the dressing that dodges filters.
SPAM = [
    "Заходи на kаzinо.ru и получи бонус за регистрацию!",
    "Лучший сайт: kaz1no(точка)ru, выигрыши каждый день",
    "Заработок от 5000 в день, пиши в телегу @vasya_cash",
    "WhatsApp +7 912 345-67-89, займ без отказа за 5 минут",
    "Пассивный доход без вложений! Подробности t.me/easy_money_bot",
    "з а р а б о т о к в интернете, звони 8 9О0 123 45 67",
    "за\u200bработ\u200bок от 3000 руб в день, пишите в вацап 89001234567",
    "Ставки на спорт с гарантией, переходи casino . ru",
    "Мама в декрете зарабатывает 100 тысяч в месяц! Жми сюда bit.ly/3xYzAbc",
    "Крипта растёт, инвестиции с минимальным входом, пиши в тг @crypto_guru",
    "Кредит без справок и проверок, звоните +7 (999) 123-45-67",
    "ВЫИГРАЛ 500 ТЫСЯЧ В КАЗИНО!!!!!! ССЫЛКА В ПРОФИЛЕ",
    "Букмекер 1xbet дарит фриспины, промокод WIN500, заходи 1xbet-mirror.xyz",
    "Нужны люди на удалённую работу, доход от 2000 в день, пиши в лс, телега @job_online",
    "Подработка на дому, 1500 руб за час, вайбер 8-912-345-67-89",
    "Кaзинo Вулкaн дaрит бoнус, зaхoди нa vulkan-club . com",
    "Срочно нужны деньги? Займ без отказа на карту: zaim-bystro.ru, zaim-bystro.ru/form",
    "т . me / vasya_money — пассивный доход каждый день",
    "Как я заработала на крипте 300 тысяч за неделю, рассказываю в телеграм @anna_crypto",
    "Бесплатно раздаю схему заработка, пишите в ватсап +79123456789",
    "Инвестиции с гарантией дохода 30% в месяц, сайт invest-pro.online",
    "Интим досуг для взрослых, звони 8 (921) 111-22-33",
    "kazino(dot)ru — лучшие слоты, фриспины без депозита",
    "Хочешь зарабатывать от 100$ в день? Переходи по ссылке: earn-money.site",
    "Ставки на футбол без проигрышей, канал t.me/bet_prognoz",
    "Взлом казино, схема 100%, пиши @casino_hack в телеге",
    "з а й м без проверок, одобрение 99%, wa.me/79001234567",
    "Всем привет! Нашла способ заработать не выходя из дома, инфа в профиле",
    "Получи 1000 фриспинов на azino777 . ru, жми быстрее",
    "Крипта: зарабатываю от 50000 в неделю, учу бесплатно, тг @btc_profit",
    "Лучшие кредиты без залога на сайте kredit24 [.] ru, переходи!",
    "Заработок в интернете!!!!!! Пиши в WhatsApp: 8 900 111 22 33",
    "Казино онлайн с выводом на карту: vulkan-casino.xyz и joycasino.top",
]


def test_sets_are_big_enough() -> None:
    assert len(CLEAN) >= 30 and len(SPAM) >= 30


@pytest.mark.parametrize("text", CLEAN, ids=[f"clean{i}" for i in range(len(CLEAN))])
def test_ordinary_comments_fire_nothing_or_only_weak_signals(text: str) -> None:
    signals = text_signals(text)
    assert sum(s.weight for s in signals) < 1.0, [(s.code, s.weight, s.message) for s in signals]


@pytest.mark.parametrize("text", SPAM, ids=[f"spam{i}" for i in range(len(SPAM))])
def test_spam_sums_to_three_or_more(text: str) -> None:
    signals = text_signals(text)
    assert sum(s.weight for s in signals) >= 3.0, [(s.code, s.weight, s.message) for s in signals]


def test_the_two_sets_are_far_apart() -> None:
    clean = [_total(t) for t in CLEAN]
    spam = [_total(t) for t in SPAM]
    assert max(clean) < 1.0 <= 3.0 <= min(spam)
    assert sum(clean) / len(clean) < 0.3 and sum(spam) / len(spam) > 4.0


def test_signals_are_json_serialisable_and_say_something() -> None:
    for text in SPAM:
        for s in text_signals(text):
            json.dumps(s.details)
            assert s.message and s.code in {
                "links",
                "blocked_domain",
                "allowed_domain",
                "phone",
                "messenger",
                "caps",
                "repeats",
                "mixed_script",
                "zero_width",
                "spaced_letters",
                "spam_words",
                *SpamSignalCode,
            }


# --- domains -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("www.Site.RU/path", ["site.ru"]),
        ("https://news.pskov.ru/2024/11/15/item", ["pskov.ru"]),
        ("казино тут: casino . ru", ["casino.ru"]),
        ("сайт: kaz1no(точка)ru", ["kaz1no.ru"]),
        ("kazino [dot] com и kazino (.) net", ["kazino.com", "kazino.net"]),
        ("заходи kazino точка ру", ["kazino.ru"]),
        ("Заходи на kаzinо.ru", ["kazino.ru"]),  # Cyrillic а and о inside
        ("t.me/x и t . me / vasya", ["t.me", "t.me"]),
        ("госуслуги.рф и дом.рф", ["госуслуги.рф", "дом.рф"]),
        ("shop.example.com.ru, a.com, a.com", ["example.com.ru", "a.com", "a.com"]),
        ("ka\u200bzino.ru", ["kazino.ru"]),
        ("на сайте pskov.ru. Там всё есть", ["pskov.ru"]),
    ],
)
def test_extract_domains(text: str, domains: list[str]) -> None:
    assert extract_domains(text) == domains


@pytest.mark.parametrize(
    "text",
    [
        "Яндекс.Такси и Лента.ру пишут, т.е. и.о. мэра ушёл",
        "Курс 1.5, дата 15.11.2024, время 18.30",
        "Пук.хрю.уа.сом и странно.То",  # Russian words that look like Latin letters
        "Это всё. Me too. It is. In fact",
        "Пишите на ivan@mail.ru",  # an address, not a link
        "Конец фразы. Ru и точка",
        "Закон РФ. Рф не при чём",
    ],
)
def test_no_domains_in_ordinary_text(text: str) -> None:
    assert extract_domains(text) == []


def test_one_legit_link_is_a_weak_signal() -> None:
    signals = _codes("Подробнее на сайте администрации https://pskov.ru/news/123")
    assert set(signals) == {"links"} and signals["links"].weight <= 0.5
    details = signals["links"].details
    assert details["count"] == 1 and details["domains"] == ["pskov.ru"]
    assert not (details["obfuscated"] or details["shorteners"] or details["spammy"] or details["cheap_tld"])


def test_many_links_to_several_domains() -> None:
    link = _codes("a.ru/1 b.ru/2 b.ru/3 https://c.com")["links"]
    assert link.details["count"] == 4 and link.details["domains"] == ["a.ru", "b.ru", "c.com"]
    assert link.message.startswith("4 links to 3 domains: a.ru, b.ru, c.com") and link.weight > 1.0


def test_disguised_shortened_and_spammy_links_weigh_more() -> None:
    plain = _codes("смотри site.ru")["links"].weight
    assert _codes("смотри site . ru")["links"].weight > plain
    assert _codes("смотри bit.ly/abc")["links"].weight > plain
    assert _codes("смотри kazino.ru")["links"].weight > plain
    assert _codes("смотри kаzinо.ru")["links"].details["obfuscated"] == ["kazino.ru"]


def test_blocked_and_allowed_domains() -> None:
    blocked = _codes("тут vulkan.ru/x", blocked_domains=frozenset({"vulkan.ru"}))
    assert blocked["blocked_domain"].weight >= 3.0 and blocked["blocked_domain"].details["domains"] == ["vulkan.ru"]
    sub = _codes("тут www.promo.vulkan.ru/x", blocked_domains=frozenset({normalise_domain("WWW.Vulkan.RU")}))
    assert "blocked_domain" in sub
    allowed = _codes("источник: https://www.pskov.ru/news/1", allowed_domains=frozenset({"pskov.ru"}))
    assert set(allowed) == {"allowed_domain"} and allowed["allowed_domain"].weight < 0
    mixed = _codes("pskov.ru и vulkan.ru", allowed_domains=frozenset({"pskov.ru"}))
    assert mixed["links"].details["domains"] == ["vulkan.ru"] and "allowed_domain" in mixed


def test_government_subdomain_on_allow_list() -> None:
    signals = _codes("см. mchs.gov.ru", allowed_domains=frozenset({"mchs.gov.ru"}))
    assert set(signals) == {"allowed_domain"}


# --- phones --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("звони +7 912 345-67-89", "+79123456789"),
        ("звони 8 (912) 345-67-89", "+79123456789"),
        ("звони 89123456789", "+79123456789"),
        ("звони +7(912)3456789", "+79123456789"),
        ("звони 912 345 67 89", "+79123456789"),
        ("звони 8-912-345-67-89", "+79123456789"),
        ("звони 8 9О0 123 45 67", "+79001234567"),  # letter O for zero
        ("звони +7 9ОО l23 45 67", "+79001234567"),
        ("звони 8 912 345 67 89 о цене", "+79123456789"),
        ("Живу в доме 15 89123456789 звоните", "+79123456789"),
        ("звони 8\u200b912\u200b345\u200b67\u200b89", "+79123456789"),
    ],
)
def test_phone_numbers(text: str, number: str) -> None:
    phone = _codes(text)["phone"]
    assert phone.details["numbers"] == [number] and phone.weight >= 2.0


@pytest.mark.parametrize(
    "text",
    [
        "Отопление дали 15.11.2024, а обещали 01.10.2024",
        "В 2024 году, а потом в 2025 и 2026",
        "Цена 1 500 руб., а раньше было 1 200 руб.",
        "дом 15, кв. 3, подъезд 2",
        "Бюджет 12 345 678 рублей",
        "ИНН 7712345678, ОГРН 1027700132195",
        "IP 198.51.100.7 забанили",
        "с 9.00 до 18.00, обед 13:00-14:00",
        "Счёт 2:1 в пользу Пскова, 3 гола во втором тайме",
        "Телефон 8 912 345 — не дописал",
    ],
)
def test_no_phone_in_dates_prices_and_house_numbers(text: str) -> None:
    assert "phone" not in _codes(text)


def test_a_city_number_is_a_weaker_phone() -> None:
    assert _codes("приёмная 8 (8112) 29-30-40")["phone"].weight < _codes("звони 8 912 345 67 89")["phone"].weight


# --- messengers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "пиши в телегу @vasya_cash",
        "Пишите @vasya_cash",
        "тг: @money_maker",
        "подробности t.me/vasya",
        "t . me / vasya",
        "WhatsApp +7 912 345-67-89",
        "вацап 89123456789",
        "Viber 8 912 345 67 89",
        "wa.me/79123456789",
        "в телеграм @vаsya_cash",  # Cyrillic а inside the handle
        "пиши на почту ivan.petrov@mail.ru",
    ],
)
def test_messenger_contacts(text: str) -> None:
    assert _codes(text)["messenger"].weight >= 2.0


@pytest.mark.parametrize(
    "text",
    [
        "@Иван, согласен",
        "@Рома пишите в администрацию, толку не будет",
        "@ivan_petrov, согласен полностью",  # a Latin nickname alone is a reply, not a contact
        "Я читаю новости в телеграме",
        "В вацапе в родительском чате пишут, что школу закроют",
        "Позвоните в администрацию, пусть разберутся",
    ],
)
def test_replies_and_messengers_in_passing_are_not_contacts(text: str) -> None:
    assert "messenger" not in _codes(text)


def test_write_me_in_a_messenger_without_the_contact_is_weaker() -> None:
    assert 0 < _codes("пиши в тг, всё расскажу")["messenger"].weight < 2.0


# --- shouting, repeats, dressing -----------------------------------------------------------------
def test_caps() -> None:
    caps = _codes("ЗАРАБОТОК ДЛЯ ВСЕХ КТО ХОЧЕТ, ПОДРОБНОСТИ У МЕНЯ")["caps"]
    assert caps.details["share"] == 1.0 and caps.weight < 1.0
    assert "caps" not in _codes("ЖКХ и МЧС")  # a few capitals
    assert "caps" not in _codes("ДА ВЫ ЧТО, ПРАВДА?")  # too short to shout
    assert "caps" not in _codes("В МЧС и ГИБДД сообщили, что дорогу закрыли до утра")


def test_repeats() -> None:
    assert _codes("Срочно!!!!!!")["repeats"].details["count"] == 1
    assert _codes("ааааааа!!!!!!!")["repeats"].details["count"] == 2
    for text in ("Ну ооочень долго!!!", "Ну.......... ладно", "Цена 1000000 руб", "-------", "👍👍👍👍👍"):
        assert "repeats" not in _codes(text), text


def test_mixed_script() -> None:
    mixed = _codes("Кaзинo дaрит бoнус")["mixed_script"]
    assert mixed.details["count"] == 3 and "кaзинo" in mixed.details["words"]
    assert "mixed_script" not in _codes("The Economist пишет про рубль и iPhone")
    assert _codes("зараб0ток ka3ино")["mixed_script"].details["words"] == ["ka3ино"]


def test_zero_width() -> None:
    zw = _codes("за\u200bработ\u200bок")["zero_width"]
    assert zw.details["zero_width"] == 2 and zw.weight >= 1.0
    assert "zero_width" not in _codes("\ufeffобычный текст")  # a byte-order mark in front
    assert "zero_width" not in _codes("семья 👨\u200d👩\u200d👧 гуляет")  # emoji joiners
    assert _codes("авто\u00adмобиль")["zero_width"].weight < 1.0  # a soft hyphen from a copied page


def test_zero_width_is_undone_for_the_other_signals() -> None:
    codes = _codes("за\u200bработ\u200bок в интер\u200bнете")
    assert "spam_words" in codes and "заработок от" in codes["spam_words"].details["words"]


def test_spaced_letters() -> None:
    spaced = _codes("з а р а б о т о к для всех")["spaced_letters"]
    assert spaced.details["words"] == ["заработок"]
    assert _codes("к.а.з.и.н.о")["spaced_letters"].details["words"] == ["казино"]
    for text in ("т. е. в городе", "А. С. Пушкин", "и т. д. и т. п.", "варианты а, б, в, г, д", "8 9 0 0"):
        assert "spaced_letters" not in _codes(text), text


# --- spam vocabulary -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("лучшее казино города", "казино"),
        ("лучшее кaзинo города", "казино"),  # Latin a and o
        ("к а з и н о", "казино"),
        ("заходи в онлайнказино", "казино"),
        ("бонусы в azino777", "казино"),
        ("бонусы в Азино777", "казино"),
        ("ставки на спорт", "ставки на спорт"),
        ("букмекерская контора", "букмекер"),
        ("стабильный зараб0ток", "заработок"),
        ("заработок в интернете", "заработок от"),
        ("пассивный доход", "пассивный доход"),
        ("крипта растёт", "крипта"),
        ("криптовалюта", "крипта"),
        ("инвестиции с нуля", "инвестиции с"),
        ("займ без отказа", "займ без"),
        ("кредит без справок", "займ без"),
        ("кpедит без спpавок", "займ без"),  # Latin p
        ("всё бесплатно", "бесплатно"),
        ("жми сюда", "жми"),
        ("переходите по ссылке", "переходи"),
        ("ссылка в профиле", "ссылка в профиле"),
        ("от 5000 руб в день", "деньги в день"),
    ],
)
def test_spam_words(text: str, word: str) -> None:
    assert word in _codes(text)["spam_words"].details["words"]


@pytest.mark.parametrize(
    "text",
    [
        "Завод заработал после ремонта",
        "подставки для цветов",
        "Доход бюджета вырос",
        "Кредит на ремонт школы выделили",
        "Перед школой поставили светофор",
        "Зарплата 50 тыс в месяц",
        "Парковка 50 руб в час",
        "В магазинов стало больше, газировка подорожала",  # "азино" inside words
    ],
)
def test_ordinary_words_are_not_spam_words(text: str) -> None:
    assert "spam_words" not in _codes(text)


def test_a_specific_phrase_replaces_its_general_word() -> None:
    words = _codes("заработок от 5000")["spam_words"].details["words"]
    assert "заработок от" in words and "заработок" not in words


def test_spam_words_weight_is_capped() -> None:
    text = "казино ставки на спорт букмекер заработок от 5 пассивный доход займ без отказа крипта жми"
    assert _codes(text)["spam_words"].weight == 3.0


def test_a_normal_comment_fires_nothing() -> None:
    assert text_signals("Дорогу на улице Ленина опять раскопали, третий раз за год.") == []
