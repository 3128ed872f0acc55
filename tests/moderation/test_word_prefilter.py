"""The skeleton test that lets the policy simulator skip normalising most texts never rules out a
text in which the site's word lists really match, and rules out the ones that plainly do not."""

from hypothesis import given, settings
from hypothesis import strategies as st

from moderation.pipeline.site_rules import WordList
from moderation.scoring.normalize import Skeletons, normalize, skeleton

WORDS = ("казино", "бет*", "ставк*", "kazino", "зона")
# What people write to get a word past a filter: look-alikes in either case, digits, repeats,
# separators, masks and zero-width characters.
LOOK_ALIKES = {"а": "аАaA@", "з": "зЗ3", "и": "иИuU", "н": "нНhH", "о": "оОoO0", "к": "кКkK", "е": "еЕeEёЁ"}
NOISE = st.text(alphabet="казинобетxaopce0134@ё-. *#_|\u200b\n", max_size=12)


@st.composite
def disguised(draw: st.DrawFn, word: str) -> str:
    """The word written the way a spammer would, with other text around it."""
    separator = draw(st.sampled_from(["", "", ".", " ", "-", "\u200b", "*"]))
    letters = [draw(st.sampled_from(LOOK_ALIKES.get(letter, letter))) * draw(st.integers(1, 4)) for letter in word]
    return draw(NOISE) + separator.join(letters) + draw(NOISE)


@settings(max_examples=800, deadline=None)
@given(data=st.data(), word=st.sampled_from(WORDS))
def test_a_real_match_is_never_ruled_out(data, word):
    text = data.draw(st.one_of(disguised(word.rstrip("*")), NOISE))
    words = WordList((word,))
    if words.found_in(text, normalize(text)):
        assert words.candidates(Skeletons(["Спасибо", text, ""])) == {1}


def test_disguised_words_pass_the_skeleton_and_unrelated_texts_are_ruled_out():
    texts = ["К.А.З.И.Н.О", "Спасибо за статью", "kaзинo", "КАААЗИНООО!!!", "к а з и н о", "Играйте в казиношке", ""]

    assert WordList(("казино*", "вулкан")).candidates(Skeletons(texts)) == {0, 2, 3, 4, 5}
    assert skeleton("К.А.З.И.Н.О, kaзинo 1xBet Ёлка ааа") == "казиноказиноихветелка"
