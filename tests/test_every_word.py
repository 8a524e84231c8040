"""Every word counts: a search finds what was written, and says so.

A small corpus of real-looking KCNA and Daily NK reports, ingested through the real pipeline; each test pins a case
that the archive once got wrong (stop words, one- and two-letter words, "U.S.", acronyms against names, suggestions)
with its numbers.
"""

import json
import re

import pytest

from tests.search_helpers import search, titles

REPORTS = [
    ("May Day celebrated in Pyongyang", "Working people in Pyongyang celebrated May Day, the international "
     "holiday of the working class, on 1 May with sports games."),
    ("National Day marked in Tajikistan", "A national day was marked in Dushanbe. It may be recalled that the "
     "day was first observed by the people of Tajikistan."),
    ("U.S. imperialists accused of war drills", "The U.S. imperialists staged war drills near the Korean "
     "peninsula, the spokesman said. They will not be tolerated."),
    ("US forces stage drills", "US forces and the army of the USA held drills near the border."),
    ("Imperialists condemned", "The imperialists and their stooges were condemned at a meeting in Hamhung."),
    ("O Su Yong visits a factory", "O Su Yong, vice-premier of the cabinet, visited the Hungnam fertilizer "
     "complex."),
    ("Ri Il Hwan speaks at rally", "Ri Il Hwan addressed a rally of youth in Wonsan."),
    ("Jo Yong Won inspects a farm", "Jo Yong Won inspected a cooperative farm in South Hwanghae."),
    ("UN sanctions criticised", "The UN Security Council sanctions were criticised by the foreign ministry."),
    ("Kim Jong Un inspects a construction site", "Kim Jong Un inspected the construction of new houses."),
    ("Missile launch conducted", "A missile launch was conducted from the west coast, with the missile "
     "flying far."),
    ("Missile tested again", "Another missile was tested; the missile engine was new."),
    ("Missile factory expands", "The missile factory in Jagang added a line."),
    ("Satellite launch prepared", "A satellite launch is being prepared at Sohae."),
    ("Satellite launch delayed", "The satellite launch was delayed by weather."),
    ("Autumn orders in Ryanggang", "Authorities ordered the requisition of grain from every farm in "
     "Ryanggang this autumn."),
    ("Grain requisition stepped up", "Officials stepped up grain requisition from cooperative farms."),
    ("Prices rise in Hyesan", "Grain prices rose in the markets of Hyesan while traders waited "
     "for news from the capital about the new requisition."),
]


@pytest.fixture(autouse=True)
def corpus(ingest, tmp_path):
    path = tmp_path / "reports.jsonl"
    lines = [json.dumps({"title": title, "body": body, "url": f"https://example.org/kcna/{n}"})
             for n, (title, body) in enumerate(REPORTS)]
    path.write_text("\n".join(lines))
    ingest(path)


def found(q: str) -> set[str]:
    return set(titles(search(q=q, size="100")))


def test_US_U_S_and_U_S_A_find_each_other():
    expected = {"U.S. imperialists accused of war drills", "US forces stage drills"}
    assert found("U.S.") == found("US") == found("U.S.A.") == found("USA") == expected


def test_the_and_will_are_words_like_any_other():
    assert "U.S. imperialists accused of war drills" in found("will")
    assert found("will") == {"U.S. imperialists accused of war drills"}
    assert len(found("the")) == 14


def test_may_day_is_a_phrase_of_two_words():
    assert found('"May Day"') == {"May Day celebrated in Pyongyang"}


def test_a_phrase_with_an_acronym_keeps_the_acronym():
    assert found('"U.S. imperialists"') == {"U.S. imperialists accused of war drills"}
    assert found("imperialists") == {"U.S. imperialists accused of war drills", "Imperialists condemned"}


def test_one_and_two_letter_names_are_found():
    assert found('"O Su Yong"') == {"O Su Yong visits a factory"}
    assert titles(search(q="O Su Yong"))[0] == "O Su Yong visits a factory"
    assert found("Ri") == {"Ri Il Hwan speaks at rally"}
    assert found("Jo") == {"Jo Yong Won inspects a farm"}


def test_UN_in_capitals_is_the_acronym_and_Un_is_any_un():
    assert found("UN") == {"UN sanctions criticised"}
    assert found("Un") == {"UN sanctions criticised", "Kim Jong Un inspects a construction site"}


def test_partial_matches_leave_out_the_commonest_words_and_function_words():
    """``the`` (in most reports) tells none apart and is left out of the partial matches; so is ``was`` (in a fifth
    of them), a function word: reports are not ranked by how a question is phrased. Every word still counts for the
    reports holding all of them."""
    def holding(*words):
        return {title for title, body in REPORTS
                if any(re.search(rf"\b{word}\b", f"{title} {body}".lower()) for word in words)}

    assert len(holding("the")) > len(REPORTS) * 0.7
    assert len(REPORTS) / 5 < len(holding("was")) < len(REPORTS) / 2
    page = search(q="satellite launch the", size="50")
    assert page.matched_all == 1
    assert set(titles(page)) == holding("satellite", "launch")
    page = search(q="satellite launch was", size="50")
    assert page.matched_all == 1
    assert titles(page)[0] == "Satellite launch delayed"  # the one holding every word, "was" too
    assert set(titles(page)) == holding("satellite", "launch")
    page = search(q="Missile WAS", size="50")
    assert set(titles(page)) == holding("missile")  # a function word in capitals is one too


def test_a_list_of_function_words_alone_still_finds_reports_holding_some_of_them():
    page = search(q="was from", size="50")
    assert page.matched_all == 1
    assert page.count == len({title for title, body in REPORTS
                              if re.search(r"\b(was|from)\b", f"{title} {body}".lower())})


def test_a_misspelt_word_among_right_ones_is_offered_its_correction_beside_partial_matches():
    page = search(q="missle launch")
    assert page.suggestion == "missile launch"
    assert page.matched_all == 0 and page.count == 3  # the three launches, as partial matches


def test_a_word_found_once_is_never_offered():
    # "tajikistan" is in one report: a rare word is not corrected to a glued token or a fragment.
    assert search(q="tajikstan").suggestion == ""


def test_a_place_spelling_is_never_corrected():
    assert search(q="Hyesan grain").suggestion == ""
    assert search(q="Hyesan grian").suggestion == "Hyesan grain"


def test_proximity_in_the_lucene_form_finds_the_words_within_n_words_in_order():
    page = search(q='"grain requisition"~3', size="100")
    assert set(titles(page)) == {"Grain requisition stepped up"}
    assert set(titles(search(q='"requisition grain"~3', size="100"))) == {"Autumn orders in Ryanggang"}
    assert "at most 3 words apart" in page.reading


def test_near_finds_the_words_within_n_words_in_either_order():
    near = {"Autumn orders in Ryanggang", "Grain requisition stepped up"}
    assert found("grain NEAR/5 requisition") == found("requisition NEAR/5 grain") == near
    assert "Prices rise in Hyesan" in found("grain NEAR/30 requisition")
    page = search(q="grain NEAR/5 requisition")
    assert page.reading.startswith("(grain NEAR/5 requisition); NEAR/5: the two words within 5 words")


def test_partial_matches_rank_words_typed_side_by_side_first(ingest, tmp_path, monkeypatch):
    """A question typed as a sentence ranks the report that has two of its words side by side ("border guards")
    above one that has them apart, even more often; the phrase only ranks, it never adds a report."""
    extra = [("Crossing watched", "Border guards watched the river crossing at night."),
             ("Patrols on the river", "Guards stood at the border; more guards came, and the border was closed "
              "to guards' families.")]
    path = tmp_path / "extra.jsonl"
    path.write_text("\n".join(json.dumps({"title": title, "body": body, "url": f"https://example.org/x/{n}"})
                              for n, (title, body) in enumerate(extra)))
    ingest(path)
    q = "were border guards at Sohae"
    side_by_side = search(q=q, size="50")
    assert side_by_side.matched_all == 0
    assert titles(side_by_side)[:2] == ["Crossing watched", "Patrols on the river"]

    monkeypatch.setattr("archive.search.query.SIDE_BY_SIDE_BOOST", 0)
    apart = search(q=q, size="50")
    assert titles(apart)[:2] == ["Patrols on the river", "Crossing watched"]  # more often wins without the pairs
    assert set(titles(apart)) == set(titles(side_by_side))
