"""The labelled benchmark stream: clean comments mixed with generated spam campaigns, reproducibly."""

import itertools
import random
import re
from collections import Counter
from difflib import SequenceMatcher

import pytest

from lab.spam.stream import CAMPAIGN_NAMES, CAMPAIGNS, Campaign, campaign_spam, labelled_stream, spam_texts
from moderation.scoring.normalize import normalize

HAM = [
    "Спасибо за новость, дорогу на Заречной наконец-то отремонтировали",
    "Когда откроют новый детский сад в микрорайоне? Обещали ещё весной",
    "В поликлинике опять очередь с утра, записаться к терапевту невозможно",
    "Хорошо, что мост починили до холодов",
    "Были на празднике города с детьми, всё понравилось",
    "Автобус номер пять ходит раз в час, вечером не уехать",
    "Лучше бы деньги на освещение во дворах потратили",
    "Снег опять не убирают, тротуары как каток",
    "Отличная статья, побольше бы таких про историю края",
    "Наши хоккеисты молодцы, вышли в плей-офф",
]

PHONE = re.compile(r"(\+7|8)[\s(\-]*[9][\dОЗlбЧ]{2}[\s)\-]*[\dОЗlбЧ]{3}[\s\-]*[\dОЗlбЧ]{2}[\s\-]*[\dОЗlбЧ]{2}")
TLD = r"(ru|com|net|io|top|shop|site|online|xyz|cc|org|pro)\b"
LINK = re.compile(r"https?://|www\.|\w\." + TLD + r"|bit\.ly/|clck\.ru/")
OBFUSCATED_LINK = re.compile(r"\w( \. |\[\.\]| точка | \(\.\) |\. )" + TLD)
HANDLE = re.compile(r"@\w{4,}|t\s?\.\s?me/|телег|в тг|WhatsApp|[Вв]атсап|вотсап")
LOOKALIKE = re.compile(r"[а-яА-Я][a-zA-Z]|[a-zA-Z][а-яА-Я]")  # Latin and Cyrillic letters inside one word
ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
SPACED = re.compile(r"\b(\w[ .\-]){3,}\w\b")


def test_the_same_seed_gives_the_same_stream():
    assert labelled_stream(HAM, random.Random(7), n=300) == labelled_stream(HAM, random.Random(7), n=300)
    assert spam_texts(random.Random(7), 50) == spam_texts(random.Random(7), 50)
    assert spam_texts(random.Random(7), 50) != spam_texts(random.Random(8), 50)


def test_the_spam_share_is_as_asked():
    stream = labelled_stream(HAM, random.Random(1), spam_share=0.2, n=1000)
    assert len(stream) == 1000
    assert sum(item.label for item in stream) == 200
    by_default = labelled_stream(HAM * 40, random.Random(1), spam_share=0.3)
    assert sum(1 - item.label for item in by_default) == len(HAM) * 40
    assert 0.28 < sum(item.label for item in by_default) / len(by_default) < 0.32


def test_a_share_of_one_is_refused():
    with pytest.raises(ValueError):
        labelled_stream(HAM, random.Random(1), spam_share=1.0)


def test_timestamps_increase_through_hours():
    stream = labelled_stream(HAM, random.Random(2), n=500)
    times = [item.created_at for item in stream]
    assert all(a < b for a, b in itertools.pairwise(times))
    assert times[-1] - times[0] > 6 * 3600


def test_spam_texts_use_the_tricks():
    texts = spam_texts(random.Random(0), 400)
    assert len(texts) == 400
    for pattern in (PHONE, LINK, OBFUSCATED_LINK, HANDLE, LOOKALIKE, ZERO_WIDTH, SPACED):
        share = sum(bool(pattern.search(t)) for t in texts) / len(texts)
        assert 0.03 < share < 0.95, (pattern.pattern, share)
    phones = [m.group() for m in map(PHONE.search, texts) if m]
    assert any(re.search("[ОЗlбЧ]", phone) for phone in phones)  # letters for digits


def _vocabulary(campaign: Campaign) -> list[str]:
    """The campaign's own words, as normalize() writes them."""
    offer_words = [w for offer in campaign.offers for w in re.findall(r"\w{6,}", offer)]
    return [normalize(w).text for w in (*campaign.brands, *campaign.domains, *campaign.handles, *offer_words)]


def test_campaigns_keep_their_own_vocabulary():
    for campaign in CAMPAIGNS:
        texts = [normalize(t).text for t in campaign_spam(random.Random(3), campaign.name, 30)]
        own = _vocabulary(campaign)
        others = [normalize(w).text for c in CAMPAIGNS if c != campaign for w in (*c.brands, *c.domains, *c.handles)]
        assert sum(any(w in t for w in own) for t in texts) >= 25, campaign.name
        assert not any(w in t for w in others for t in texts), campaign.name
    assert len(CAMPAIGN_NAMES) >= 5


def test_a_campaign_posts_near_duplicates():
    texts = campaign_spam(random.Random(4), "loans", 40)
    similar = [SequenceMatcher(None, a, b).ratio() > 0.8 for a, b in itertools.pairwise(texts)]
    assert 0.2 < sum(similar) / len(similar) < 0.95  # variants of one message, then a new message


def test_spam_comes_in_bursts_from_few_new_accounts_across_articles():
    stream = labelled_stream(HAM * 30, random.Random(5), spam_share=0.2)
    spam = [item for item in stream if item.label == 1]
    ham = [item for item in stream if item.label == 0]
    spam_authors = Counter(item.author_id for item in spam)
    assert len(spam_authors) < len(spam) / 2  # each account posts several times
    assert not set(spam_authors) & {item.author_id for item in ham}
    assert len({item.author_id for item in ham}) > 20
    busiest = spam_authors.most_common(1)[0][0]
    assert len({item.article_id for item in spam if item.author_id == busiest}) >= 2
    assert len({item.ip for item in spam}) < len({item.ip for item in ham})
