"""The gazetteer and the people: tagged at ingest from every spelling, in Latin letters and in Hangul; the fixture is
what ``build_gazetteer`` makes; the search side's look-ups find a place or person however it is written."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from archive.ingest import ingest_bytes
from archive.ingest.gazetteer import forms_of_person, forms_of_place, named_by
from archive.models import Article, Person, Region
from archive.spelling import name_key, south_korean_form

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def tags_of(text: str) -> tuple[set[str], set[str]]:
    """Ingest one report whose text is ``text`` (a title line first) and return its region and people slugs."""
    ingest_bytes("report.txt", f"A report\n\n{text}\n".encode())
    article = Article.objects.get()
    return ({region.slug for region in article.regions.all()},
            {person.slug for person in article.people.all()})


# Places, one spelling class at a time (MR with breves and apostrophes, the North's h-forms, RR, suffixes, hyphens,
# Hangul with particles), for several places.
SPELLINGS = [
    # McCune-Reischauer with breves, apostrophes typed ’ ' and ´
    ("Traders in P’yŏngyang said prices rose.", "pyongyang"),
    ("Rice is dear in Ch'ŏngjin this month.", "chongjin"),
    ("Customs officers in Sinŭiju were replaced.", "sinuiju"),
    ("Fishermen from Namp´o sold their catch.", "nampo"),
    ("A source in Hamgyŏng-bukto said so.", "north-hamgyong"),
    ("The reactor at Nyŏngbyŏn was restarted.", "yongbyon"),
    # the North's own spelling: apostrophes written h, ㅈ as j
    ("KCNA reported a meeting in Phyongyang.", "pyongyang"),
    ("Farms in South Phyongan Province were inspected.", "south-pyongan"),
    ("Farmers in Jagang Province met.", "chagang"),
    # Revised Romanization
    ("Smugglers crossed near Yanggang-do.", "ryanggang"),
    ("Prices in Cheongjin fell.", "chongjin"),
    ("Workers in Gaeseong were sent home.", "kaesong"),
    ("Teachers in Hamgyeongbuk-do were replaced.", "north-hamgyong"),
    # suffixes: -si, -gun, -do, City, County, Province
    ("The market in Hyesan-si closed early.", "hyesan"),
    ("Police in Samsu-gun arrested three men.", "samsu"),
    ("Trains to Yongbyon County were stopped.", "yongbyon"),
    ("Border guards in Ryanggang Province were reassigned.", "ryanggang"),
    ("HYESAN CITY residents complained.", "hyesan"),
    # hyphen and space joins, short and older forms
    ("Traders in Rajin-Sonbong met Chinese buyers.", "rason"),
    ("Rice prices in Hambuk climbed.", "north-hamgyong"),
    ("A source in North Hamkyung said so.", "north-hamgyong"),
    # Hangul, with particles attached, the North's and the South's spelling
    ("소식통은 혜산시에서 단속이 강화됐다고 전했다.", "hyesan"),
    ("혜산에서 쌀값이 올랐다.", "hyesan"),
    ("청진시의 시장이 닫혔다.", "chongjin"),
    ("량강도 국경경비대가 교체됐다.", "ryanggang"),
    ("양강도에서 밀수가 늘었다.", "ryanggang"),
    ("녕변의 원자로가 다시 가동됐다.", "yongbyon"),
    ("영변 핵시설에서 연기가 났다.", "yongbyon"),
    ("함경북도 무산군에서 단속이 있었다.", "musan"),
    ("개성공단이 다시 열렸다.", "kaesong-industrial-complex"),
    # sites
    ("Tunnels at Punggye-ri were blown up.", "punggye-ri"),
    ("A rocket was launched from Tongchang-ri.", "sohae"),
    ("Trucks were seen at the Sohae Satellite Launching Station.", "sohae"),
]


@pytest.mark.parametrize("text,slug", SPELLINGS)
def test_a_place_is_tagged_from_any_of_its_spellings(db, text, slug):
    regions, _ = tags_of(text)
    assert slug in regions


def test_a_place_in_hangul_brings_its_province_as_the_latin_name_does(db):
    regions, _ = tags_of("소식통은 혜산시에서 단속이 강화됐다고 전했다.")
    assert regions == {"hyesan", "ryanggang"}


def test_a_site_brings_its_county_and_province(db):
    regions, _ = tags_of("Tunnels at Punggye-ri were blown up.")
    assert regions == {"punggye-ri", "kilju", "north-hamgyong"}


@pytest.mark.parametrize("text", [
    "원산지 표시가 없는 상품이 팔렸다.",  # 원산지 "place of origin", not Wonsan
    "과일 값이 올랐다.",  # 과일 "fruit", not Kwail county (과일군)
    "증산 계획이 발표됐다.",  # 증산 "production increase", not Chungsan county
    "He used a stethoscope (청진기).",  # not Chongjin
    "The Hwasong-15 missile was tested.",  # the missile, not Hwasong County
    "The Moranbong Band performed.",  # the band, not the district
    "Statues of Kim Jong Suk were unveiled.",  # the person, not Kimjongsuk county
    "The authorities in Pyongyang issued an order.",  # the government, not the place
    "Unsan was named.",  # two counties are called Unsan: neither is guessed
    "Samsung opened a store in Gangnam.",  # Seoul, not Kangnam county
])
def test_words_that_only_look_like_a_place_tag_nothing(db, text):
    regions, _ = tags_of(text)
    assert regions == set()


def test_both_koreas_hangul_is_in_the_gazetteer_for_places_with_an_initial_r_or_n(db):
    for slug, north, south in [("ryanggang", "량강도", "양강도"), ("yongbyon", "녕변", "영변"),
                               ("rakrang", "락랑구역", "낙랑구역"), ("riwon", "리원군", "이원군"),
                               ("rason", "라선시", "나선시")]:
        hangul = Region.objects.get(slug=slug).hangul
        assert hangul.index(north) < hangul.index(south), slug


def test_every_northern_initial_r_form_has_its_southern_form(db):
    """The South's spelling is made mechanically from the North's (두음법칙): no place lacks it."""
    for region in Region.objects.all():
        for form in region.hangul:
            south = south_korean_form(form)
            assert south in region.hangul or south in _LEFT_OUT, (region.slug, form, south)


_LEFT_OUT = {"나선"}  # a spiral, not Rason: see archive.gazetteer_build


# People


PEOPLE_SPELLINGS = [
    ("Kim Jong Un visited a factory.", "kim-jong-un"),
    ("Kim Jong-un visited a factory.", "kim-jong-un"),
    ("KIM JONG UN visited a factory.", "kim-jong-un"),
    ("Kim Jongun visited a factory.", "kim-jong-un"),
    ("Kim Chŏng-ŭn visited a factory.", "kim-jong-un"),
    ("김정은 위원장이 공장을 방문했다.", "kim-jong-un"),
    ("Choi Ryong-hae spoke.", "choe-ryong-hae"),
    ("Choe Ryong Hae spoke.", "choe-ryong-hae"),
    ("최룡해가 연설했다.", "choe-ryong-hae"),
    ("Lee Sol-ju attended.", "ri-sol-ju"),
    ("Ri Sol Ju attended.", "ri-sol-ju"),
    ("리설주 여사가 참석했다.", "ri-sol-ju"),
    ("이설주의 옷이 화제가 됐다.", "ri-sol-ju"),
    ("Park Pong-ju was dismissed.", "pak-pong-ju"),
    ("Kim Yo-jong issued a statement.", "kim-yo-jong"),
    ("김여정 부부장은 담화를 발표했다.", "kim-yo-jong"),
]


@pytest.mark.parametrize("text,slug", PEOPLE_SPELLINGS)
def test_a_person_is_tagged_from_any_of_their_spellings(db, text, slug):
    _, people = tags_of(text)
    assert people == {slug}


def test_a_name_that_is_someone_else_in_the_south_tags_nobody(db):
    _, people = tags_of("이병철 회장이 삼성을 세웠다.")  # Samsung's founder, not Ri Pyong Chol (리병철)
    assert people == set()


def test_people_in_a_photo_caption_are_tagged_and_its_places_are_not(db):
    regions, people = tags_of("Kim Jong Un in Hamhung. / Photo: KCNA")
    assert (regions, people) == (set(), {"kim-jong-un"})


def test_a_reingested_report_keeps_its_people_in_step_with_its_text(db):
    record = {"url": "https://example.org/a", "body": "Kim Yo Jong issued a statement."}
    ingest_bytes("a.json", json.dumps(record).encode())
    ingest_bytes("a.json", json.dumps({**record, "body": "Choe Son Hui issued a statement."}).encode())
    assert [person.slug for person in Article.objects.get().people.all()] == ["choe-son-hui"]


def test_the_list_of_people_has_at_least_25_with_hangul_and_variants(db):
    people = Person.objects.all()
    assert people.count() >= 25
    for person in people:
        assert person.hangul and person.aliases, person.slug


# What the search side asks


def test_every_form_of_a_place_is_listed_name_first(db):
    forms = forms_of_place("ryanggang")
    assert forms[0] == "Ryanggang"
    assert {"Yanggang", "Ryanggang Province", "Yanggang-do", "량강도", "양강도"} <= set(forms)
    assert forms_of_place("no-such-place") == []


def test_every_form_of_a_person_is_listed_name_first(db):
    forms = forms_of_person("kim-jong-un")
    assert forms[0] == "Kim Jong Un"
    assert {"Kim Jong-un", "Kim Jongun", "김정은"} <= set(forms)


@pytest.mark.parametrize("phrase,kind,slug", [
    ("Yanggang", "place", "ryanggang"),
    ("량강도", "place", "ryanggang"),
    ("hyesan-si", "place", "hyesan"),
    ("P'yŏngyang", "place", "pyongyang"),
    ("kim jong-un", "person", "kim-jong-un"),
    ("Kim Jongun", "person", "kim-jong-un"),
    ("김정은", "person", "kim-jong-un"),
])
def test_a_query_phrase_names_its_place_or_person_however_it_is_written(db, phrase, kind, slug):
    [named] = named_by(phrase)
    assert (named.kind, named.slug) == (kind, slug)
    assert phrase in named.forms or name_key(phrase) in {name_key(form) for form in named.forms}


def test_a_phrase_that_names_nothing_names_nothing_and_an_ambiguous_one_names_all(db):
    assert named_by("rice prices") == []
    assert {named.slug for named in named_by("Unsan")} == {"unsan-north-pyongan", "unsan-south-pyongan"}


# The fixture


def test_the_fixture_keeps_the_slugs_that_are_in_urls_and_names_the_places_reports_name():
    places = json.loads((FIXTURES / "gazetteer.json").read_text(encoding="utf-8"))
    slugs = {place["slug"] for place in places}
    assert {"pyongyang", "rason", "nampo", "ryanggang", "north-hamgyong", "hyesan", "sinuiju", "chongjin", "samsu",
            "yongbyon", "sinpo", "kaesong", "chung", "unsan-north-pyongan", "unsan-south-pyongan", "kimjongsuk",
            "punggye-ri", "sohae", "kaesong-industrial-complex", "yonbong", "kangan", "hyetan"} <= slugs
    assert len(places) >= 209
    by_slug = {place["slug"]: place for place in places}
    for place in places:  # parents come first, so a loader can link them in one pass
        assert place["parent"] is None or list(by_slug).index(place["parent"]) < list(by_slug).index(place["slug"])
    assert by_slug["hyesan"]["wof_id"] == 1108746903


def test_build_gazetteer_writes_the_committed_fixtures_byte_for_byte(tmp_path):
    """The fixtures are the script's output, not hand edits: building again from the kept source changes nothing."""
    call_command("build_gazetteer", out_dir=tmp_path, stdout=open(os.devnull, "w"))
    for name in ("gazetteer.json", "people.json"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name
