"""A place or a person is found however it is spelt, in English or in Korean, and each result says which spelling it
matched and where; quotes or the "exact spelling" switch keep a name as typed; language and person are facets.

English and Korean reports, each writing its names one way (McCune-Reischauer with breves and apostrophes, the
North's h-forms, the South's Revised Romanization, -si/-gun/-do suffixes, hyphens, Hangul in the North's and the
South's spelling), ingested through the real pipeline.
"""

import json

import pytest

from tests.search_helpers import search, titles

REPORTS = [
    ("Autumn orders in Ryanggang", "Authorities ordered grain from every farm in Ryanggang Province."),
    ("Smugglers fined in Yanggang-do", "Smugglers were fined in Yanggang-do last week."),
    ("량강도 혜산시에서 밀수 단속", "량강도 혜산시에서 밀수꾼들이 단속되었다."),
    ("양강도 주민들 생활고", "양강도 주민들이 어려움을 겪고 있다."),
    ("Prices rise in Hyesan", "Grain prices rose in the markets of Hyesan."),
    ("Rally in the capital", "A rally was held in P’yŏngyang on Sunday."),
    ("Workers of Phyongyang", "Workers of Phyongyang met their quota."),
    ("평양에서 열린 대회", "평양시에서 대회가 열렸다."),
    ("Port of Nampho expands", "The port of Nampho added a pier."),
    ("Fishermen idle", "Fishermen in Namp'o-si stayed ashore."),
    ("Traders at the border", "Traders in Sinŭiju crossed the bridge."),
    ("신의주 시장 소식", "신의주시의 시장에서 쌀값이 올랐다."),
    ("Reactor restarted", "The Nyongbyon reactor was restarted."),
    ("영변 핵시설 가동", "영변 핵시설이 다시 가동되었다."),
    ("녕변군 소식", "녕변군에서 모내기가 시작되었다."),
    ("Leader inspects a farm", "Kim Jong-un inspected a cooperative farm."),
    ("Leader visits a factory", "Kim Jong Un visited a fertilizer factory."),
    ("김정은 현지지도", "김정은 동지께서 공장을 현지지도하시었다."),
    ("Sister issues a statement", "Kim Yo-jong issued a statement on the drills."),
    ("김여정 담화 발표", "김여정 부부장이 담화를 발표하였다."),
    ("Concert attended", "Ri Sol Ju attended a concert with the leader."),
    ("Rare appearance", "Lee Sol-ju made a rare appearance."),
    ("Market report", "Rice prices were stable."),
]


@pytest.fixture(autouse=True)
def corpus(ingest, tmp_path):
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"title": title, "body": body, "url": f"https://example.org/v/{n}"},
                                         ensure_ascii=False) for n, (title, body) in enumerate(REPORTS)),
                    encoding="utf-8")
    ingest(path)


def found(q: str, **params) -> set[str]:
    return set(titles(search(q=q, size="100", **params)))


RYANGGANG = {"Autumn orders in Ryanggang", "Smugglers fined in Yanggang-do", "량강도 혜산시에서 밀수 단속",
             "양강도 주민들 생활고", "Prices rise in Hyesan"}  # Hyesan's report by its region tag, Ryanggang
PYONGYANG = {"Rally in the capital", "Workers of Phyongyang", "평양에서 열린 대회"}
NAMPO = {"Port of Nampho expands", "Fishermen idle"}
SINUIJU = {"Traders at the border", "신의주 시장 소식"}
YONGBYON = {"Reactor restarted", "영변 핵시설 가동", "녕변군 소식"}
KIM_JONG_UN = {"Leader inspects a farm", "Leader visits a factory", "김정은 현지지도"}
KIM_YO_JONG = {"Sister issues a statement", "김여정 담화 발표"}
RI_SOL_JU = {"Concert attended", "Rare appearance"}


@pytest.mark.parametrize("q", ["Yanggang", "Ryanggang", "Ryanggang Province", "량강도", "양강도", "yanggang-do"])
def test_every_spelling_of_a_province_finds_every_report_of_it(q):
    assert found(q) == RYANGGANG


@pytest.mark.parametrize("q,expected", [
    ("Pyongyang", PYONGYANG), ("P'yŏngyang", PYONGYANG), ("Pyeongyang", PYONGYANG), ("평양", PYONGYANG),
    ("Nampo", NAMPO), ("Namp´o", NAMPO), ("Nampho-si", NAMPO),
    ("Sinuiju", SINUIJU), ("Shinuiju", SINUIJU), ("신의주", SINUIJU),
    ("Yongbyon", YONGBYON), ("Nyŏngbyŏn", YONGBYON), ("영변", YONGBYON), ("녕변", YONGBYON),
])
def test_a_place_is_found_by_its_mr_north_south_and_hangul_spellings(q, expected):
    assert found(q) == expected


@pytest.mark.parametrize("q,expected", [
    ("Kim Jong Un", KIM_JONG_UN), ("Kim Jong-un", KIM_JONG_UN), ("kim jongun", KIM_JONG_UN), ("김정은", KIM_JONG_UN),
    ("Kim Yo Jong", KIM_YO_JONG), ("김여정", KIM_YO_JONG),
    ("Ri Sol Ju", RI_SOL_JU), ("Lee Sol-ju", RI_SOL_JU),
])
def test_a_person_is_found_by_hyphenated_spaced_and_hangul_names(q, expected):
    assert found(q) == expected


def test_a_name_among_other_words_is_one_term():
    page = search(q="Kim Jong Un factory")
    assert (page.matched_all, titles(page)[0]) == (1, "Leader visits a factory")
    assert {hit.article.title for hit in page.hits if hit.match == "partial"} == KIM_JONG_UN - {titles(page)[0]}
    page = search(q="Hyesan 밀수")
    assert (page.matched_all, titles(page)[0]) == (1, "량강도 혜산시에서 밀수 단속")


def test_a_one_syllable_hangul_query_finds_the_syllable_inside_a_word():
    assert found("쌀") == {"신의주 시장 소식"}


def test_quotes_keep_one_name_as_typed():
    assert found('"Yanggang"') == {"Smugglers fined in Yanggang-do"}
    assert found('"Ryanggang"') == {"Autumn orders in Ryanggang"}
    assert found('"혜산"') == {"량강도 혜산시에서 밀수 단속"}
    assert found('"Kim Jong-un"') == {"Leader inspects a farm", "Leader visits a factory"}  # hyphen or space alike


def test_the_exact_switch_keeps_every_name_as_typed():
    assert found("Ryanggang", exact="1") == {"Autumn orders in Ryanggang"}
    assert found("량강도", exact="1") == {"량강도 혜산시에서 밀수 단속"}
    assert search(q="Yanggang", exact="1").reading == "Yanggang"


def test_the_reading_shows_the_other_spellings_searched():
    assert search(q="Yanggang").reading == (
        "Yanggang → Ryanggang, Ryangkang, Yangkang, 량강도, 양강도, or tagged Ryanggang")
    reading = search(q="Kim Jong-un factory").reading
    assert reading.startswith("(Kim Jong-un → Kim Jongun, Kim Chŏng Ŭn, Kim Chŏngŭn, Kim Jeong Eun, Kim Jeongeun, ")
    assert reading.endswith(", 1 more, or tagged Kim Jong Un) AND factory; 1 report holds every word; "
                            "then reports holding some of them")


def test_each_result_says_which_spelling_it_matched_and_where():
    matched = {hit.article.title: [(m.form, m.field) for m in hit.matched] for hit in search(q="Yanggang").hits}
    assert matched["Autumn orders in Ryanggang"] == [("Ryanggang", "title"), ("Ryanggang", "region")]
    assert matched["Smugglers fined in Yanggang-do"] == [("Yanggang", "title"), ("Ryanggang", "region")]
    assert matched["양강도 주민들 생활고"] == [("양강도", "title"), ("Ryanggang", "region")]
    assert matched["Prices rise in Hyesan"] == [("Ryanggang", "region")]
    people = {hit.article.title: [(m.form, m.field) for m in hit.matched] for hit in search(q="김정은").hits}
    assert people["Leader inspects a farm"] == [("Kim Jong Un", "text"), ("Kim Jong Un", "person")]


def test_the_page_shows_what_each_result_matched(client):
    html = client.get("/search/", {"q": "Yanggang"}).content.decode()
    assert "Matched the region tag Ryanggang</p>" in html
    assert "Matched 양강도 in the title, the region tag Ryanggang</p>" in html
    assert 'name="exact" value="1">' in html


def test_the_page_keeps_the_exact_switch_on(client):
    html = client.get("/search/", {"q": "Ryanggang", "exact": "1"}).content.decode()
    assert 'name="exact" value="1" checked>' in html
    assert "exact=1" in html  # in the links that keep the search


@pytest.mark.parametrize("url", ["/api/search/", "/api/v1/search/"])
def test_the_api_says_what_each_result_matched(client, url):
    results = client.get(url, {"q": "Hyesan"}).json()["results"]
    matched = {result["title"]: result["matched"] for result in results}
    assert matched["량강도 혜산시에서 밀수 단속"] == [{"form": "혜산", "field": "title"},
                                                 {"form": "Hyesan", "field": "region"}]
    assert client.get(url, {"q": "Hyesan", "exact": "1"}).json()["count"] == 1


def test_a_malformed_exact_is_a_400(client):
    assert client.get("/api/search/", {"q": "Hyesan", "exact": "maybe"}).status_code == 400


def test_language_is_a_facet():
    page = search(q="Yanggang")
    assert {v.value: (v.label, v.count) for v in page.facets["language"]} == {
        "en": ("English", 3), "ko": ("Korean", 2)}
    assert titles(search(q="Yanggang", language="ko")) and found("Yanggang", language="ko") == {
        "량강도 혜산시에서 밀수 단속", "양강도 주민들 생활고"}


def test_person_is_a_facet_and_values_of_facets_combine():
    page = search()
    people = {v.value: v.count for v in page.facets["person"]}
    assert (people["kim-jong-un"], people["kim-yo-jong"], people["ri-sol-ju"]) == (3, 2, 2)
    assert found("", person=["kim-jong-un", "kim-yo-jong"]) == KIM_JONG_UN | KIM_YO_JONG
    assert found("", person="kim-jong-un", language="ko") == {"김정은 현지지도"}
    assert found('person:"Kim Yo Jong"') == KIM_YO_JONG


def test_the_api_lists_the_language_and_person_facets(client):
    facets = client.get("/api/v1/search/", {"person": "ri-sol-ju"}).json()["facets"]
    assert {"value": "ri-sol-ju", "label": "Ri Sol Ju", "count": 2} in facets["person"]
    assert {"value": "en", "label": "English", "count": 2} in facets["language"]


def test_a_person_has_a_browse_page_and_an_unknown_one_is_a_404(client):
    response = client.get("/people/kim-yo-jong/")
    assert (response.status_code, response["Location"]) == (302, "/search/?person=kim-yo-jong")
    assert client.get("/people/nobody-at-all/").status_code == 404
