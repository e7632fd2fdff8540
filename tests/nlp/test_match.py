"""The matcher: whole words only, a name with its proclitics, and one reading per word."""
from __future__ import annotations

from nlp.match import BLOCK, ELIDED, NAME, Matcher
from nlp.normalize import normalize_name


def spans(matcher: Matcher, text: str) -> list[tuple[str, int, str]]:
    """(matched text, kind, key) of each span."""
    return [(text[s.word_start:s.end], s.kind, s.key) for s in matcher.find(text)]


def test_a_name_is_found_whole_with_its_proclitics():
    m = Matcher(["حلب", "الرقه", "ادلب"])
    assert spans(m, "في حلب ومحلبية وبحلب") == [("حلب", NAME, "حلب"), ("وبحلب", NAME, "حلب")]
    assert spans(m, "والرقه وللرقه") == [("والرقه", NAME, "الرقه"), ("وللرقه", ELIDED, "الرقه")]
    assert spans(m, "ادلبي") == []  # not inside a longer word


def test_a_word_that_is_a_name_is_not_read_as_a_clitic_and_another_name():
    # «كريمه» (a village, and "generous") is not ك + the village «ريمه»; «بروما» not ب + «روما»
    m = Matcher(["كريمه", "ريمه", "بروما", "روما"])
    assert spans(m, "برعايه كريمه") == [("كريمه", NAME, "كريمه")]
    assert spans(m, "مزارع بروما") == [("بروما", NAME, "بروما")]
    assert spans(m, "وبروما") == [("وبروما", NAME, "بروما")]


def test_a_name_is_preferred_to_the_elided_form_of_another():
    # للبنان: ل + لبنان (Lebanon), not لل + بنان (a village known as البنان too)
    m = Matcher([normalize_name("لبنان"), normalize_name("البنان")])
    assert spans(m, "للبنان") == [("للبنان", NAME, "لبنان")]
    assert spans(m, "لبنان") == [("لبنان", NAME, "لبنان")]


def test_organisation_names_claim_their_words_whole():
    m = Matcher(["سوريا", "الجزيره"], blockers=["قناه الجزيره"])
    assert spans(m, "قالت قناه الجزيره في سوريا") == [
        ("قناه الجزيره", BLOCK, "قناه الجزيره"), ("سوريا", NAME, "سوريا")]
    assert spans(m, "وقناه الجزيره") == [("الجزيره", NAME, "الجزيره")]
