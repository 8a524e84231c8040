"""How Korean names are spelt: folding, keys, romanisation in three systems, the South's initial-sound rule and the
mechanical variants the gazetteer and the people are built from (``archive.spelling``)."""

from archive.spelling import (
    fold,
    given_name_forms,
    latin_variants,
    name_key,
    person_variants,
    romanize,
    south_korean_form,
)


def test_hangul_is_romanised_in_each_system():
    assert [romanize("평양", system) for system in ("mr", "north", "rr")] == ["p'yŏngyang", "phyongyang",
                                                                             "pyeongyang"]
    assert [romanize("자강", system) for system in ("mr", "north", "rr")] == ["chagang", "jagang", "jagang"]
    assert [romanize("청진", system) for system in ("mr", "north", "rr")] == ["ch'ŏngjin", "chongjin", "cheongjin"]


def test_sound_changes_between_syllables_are_written_as_the_systems_write_them():
    assert romanize("동림", "north") == "tongnim"  # nasal assimilation
    assert romanize("신라", "rr") == "silla"
    assert romanize("설날", "mr") == "sŏllal"
    assert romanize("덕암", "mr") == "tŏgam"  # a final carried over to the vowel, voiced
    assert romanize("만경대", "mr") == "man'gyŏngdae"  # MR's n'g


def test_the_south_drops_an_initial_r_or_n_that_the_north_keeps():
    assert [south_korean_form(word) for word in ("량강도", "녕변", "리설주", "락원", "로동신문", "혜산")] == [
        "양강도", "영변", "이설주", "낙원", "노동신문", "혜산"]


def test_folding_keeps_positions_and_ignores_how_an_apostrophe_was_typed():
    for text in ("P’yŏngyang", "Namp´o", "Hamgyŏng-bukto"):
        assert len(fold(text)) == len(text)
    assert fold("P’yŏngyang") == fold("P'yongyang") == "P'yongyang"
    assert fold("Ho\u0306") == "Ho"  # a breve typed as a combining mark
    assert name_key("Kim Jong-un") == name_key("kim jongun") == name_key("KIM JONG UN") == "kimjongun"


def test_an_mr_spelling_gives_the_presss_and_the_norths_forms():
    assert latin_variants("P'yŏngyang") == ["P'yŏngyang", "P'yongyang", "Pyongyang", "Phyongyang"]
    assert latin_variants("Ch'ŏngjin") == ["Ch'ŏngjin", "Ch'ongjin", "Chongjin"]  # ch' is the North's ch
    assert "Rajin Sonbong" in latin_variants("Rajin-Sonbong") and "Rajinsonbong" in latin_variants("Rajin-Sonbong")
    assert latin_variants("Hyesan-si") == ["Hyesan-si"]  # a suffix keeps its hyphen


def test_a_persons_name_is_spelt_with_every_surname_and_given_name_spelling():
    forms = person_variants(["Kim"], [["Jong", "Un"], *given_name_forms("정은")])
    assert {"Kim Jong-un", "Kim Jongun", "Kim Chŏng-ŭn", "Kim Chong-un", "Kim Jeong-eun"} <= set(forms)
    assert given_name_forms("여정")[1] == ["Yo", "Jong"]  # voiced after a vowel, as names are written
