"""Build the archive's gazetteer and list of people: ``fixtures/gazetteer.json`` and ``fixtures/people.json``.

    .venv/bin/python manage.py build_gazetteer                 # from fixtures/sources/places-kp.jsonl.xz
    .venv/bin/python manage.py build_gazetteer --source F --out-dir D

The fixtures are committed and the migrations load them; the archive never reads their source at run time. Run this
after changing a table below or the source data, review the diff of the fixtures, and add a migration that loads
them (as ``0007_gazetteer_spellings`` does). The same input gives the same bytes (a test builds it again).

What each place is made of
--------------------------
- **The reviewed table** (``PLACES``): slug (kept stable: slugs are in URLs, ``/regions/hyesan/``), the press's
  spelling as the name (today's names: ``Ryanggang``, ``Hyesan``, ``Sinuiju``, ``North Hamgyong``), kind, parent,
  Who's On First id (provenance; ``None`` where WOF has no record of the place) and the North's Hangul. Every
  province and special city, every current WOF county (cities are counties in WOF), Pyongyang's, Rason's and Nampo's
  districts, and the towns and sites that reports name.
- **The data's own Latin names** (``name``, ``en``, ``other`` of the WOF record), kept only when they spell the place's
  Hangul in some romanisation (``_skeleton``): that drops exonyms and Japanese-era names (``Keizan`` for Hyesan,
  ``Heijō-fu``, ``Kankō``), foreign transcriptions (``Severny Pkhiön-an-do``, ``Kil-dschu``), former names and
  WOF's mistakes (below).
- **Generated forms** (``archive.spelling``): MR with breves and apostrophes, folded (``ŏ`` -> ``o``), apostrophes
  dropped or written ``h`` (``P'yŏngyang``, ``Pyongyang``, ``Phyongyang``), the North's own spelling and RR, each from
  the Hangul; hyphens joined or spaced; the kind's suffixes (``City``, ``-si``, ``-shi``; ``County``, ``-gun``,
  ``-kun``; ``District``, ``-guyok``; ``Province``, ``-do``); for provinces ``North ...``, ``...-bukto``/``-pukto``,
  ``...buk-do``, ``N. ...`` and the short forms (``Hambuk``).
- **Hangul**: the North's forms from the table, and the South's made by its initial-sound rule (``량강도`` ->
  ``양강도``, ``녕변군`` -> ``영변군``, ``리원군`` -> ``이원군``): North first. A bare name without its suffix
  (``혜산`` beside ``혜산시``) is listed only where the table lists it: most bare county names are everyday words
  (과일 "fruit" for Kwail, 증산 "production increase" for Chungsan, 고원 "plateau" for Kowon), and Hangul is matched
  inside longer words, so only ``과일군`` names the county.
- ``extra`` forms of the table (spellings reports use that no rule makes: ``Hamkyung``, ``Rajin-Sonbong``) and the
  earlier hand-made gazetteer's aliases, all kept; ``drop`` removes a generated form.

A Latin form that two places share is kept only by the place whose table row names it (its name or ``extra``), and
dropped from both when neither does, so the matcher never guesses; two places with the same name (the two Unsan
counties) keep it, and ingest tags neither from it.

Corrections to the data, by hand
--------------------------------
- Rasŏn (85676647): WOF gives it North Hamgyong's English name (``Hamgyong-bukto``, ``Hampuk``), Hangul (함경북도)
  and concordances; only 나선/라선 are kept.
- "Minor islands of North Korea" (85681345, not current) has the Hangul 한미 관계 ("Korea-US relations"); left out.
- Kaesong-si (421185317) is a superseded region: Kaesong is a city of North Hwanghae (1108747807).
- County names misspelt in WOF: ``Cholwan`` is Cholsan (철산군), ``Kimh Yong Jik`` is Kimhyongjik, ``Sinkye`` is
  Singye, ``Yonggwan`` is Yonggwang, ``Pyokdong`` is Pyoktong, ``Rakwon`` is Nakwon, and South Hwanghae's
  ``Ryongchon`` is Ryongyon (룡연군; Ryongchon, 룡천군, is in North Pyongan).
- WOF's ``Nampho`` (South Pyongan), ``Pyongyang`` and ``Rason`` county records duplicate the special cities; left out.
- Parents kept from the reviewed gazetteer where WOF differs by a change of jurisdiction: Kangnam county is
  Pyongyang's (WOF: North Hwanghae), Ryonggang county and Taean district Nampo's (WOF: South Pyongan).
- Counties have almost no Hangul in WOF (9 of 362): all county Hangul is supplied here, checked against the Hangul
  of the county's own seat where WOF has one. WOF's Hangul that disagrees: 흥람 for Hungnam (흥남), 종암동 for
  Chongam (청암), 이신리 beside 리신리.
- Punggye-ri: of WOF's four P'unggye-ri, 1209591673 (no hierarchy in WOF) is the village of the nuclear test site; its
  parent is set to Kilju county. Sohae (the launch site at Tongchang-ri, Cholsan county) has no WOF record; WOF's
  Tongch'ang-ni 1209103121 is another village of that name in South Hwanghae. Kaesong Industrial Complex, Mount
  Paektu, Mount Kumgang and Hyesan's neighbourhoods named in reports (Yonbong, Kangan, Hyetan, Wiyon, Songbong) have
  no WOF record either.

Forms left out on purpose
-------------------------
- A bare RR form of a county, district or town (``Gangnam``, ``Icheon``, ``Gangseo``: RR is the South's system,
  and the South has places of those names); only its suffixed forms (``Gangnam County``) are made. The RR forms of
  places whose RR name is a place in the South altogether (``SOUTH_KOREAN``: Suncheon, Goseong, Cheorwon,
  Hwaseong, Gangwon, Pohang) are left out, as are ``Jung District`` and ``Gangseo District`` (Seoul's).
- Hangul that names a place in the South, or something else, as exactly (``HANGUL_ELSEWHERE``): 순천시 (Suncheon,
  South Jeolla), 고성군, 철원군, 옹진군 (split counties; the South's halves keep the names), 영광군 (Yeonggwang, South
  Jeolla), 연산군 (the Joseon king Yeonsangun), 나선 (a spiral), 개성 (personality), 해주 (a verb form: 해주다).
- Names whose bare form is an everyday word are matched only with their kind (``Chung District``, ``Chollima
  District``, ``Hwasong County``: Hwasong is also the missiles' name): their name holds the kind, and no bare form is
  generated.
- Words that begin with a place's Hangul and mean something else (원산지 "place of origin", 청진기 "stethoscope",
  남포동 in Busan, 해주시기 "please do") are the matcher's to know: ``archive.ingest.gazetteer.HANGUL_NOT_PLACES``.
- Forms of the earlier gazetteer that misspelt the Hangul were not carried over: ``Yeodeok`` (요덕 is Yodeok),
  ``Dosan`` (토산 is Tosan).

People
------
``PEOPLE`` is the hand-made list of the leadership names reports use most: the name as KCNA and the press write it,
the Hangul, and a few words saying who. Variants are generated (``archive.spelling.person_variants``): surname
spellings (Ri/Lee/Yi/Rhee, Choe/Choi, Pak/Park, Jo/Cho, Jong/Chung/Jeong, Hyon/Hyun, O/Oh, Ju/Joo, Jang/Chang), the
given name in the North's spelling, MR and RR, spaced, hyphenated and joined; the South's Hangul by the initial-sound
rule (리설주 -> 이설주). Reviewed: ``drop`` removes forms that name someone else (이병철 and ``Lee Byeong-cheol`` are
Samsung's founder, 이용호 and ``Lee Yong-ho`` a South Korean legislator), ``extra`` adds forms the press uses that no
rule makes (``Jang Sung-taek``, ``Ri Chun-hee``). Ri Yong Ho is the foreign minister (리용호); the general of the
same Latin spelling (리영호) is not listed, so the Latin form names one person.

Sources: Who's On First (CC0; ``whosonfirst-data-admin-kp`` at commit 3e369bb0, 2024-11-04), whose locality names
come mostly from GeoNames (CC BY 4.0); see ``/about/data/``.
"""

import json
import lzma
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from archive.spelling import (
    ADMINISTRATIVE_SUFFIX,
    capitalize_words,
    fold,
    fold_key,
    given_name_forms,
    has_hangul,
    latin_variants,
    person_variants,
    romanize,
    south_korean_form,
)

# The Who's On First extract (../shared/korea/places-kp.jsonl, whose README gives its provenance), kept in the project
# compressed, so the fixtures can be rebuilt and checked anywhere the project is.
SOURCE = Path(settings.BASE_DIR) / "fixtures" / "sources" / "places-kp.jsonl.xz"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@dataclass(frozen=True)
class P:
    """One reviewed place: see the module's docstring."""

    slug: str
    name: str
    kind: str
    parent: str | None
    wof: int | None
    hangul: tuple[str, ...]
    extra: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    """One reviewed person: the name as the press writes it (surname first), the North's Hangul, who they are."""

    name: str
    hangul: str
    description: str
    extra: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()


# Hangul suffix -> the Latin suffixes reports write for it. Longest first: 구역 before 구.
_SUFFIXES = [
    ("특별시", [" Special City"]),
    ("직할시", [" Directly Governed City"]),
    ("특급시", [" Special City"]),
    ("구역", [" District", "-guyok", "-kuyok", "-guyŏk"]),
    ("지구", [" District", "-jigu", "-chigu"]),
    ("시", [" City", "-si", "-shi"]),
    ("군", [" County", "-gun", "-kun"]),
    ("구", [" District", "-gu", "-ku"]),
    ("도", [" Province", "-do"]),
    ("동", ["-dong", "-tong"]),
    ("리", ["-ri", "-ni"]),
    ("읍", ["-up", "-ŭp", "-eup"]),
]
_RR_SUFFIX = {"구역": "-guyeok", "시": "-si", "군": "-gun", "도": "-do", "동": "-dong", "리": "-ri", "읍": "-eup",
              "지구": "-jigu", "구": "-gu"}
_KIND_WORDS = re.compile(r" (District|County|City|Province)$")
# Direction -> (MR suffix, its unvoiced form, RR suffix, abbreviation): Hamgyŏng-bukto, -pukto, Hamgyeongbuk-do, N.
_DIRECTIONS = {"North": ("bukto", "pukto", "buk-do", "N."), "South": ("namdo", "namdo", "nam-do", "S.")}

# RR spellings that name a place in the South: the place's RR forms are left out altogether.
SOUTH_KOREAN = {"suncheon", "goseong", "cheorwon", "hwaseong", "gangwon", "pohang"}
# Hangul that names a place in the South, or something else, exactly: never a form of the place.
HANGUL_ELSEWHERE = {"순천시", "고성군", "철원군", "옹진군", "영광군", "연산군", "나선", "개성", "해주"}
# How the press spells each surname of the list: the North's spelling first.
SURNAMES = {
    "Kim": ["Kim"], "Ri": ["Ri", "Lee", "Yi", "Rhee"], "Choe": ["Choe", "Ch'oe", "Choi", "Chwe"],
    "Pak": ["Pak", "Park"], "Jo": ["Jo", "Cho"], "Jong": ["Jong", "Chong", "Jeong", "Chung"],
    "Hyon": ["Hyon", "Hyŏn", "Hyun", "Hyeon"], "O": ["O", "Oh"], "Hwang": ["Hwang"], "Jang": ["Jang", "Chang"],
    "Kang": ["Kang"], "Ju": ["Ju", "Joo"], "Ro": ["Ro", "Roh", "No"], "Ryu": ["Ryu", "Yu", "Yoo"],
}


def build(source: Path = SOURCE) -> tuple[list[dict], list[dict]]:
    """(places, people) as the fixtures hold them, from the WOF extract and the tables below."""
    records = {}
    opened = lzma.open(source, "rt", encoding="utf-8") if source.suffix == ".xz" else source.open(encoding="utf-8")
    with opened as lines:
        for line in lines:
            record = json.loads(line)
            records[record["wof_id"]] = record
    places = [_place(row, records.get(row.wof)) for row in PLACES]
    _drop_shared_forms(places, PLACES)
    return places, [_person(row) for row in PEOPLE]


def write(places: list[dict], people: list[dict], out_dir: Path = FIXTURES) -> list[Path]:
    """The two fixtures, as UTF-8 JSON with Hangul as it is (not escaped), so a review reads the diff."""
    written = []
    for name, rows in (("gazetteer.json", places), ("people.json", people)):
        path = out_dir / name
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _place(row: P, record: dict | None) -> dict:
    hangul = _hangul_forms(row.hangul, row.drop)
    generated = _generated_latin(row)
    own = [] if record is None else [name for name in [record["name"], *record["en"], *record["other"]]
                                     if not has_hangul(name)]
    skeletons = {_skeleton(form) for form in [row.name, *generated]}
    data = [form for name in own if _skeleton(name) in skeletons for form in latin_variants(name)]
    if _KIND_WORDS.search(row.name):  # "Chung District": no bare form from the data either
        data = [form for form in data if _KIND_WORDS.search(form) or "-" in form]
    extra = [form for name in row.extra for form in latin_variants(name, join=False)]
    aliases = _unique_aliases([*data, *generated, *extra], row.name, row.drop)
    return {"slug": row.slug, "name": row.name, "kind": row.kind, "parent": row.parent, "wof_id": row.wof,
            "hangul": hangul, "aliases": aliases}


def _hangul_forms(north: tuple[str, ...], drop: tuple[str, ...]) -> list[str]:
    forms = [*north, *(south_korean_form(form) for form in north)]
    seen, out = set(), []
    for form in forms:
        if form not in seen and form not in drop and form not in HANGUL_ELSEWHERE:
            seen.add(form)
            out.append(form)
    return out


def _stem(hangul: str) -> tuple[str, str]:
    """(stem, suffix) of an official Hangul name: 혜산시 -> (혜산, 시), 량강도 -> (량강, 도)."""
    for suffix, _ in _SUFFIXES:
        if hangul.endswith(suffix) and len(hangul) > len(suffix):
            return hangul[: -len(suffix)], suffix
    return hangul, ""


def _generated_latin(row: P) -> list[str]:
    """The name's own variants, then each romanisation of each Hangul stem (the North's and the South's), each with
    the suffixes of its kind: the forms a rule can make. Sites are spelt by hand (``extra``) beside their name."""
    base = _KIND_WORDS.sub("", row.name)
    if row.kind == "site":
        return latin_variants(row.name)
    base = ADMINISTRATIVE_SUFFIX.sub("", base)
    direction = ""
    if row.kind == "province" and base.split(" ", 1)[0] in _DIRECTIONS:
        direction, base = base.split(" ", 1)
    named = row.hangul[:1] if row.kind == "province" else row.hangul
    stems, suffixes = [], []
    for hangul in named:
        stem, suffix = _stem(hangul)
        stems.append(stem[:-1] if direction else stem)  # 함경북도 -> 함경
        suffixes.append(suffix)
    stems = list(dict.fromkeys([*stems, *(south_korean_form(stem) for stem in stems)]))
    latin_suffixes = [latin for suffix in dict.fromkeys(suffixes) for latin in dict(_SUFFIXES).get(suffix, [])]
    rr_suffixes = [_RR_SUFFIX[suffix] for suffix in dict.fromkeys(suffixes) if suffix in _RR_SUFFIX]
    romanised = [(base, "name")]
    for stem in stems:
        for system in ("north", "mr", "rr"):
            romanised.append((capitalize_words(romanize(stem, system)), system))
    rr_dropped = any(fold_key(form) in SOUTH_KOREAN for form, system in romanised if system == "rr")
    bare = not _KIND_WORDS.search(row.name)
    forms = []
    for form, system in romanised:
        if system == "rr" and rr_dropped:
            continue
        variants = latin_variants(form)
        if row.kind == "province":
            forms.extend(_province_forms(variants, direction, system == "rr"))
            continue
        # A bare RR form of a county, district or town is too often a place in the South (Gangnam, Icheon).
        if bare and (system != "rr" or row.kind in ("special-city", "city")):
            forms.extend(variants)
        ending = latin_suffixes + (rr_suffixes if system == "rr" else [])
        forms.extend(variant + suffix for variant in variants for suffix in ending)
    if row.kind == "province":
        for short in row.hangul[1:]:  # 함북 -> Hambuk
            for system in ("north", "mr", "rr"):
                forms.extend(latin_variants(capitalize_words(romanize(short, system))))
    return forms


def _province_forms(variants: list[str], direction: str, is_rr: bool) -> list[str]:
    if not direction:
        return [form for variant in variants for form in (variant, f"{variant} Province", f"{variant}-do")]
    mr_suffix, unvoiced, rr_suffix, abbreviation = _DIRECTIONS[direction]
    forms = []
    for variant in variants:
        forms += [f"{direction} {variant}", f"{direction} {variant} Province", f"{abbreviation} {variant}"]
        forms += [f"{variant}{rr_suffix}"] if is_rr else [f"{variant}-{mr_suffix}", f"{variant}-{unvoiced}",
                                                          f"{variant}{rr_suffix}"]
    return forms


def _unique_aliases(forms: list[str], name: str, drop: tuple[str, ...]) -> list[str]:
    """Each spelling once (exactly; ``P'yŏngyang`` and ``P'yongyang`` are both kept, for display), never the name
    itself, never a dropped form or one that folds to a dropped form."""
    dropped = {fold_key(form) for form in drop}
    seen, out = {name.lower()}, []
    for form in forms:
        form = " ".join(form.split())
        if form and form.lower() not in seen and fold_key(form) not in dropped:
            seen.add(form.lower())
            out.append(form)
    return out


def _drop_shared_forms(places: list[dict], rows: list[P]) -> None:
    """A Latin form (compared folded) that several places share stays with the places whose table row names it (name
    or ``extra``); a generated one shared by places none of which names it is dropped from all of them."""
    named = {row.slug: {fold_key(form) for form in (row.name, *row.extra)} for row in rows}
    owners = defaultdict(set)
    for place in places:
        for form in [place["name"], *place["aliases"]]:
            owners[fold_key(form)].add(place["slug"])
    for place in places:
        place["aliases"] = [form for form in place["aliases"]
                            if len(owners[fold_key(form)]) == 1 or fold_key(form) in named[place["slug"]]]


def _skeleton(name: str) -> str:
    """What is left of a Latin spelling once the differences between romanisations are ignored (voicing, aspiration
    marks, ŏ/eo/o, r/l/n, the kind's suffix): two spellings of one Hangul name share it, an exonym does not."""
    text = fold(name).lower()
    text = re.sub(r"\b(city|county|district|province|special|directly governed)\b", " ", text)
    text = re.sub(r"[-\s](si|shi|gun|kun|do|guyok|kuyok|gu|ku|up|eup|ri|ni|li|dong|tong|jigu)\b", " ", text)
    text = re.sub(r"[^a-z]", "", text)
    for old, new in (("eo", "o"), ("eu", "u"), ("th", "t"), ("ph", "p"), ("kh", "k"), ("ch", "j"), ("sh", "s"),
                     ("k", "g"), ("t", "d"), ("p", "b"), ("r", "n"), ("l", "n"), ("wo", "o")):
        text = text.replace(old, new)
    return text


def _person(row: Person) -> dict:
    surname, *given = row.name.split(" ")
    hangul_given = row.hangul[1:]
    given_forms = [given, *given_name_forms(hangul_given)]
    aliases = person_variants(SURNAMES.get(surname, [surname]), given_forms)
    aliases = _unique_aliases([*aliases, *(form for extra in row.extra for form in latin_variants(extra))],
                              row.name, row.drop)
    hangul = [form for form in dict.fromkeys([row.hangul, south_korean_form(row.hangul)]) if form not in row.drop]
    return {"slug": _slug(row.name), "name": row.name, "hangul": hangul, "aliases": aliases,
            "description": row.description}


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name).lower()).strip("-")


# The reviewed places, parents before children: the earlier hand-made gazetteer's 209 (slugs and names kept), then
# the places it lacked. Hangul is the North's; the South's forms are made from it.
PLACES = [
    P('pyongyang', 'Pyongyang', 'special-city', None, 85676611, ('평양', '평양시', '평양직할시')),
    P('rason', 'Rason', 'special-city', None, 85676647, ('라선', '라선시', '라선특별시'),
      extra=('Rajin-Sonbong', 'Rajin-Seonbong')),
    P('nampo', 'Nampo', 'special-city', None, 421199693, ('남포', '남포시', '남포특별시'), extra=('Chinnampo',)),
    P('north-pyongan', 'North Pyongan', 'province', None, 85676633, ('평안북도', '평북')),
    P('south-pyongan', 'South Pyongan', 'province', None, 85676637, ('평안남도', '평남')),
    P('chagang', 'Chagang', 'province', None, 85676623, ('자강도',)),
    P('north-hwanghae', 'North Hwanghae', 'province', None, 85676603, ('황해북도', '황북')),
    P('south-hwanghae', 'South Hwanghae', 'province', None, 85676605, ('황해남도', '황남')),
    P('kangwon', 'Kangwon', 'province', None, 85676619, ('강원도',)),
    P('south-hamgyong', 'South Hamgyong', 'province', None, 85676629, ('함경남도', '함남'),
      extra=('South Hamkyung', 'South Hamkyong')),
    P('north-hamgyong', 'North Hamgyong', 'province', None, 85676615, ('함경북도', '함북'),
      extra=('North Hamkyung', 'North Hamkyong')),
    P('ryanggang', 'Ryanggang', 'province', None, 85676641, ('량강도',), extra=('Ryangkang', 'Yangkang')),
    P('chung', 'Chung District', 'district', 'pyongyang', None, ('중구역',), drop=('Jung District',)),
    P('pyongchon', 'Pyongchon', 'district', 'pyongyang', 1260157655, ('평천구역',)),
    P('potonggang', 'Potonggang', 'district', 'pyongyang', None, ('보통강구역',)),
    P('moranbong', 'Moranbong', 'district', 'pyongyang', None, ('모란봉구역',)),
    P('sosong', 'Sosong', 'district', 'pyongyang', None, ('서성구역',)),
    P('sonkyo', 'Sonkyo', 'district', 'pyongyang', None, ('선교구역',)),
    P('tongdaewon', 'Tongdaewon', 'district', 'pyongyang', None, ('동대원구역',)),
    P('taedonggang', 'Taedonggang', 'district', 'pyongyang', None, ('대동강구역',)),
    P('sadong', 'Sadong', 'district', 'pyongyang', 1327220369, ('사동구역',)),
    P('taesong', 'Taesong', 'district', 'pyongyang', None, ('대성구역',)),
    P('mangyongdae', 'Mangyongdae', 'district', 'pyongyang', 1243151751, ('만경대구역',)),
    P('hyongjesan', 'Hyongjesan', 'district', 'pyongyang', None, ('형제산구역',)),
    P('ryongsong', 'Ryongsong', 'district', 'pyongyang', None, ('룡성구역',)),
    P('samsok', 'Samsok', 'district', 'pyongyang', None, ('삼석구역',)),
    P('ryokpo', 'Ryokpo', 'district', 'pyongyang', None, ('력포구역',)),
    P('rakrang', 'Rakrang', 'district', 'pyongyang', None, ('락랑구역',),
      extra=('Nakrang District', 'Nakrang-guyok', 'Rangrang District', 'Rangrang-guyok')),
    P('sunan', 'Sunan', 'district', 'pyongyang', 890416365, ('순안구역',)),
    P('unjong', 'Unjong', 'district', 'pyongyang', 1108747211, ('은정구역',)),
    P('kangdong', 'Kangdong', 'county', 'pyongyang', 1108747811, ('강동군',)),
    P('kangnam', 'Kangnam', 'county', 'pyongyang', 1108747815, ('강남군',)),
    P('rajin', 'Rajin', 'district', 'rason', None, ('라진구역', '라진')),
    P('sonbong', 'Sonbong', 'county', 'rason', 890440091, ('선봉구역', '선봉군', '웅기군')),
    P('chollima', 'Chollima District', 'district', 'nampo', 1108747723, ('천리마구역',), extra=('Chonrima-guyok',)),
    P('hanggu', 'Hanggu', 'district', 'nampo', None, ('항구구역',)),
    P('kangso', 'Kangso', 'district', 'nampo', 1108746951, ('강서구역',), drop=('Gangseo District',)),
    P('taean', 'Taean', 'district', 'nampo', 1108748037, ('대안구역',)),
    P('waudo', 'Waudo', 'district', 'nampo', None, ('와우도구역',), extra=('Wau-do District',)),
    P('onchon', 'Onchon', 'county', 'nampo', 1108747027, ('온천군',)),
    P('ryonggang', 'Ryonggang', 'county', 'nampo', 1108747969, ('룡강군',)),
    P('sinuiju', 'Sinuiju', 'city', 'north-pyongan', 1108748005, ('신의주시', '신의주'),
      extra=('Shinuiju', 'Shinuiju City', 'Shinuiju-si', 'Sinuiju Special Administrative Region')),
    P('jongju', 'Jongju', 'city', 'north-pyongan', 1108747793, ('정주시',)),
    P('kusong', 'Kusong', 'city', 'north-pyongan', 1108747859, ('구성시',)),
    P('changsong', 'Changsong', 'county', 'north-pyongan', 1108747721, ('창성군',)),
    P('chonma', 'Chonma', 'county', 'north-pyongan', 1108746867, ('천마군',)),
    P('cholsan', 'Cholsan', 'county', 'north-pyongan', 1108747725, ('철산군',)),
    P('hyangsan', 'Hyangsan', 'county', 'north-pyongan', 1108746901, ('향산군',)),
    P('kujang', 'Kujang', 'county', 'north-pyongan', 1108746979, ('구장군',)),
    P('kwaksan', 'Kwaksan', 'county', 'north-pyongan', 1108746995, ('곽산군',)),
    P('yongbyon', 'Yongbyon', 'county', 'north-pyongan', 1108747023, ('녕변군', '녕변')),
    P('pakchon', 'Pakchon', 'county', 'north-pyongan', 1108747909, ('박천군',)),
    P('pihyon', 'Pihyon', 'county', 'north-pyongan', 1108747047, ('피현군',)),
    P('pyoktong', 'Pyoktong', 'county', 'north-pyongan', 1108747945, ('벽동군',),
      extra=('Phyoktong County', 'Phyoktong-gun')),
    P('ryongchon', 'Ryongchon', 'county', 'north-pyongan', 1108747965, ('룡천군',)),
    P('sakju', 'Sakju', 'county', 'north-pyongan', 1108747105, ('삭주군',)),
    P('sindo', 'Sindo', 'county', 'north-pyongan', 1108747127, ('신도군',)),
    P('sonchon', 'Sonchon', 'county', 'north-pyongan', 1108747147, ('선천군',)),
    P('taechon', 'Taechon', 'county', 'north-pyongan', 1108747183, ('태천군',)),
    P('taegwan', 'Taegwan', 'county', 'north-pyongan', 1108748041, ('대관군',)),
    P('tongchang', 'Tongchang', 'county', 'north-pyongan', 1108747195, ('동창군',)),
    P('tongrim', 'Tongrim', 'county', 'north-pyongan', 1108747199, ('동림군',)),
    P('uiju', 'Uiju', 'county', 'north-pyongan', 1108747205, ('의주군',)),
    P('unjon', 'Unjon', 'county', 'north-pyongan', 1108747213, ('운전군',)),
    P('unsan-north-pyongan', 'Unsan', 'county', 'north-pyongan', 1108748089, ('운산군',),
      extra=('Unsan County, North Pyongan',)),
    P('yomju', 'Yomju', 'county', 'north-pyongan', 1108748105, ('염주군',)),
    P('pyongsong', 'Pyongsong', 'city', 'south-pyongan', 1108747949, ('평성시', '평성')),
    P('anju', 'Anju', 'city', 'south-pyongan', 1108746847, ('안주시',)),
    P('kaechon', 'Kaechon', 'city', 'south-pyongan', 1108747803, ('개천시',)),
    P('sunchon', 'Sunchon', 'city', 'south-pyongan', 1108748035, ('순천시',)),
    P('tokchon', 'Tokchon', 'city', 'south-pyongan', 1108747191, ('덕천시',)),
    P('chungsan', 'Chungsan', 'county', 'south-pyongan', 1108747801, ('증산군',)),
    P('hoechang', 'Hoechang', 'county', 'south-pyongan', 1108746883, ('회창군',)),
    P('maengsan', 'Maengsan', 'county', 'south-pyongan', 1108747005, ('맹산군',)),
    P('mundok', 'Mundok', 'county', 'south-pyongan', 1108747011, ('문덕군',)),
    P('nyongwon', 'Nyongwon', 'county', 'south-pyongan', 1108747025, ('녕원군',)),
    P('pukchang', 'Pukchang', 'county', 'south-pyongan', 1108747069, ('북창군',)),
    P('pyongwon', 'Pyongwon', 'county', 'south-pyongan', 1108747925, ('평원군',)),
    P('sinyang', 'Sinyang', 'county', 'south-pyongan', 1108747141, ('신양군',)),
    P('songchon', 'Songchon', 'county', 'south-pyongan', 1108747149, ('성천군',)),
    P('sukchon', 'Sukchon', 'county', 'south-pyongan', 1108748033, ('숙천군',)),
    P('taehung', 'Taehung', 'county', 'south-pyongan', 1108748047, ('대흥군',)),
    P('taedong', 'Taedong', 'county', 'south-pyongan', 1108748039, ('대동군',)),
    P('unsan-south-pyongan', 'Unsan', 'county', 'south-pyongan', 1108748091, ('은산군',),
      extra=('Unsan County, South Pyongan',)),
    P('yangdok', 'Yangdok', 'county', 'south-pyongan', 1108748101, ('양덕군',)),
    P('chongnam', 'Chongnam', 'district', 'south-pyongan', 1108746865, ('청남구',),
      extra=('Chongnam-guyok', 'Cheongnam-guyok')),
    P('tukjang', 'Tukjang', 'district', 'south-pyongan', 1108747203, ('득장지구',),
      extra=('Tukjang-guyok', 'Tukchang-guyok', 'Deukjang-guyok')),
    P('ungok', 'Ungok', 'district', 'south-pyongan', None, ('운곡지구',), extra=('Ungok-guyok',)),
    P('kanggye', 'Kanggye', 'city', 'chagang', 1108747813, ('강계시', '강계')),
    P('manpo', 'Manpo', 'city', 'chagang', 1108747007, ('만포시', '만포')),
    P('huichon', 'Huichon', 'city', 'chagang', 1108747761, ('희천시', '희천')),
    P('changgang', 'Changgang', 'county', 'chagang', 1108746911, ('장강군',)),
    P('chasong', 'Chasong', 'county', 'chagang', 1108746919, ('자성군',)),
    P('chonchon', 'Chonchon', 'county', 'chagang', 1108747789, ('전천군',)),
    P('chosan', 'Chosan', 'county', 'chagang', 1108747741, ('초산군',)),
    P('chunggang', 'Chunggang', 'county', 'chagang', 1108747797, ('중강군',)),
    P('hwapyong', 'Hwapyong', 'county', 'chagang', 1108747767, ('화평군',)),
    P('kopung', 'Kopung', 'county', 'chagang', 1108746971, ('고풍군',)),
    P('rangrim', 'Rangrim', 'county', 'chagang', 1108747957, ('랑림군',)),
    P('ryongrim', 'Ryongrim', 'county', 'chagang', 1108747103, ('룡림군',)),
    P('sijung', 'Sijung', 'county', 'chagang', 1108747121, ('시중군',)),
    P('songgan', 'Songgan', 'county', 'chagang', 1108748019, ('성간군',)),
    P('songwon', 'Songwon', 'county', 'chagang', 1108748027, ('송원군',)),
    P('tongsin', 'Tongsin', 'county', 'chagang', 1108747201, ('동신군',)),
    P('usi', 'Usi', 'county', 'chagang', 1108747225, ('우시군',)),
    P('wiwon', 'Wiwon', 'county', 'chagang', 1108747227, ('위원군',)),
    P('hyesan', 'Hyesan', 'city', 'ryanggang', 1108746903, ('혜산시', '혜산')),
    P('samjiyon', 'Samjiyon', 'city', 'ryanggang', 1108747111, ('삼지연시', '삼지연', '삼지연군')),
    P('kapsan', 'Kapsan', 'county', 'ryanggang', 1108746953, ('갑산군',)),
    P('kimhyonggwon', 'Kimhyonggwon', 'county', 'ryanggang', 1108746959, ('김형권군',),
      extra=('Kim Hyong Gwon County', 'Kim Hyong Gwon-gun', 'Kim Hyong-gwon County', 'Kim Hyong-gwon-gun'),
      drop=('Kim Hyong Gwon', 'Kim Hyong-gwon', 'Kim Hyonggwon')),
    P('kimhyongjik', 'Kimhyongjik', 'county', 'ryanggang', 1108746965, ('김형직군', '후창군'),
      extra=('Kim Hyong Jik County', 'Kim Hyong Jik-gun', 'Kim Hyong-jik County', 'Kim Hyong-jik-gun'),
      drop=('Kim Hyong Jik', 'Kim Hyong-jik', 'Kim Hyongjik', 'Kimh Yong Jik')),
    P('kimjongsuk', 'Kimjongsuk', 'county', 'ryanggang', 1108746961, ('김정숙군', '신파군'),
      extra=('Kim Jong Suk County', 'Kim Jong Suk-gun', 'Kim Jong-suk County', 'Kim Jong-suk-gun'),
      drop=('Kim Jong Suk', 'Kim Jong-suk', 'Kim Jongsuk')),
    P('paegam', 'Paegam', 'county', 'ryanggang', 1108747907, ('백암군',), extra=('Paekam County', 'Paekam-gun')),
    P('pochon', 'Pochon', 'county', 'ryanggang', 1108747927, ('보천군',)),
    P('pungso', 'Pungso', 'county', 'ryanggang', 1108747049, ('풍서군',)),
    P('samsu', 'Samsu', 'county', 'ryanggang', 1108747113, ('삼수군',)),
    P('taehongdan', 'Taehongdan', 'county', 'ryanggang', 1108748045, ('대홍단군',)),
    P('unhung', 'Unhung', 'county', 'ryanggang', 1108747209, ('운흥군',)),
    P('chongjin', 'Chongjin', 'city', 'north-hamgyong', 1108746863, ('청진시', '청진')),
    P('kimchaek', 'Kimchaek', 'city', 'north-hamgyong', 1108746957, ('김책시', '김책')),
    P('hoeryong', 'Hoeryong', 'city', 'north-hamgyong', 1108746885, ('회령시', '회령')),
    P('hwadae', 'Hwadae', 'county', 'north-hamgyong', 1108747763, ('화대군',)),
    P('hwasong', 'Hwasong County', 'county', 'north-hamgyong', 1108747019, ('화성군', '명간군')),
    P('kilju', 'Kilju', 'county', 'north-hamgyong', 1108746955, ('길주군',)),
    P('kyongsong', 'Kyongsong', 'county', 'north-hamgyong', 1108747001, ('경성군',)),
    P('kyonghung', 'Kyonghung', 'county', 'north-hamgyong', 1108746997, ('경흥군', '은덕군')),
    P('kyongwon', 'Kyongwon', 'county', 'north-hamgyong', 1108747003, ('경원군', '새별군'),
      extra=('Saepyol County', 'Saepyol-gun')),
    P('musan', 'Musan', 'county', 'north-hamgyong', 1108747013, ('무산군',)),
    P('myongchon', 'Myongchon', 'county', 'north-hamgyong', 1108747015, ('명천군',)),
    P('onsong', 'Onsong', 'county', 'north-hamgyong', 1108747901, ('온성군',)),
    P('orang', 'Orang', 'county', 'north-hamgyong', 1108747903, ('어랑군',)),
    P('puryong', 'Puryong', 'county', 'north-hamgyong', 1108747943, ('부령군',)),
    P('yonsa', 'Yonsa', 'county', 'north-hamgyong', 1108748113, ('연사군',)),
    P('hamhung', 'Hamhung', 'city', 'south-hamgyong', 1108747745, ('함흥시', '함흥')),
    P('sinpo', 'Sinpo', 'city', 'south-hamgyong', 1108748003, ('신포시', '신포')),
    P('tanchon', 'Tanchon', 'city', 'south-hamgyong', 1108748049, ('단천시', '단천')),
    P('changjin', 'Changjin', 'county', 'south-hamgyong', 1108746913, ('장진군',)),
    P('chongpyong', 'Chongpyong', 'county', 'south-hamgyong', 1108747795, ('정평군',)),
    P('hamju', 'Hamju', 'county', 'south-hamgyong', 1108747747, ('함주군',)),
    P('hochon', 'Hochon', 'county', 'south-hamgyong', 1108746881, ('허천군',)),
    P('hongwon', 'Hongwon', 'county', 'south-hamgyong', 1108746889, ('홍원군',)),
    P('kowon', 'Kowon', 'county', 'south-hamgyong', 1108746977, ('고원군',)),
    P('kumya', 'Kumya', 'county', 'south-hamgyong', 1108747857, ('금야군',)),
    P('nakwon', 'Nakwon', 'county', 'south-hamgyong', 1108747955, ('락원군',)),
    P('pujon', 'Pujon', 'county', 'south-hamgyong', 1108747067, ('부전군',)),
    P('pukchong', 'Pukchong', 'county', 'south-hamgyong', 1108747941, ('북청군',)),
    P('riwon', 'Riwon', 'county', 'south-hamgyong', 1108747095, ('리원군',)),
    P('sinhung', 'Sinhung', 'county', 'south-hamgyong', 1108747129, ('신흥군',)),
    P('toksong', 'Toksong', 'county', 'south-hamgyong', 1108747193, ('덕성군',)),
    P('yodok', 'Yodok', 'county', 'south-hamgyong', 1108748103, ('요덕군',),
      extra=('Yoduk', 'Yoduk County', 'Yoduk-gun')),
    P('yonggwang', 'Yonggwang', 'county', 'south-hamgyong', 1108748109, ('영광군',)),
    P('wonsan', 'Wonsan', 'city', 'kangwon', 1108747229, ('원산시', '원산')),
    P('munchon', 'Munchon', 'city', 'kangwon', 1108747009, ('문천시', '문천')),
    P('anbyon', 'Anbyon', 'county', 'kangwon', 1108746845, ('안변군',)),
    P('changdo', 'Changdo', 'county', 'kangwon', 1108746849, ('창도군',)),
    P('chorwon', 'Chorwon', 'county', 'kangwon', 1108747727, ('철원군',)),
    P('chonnae', 'Chonnae', 'county', 'kangwon', 1108746869, ('천내군',)),
    P('hoeyang', 'Hoeyang', 'county', 'kangwon', 1108746887, ('회양군',)),
    P('ichon', 'Ichon', 'county', 'kangwon', 1108746905, ('이천군',)),
    P('kimhwa', 'Kimhwa', 'county', 'kangwon', 1108746967, ('김화군',)),
    P('kosan', 'Kosan', 'county', 'kangwon', 1108746973, ('고산군',)),
    P('kosong', 'Kosong', 'county', 'kangwon', 1108746975, ('고성군',)),
    P('kumgang', 'Kumgang', 'county', 'kangwon', 1108747853, ('금강군',)),
    P('pangyo', 'Pangyo', 'county', 'kangwon', 1108747045, ('판교군',)),
    P('popdong', 'Popdong', 'county', 'kangwon', 1108747065, ('법동군',)),
    P('pyonggang', 'Pyonggang', 'county', 'kangwon', 1108747947, ('평강군',)),
    P('sepo', 'Sepo', 'county', 'kangwon', 1108747119, ('세포군',)),
    P('tongchon', 'Tongchon', 'county', 'kangwon', 1108747187, ('통천군',)),
    P('haeju', 'Haeju', 'city', 'south-hwanghae', 1108747743, ('해주시',)),
    P('anak', 'Anak', 'county', 'south-hwanghae', 1108746843, ('안악군',)),
    P('chaeryong', 'Chaeryong', 'county', 'south-hwanghae', 1108746907, ('재령군',)),
    P('changyon', 'Changyon', 'county', 'south-hwanghae', 1108746917, ('장연군',)),
    P('chongdan', 'Chongdan', 'county', 'south-hwanghae', 1108747729, ('청단군',)),
    P('kangryong', 'Kangryong', 'county', 'south-hwanghae', 1108747817, ('강령군',)),
    P('kwail', 'Kwail', 'county', 'south-hwanghae', 1108746993, ('과일군',)),
    P('ongjin', 'Ongjin', 'county', 'south-hwanghae', 1108747029, ('옹진군',)),
    P('paechon', 'Paechon', 'county', 'south-hwanghae', 1108747905, ('배천군',)),
    P('pongchon', 'Pongchon', 'county', 'south-hwanghae', 1108747061, ('봉천군',)),
    P('pyoksong', 'Pyoksong', 'county', 'south-hwanghae', 1108747921, ('벽성군',),
      extra=('Phyoksong County', 'Phyoksong-gun')),
    P('ryongyon', 'Ryongyon', 'county', 'south-hwanghae', 1108747967, ('룡연군',)),
    P('samchon', 'Samchon', 'county', 'south-hwanghae', 1108747109, ('삼천군',)),
    P('sinchon', 'Sinchon', 'county', 'south-hwanghae', 1108747123, ('신천군',)),
    P('sinwon', 'Sinwon', 'county', 'south-hwanghae', 1108748009, ('신원군',)),
    P('songhwa', 'Songhwa', 'county', 'south-hwanghae', 1108748021, ('송화군',)),
    P('taetan', 'Taetan', 'county', 'south-hwanghae', 1108747185, ('태탄군',)),
    P('unchon', 'Unchon', 'county', 'south-hwanghae', 1108747207, ('은천군',)),
    P('unryul', 'Unryul', 'county', 'south-hwanghae', 1108747219, ('은률군',),
      extra=('Unnyul', 'Unnyul County', 'Unnyul-gun', 'Eunnyul County', 'Eunnyul-gun')),
    P('yonan', 'Yonan', 'county', 'south-hwanghae', 1108748107, ('연안군',)),
    P('sariwon', 'Sariwon', 'city', 'north-hwanghae', 1108747117, ('사리원시', '사리원')),
    P('songrim', 'Songrim', 'city', 'north-hwanghae', 1108748023, ('송림시',)),
    P('kaesong', 'Kaesong', 'city', 'north-hwanghae', 1108747807, ('개성시', '개성특급시'),
      extra=('Kaesong Directly Governed City',)),
    P('changpung', 'Changpung', 'county', 'north-hwanghae', 1108746915, ('장풍군',)),
    P('chunghwa', 'Chunghwa', 'county', 'north-hwanghae', 1108747799, ('중화군',)),
    P('hwangju', 'Hwangju', 'county', 'north-hwanghae', 1108747765, ('황주군',)),
    P('koksan', 'Koksan', 'county', 'north-hwanghae', 1108746969, ('곡산군',)),
    P('kumchon', 'Kumchon', 'county', 'north-hwanghae', 1108747851, ('금천군',)),
    P('pongsan', 'Pongsan', 'county', 'north-hwanghae', 1108747063, ('봉산군',)),
    P('pyongsan', 'Pyongsan', 'county', 'north-hwanghae', 1108747923, ('평산군',)),
    P('rinsan', 'Rinsan', 'county', 'north-hwanghae', 1108747093, ('린산군',), extra=('Linsan County', 'Linsan-gun')),
    P('sangwon', 'Sangwon', 'county', 'north-hwanghae', 1108747115, ('상원군',)),
    P('singye', 'Singye', 'county', 'north-hwanghae', 1108747999, ('신계군',)),
    P('sinpyong', 'Sinpyong', 'county', 'north-hwanghae', 1108748001, ('신평군',)),
    P('sohung', 'Sohung', 'county', 'north-hwanghae', 1108747145, ('서흥군',)),
    P('suan', 'Suan', 'county', 'north-hwanghae', 1108748029, ('수안군',)),
    P('tosan', 'Tosan', 'county', 'north-hwanghae', 1108747189, ('토산군',)),
    P('unpa', 'Unpa', 'county', 'north-hwanghae', 1108747217, ('은파군',)),
    P('yonsan', 'Yonsan', 'county', 'north-hwanghae', 1108748111, ('연산군',)),
    P('yontan', 'Yontan', 'county', 'north-hwanghae', 1108748117, ('연탄군',)),
    P('sungho', 'Sungho', 'district', 'north-hwanghae', None, ('승호구역',)),
    # Places WOF has that the earlier gazetteer had not, and the towns and sites reports name.
    P('panmun', 'Panmun', 'county', 'north-hwanghae', 1108747043, ('판문군',)),
    P('kaepung', 'Kaepung', 'county', 'north-hwanghae', 1108747805, ('개풍군',)),
    P('kumho', 'Kumho District', 'district', 'south-hamgyong', 1108747855, ('금호지구',)),
    P('sudong', 'Sudong', 'district', 'south-hamgyong', 1108748031, ('수동구',)),
    P('hungnam', 'Hungnam', 'district', 'hamhung', 421175233, ('흥남구역', '흥남')),
    P('sunam', 'Sunam', 'district', 'chongjin', None, ('수남구역',)),
    P('ranam', 'Ranam', 'district', 'chongjin', None, ('라남구역',)),
    P('pohang', 'Pohang District', 'district', 'chongjin', None, ('포항구역',)),
    P('songpyong', 'Songpyong', 'district', 'chongjin', None, ('송평구역',)),
    P('chongam', 'Chongam', 'district', 'chongjin', None, ('청암구역',)),
    P('sinam', 'Sinam District', 'district', 'chongjin', None, ('신암구역',)),
    P('puyun', 'Puyun', 'district', 'chongjin', None, ('부윤구역',)),
    P('yonbong', 'Yonbong', 'town', 'hyesan', None, ('연봉동',)),
    P('kangan', 'Kangan', 'town', 'hyesan', None, ('강안동',)),
    P('hyetan', 'Hyetan', 'town', 'hyesan', None, ('혜탄동',)),
    P('wiyon', 'Wiyon', 'town', 'hyesan', None, ('위연동',)),
    P('songbong', 'Songbong', 'town', 'hyesan', None, ('송봉동',)),
    P('punggye-ri', 'Punggye-ri', 'site', 'kilju', 1209591673, ('풍계리',),
      extra=("P'unggye-ri", 'Phunggye-ri', 'Punggye', 'Punggye-ri Nuclear Test Site')),
    P('sohae', 'Sohae Satellite Launching Station', 'site', 'cholsan', None, ('서해위성발사장', '서해발사장', '동창리'),
      extra=('Sohae', 'Sŏhae', 'Sohae launch site', 'Sohae Satellite Launching Ground', 'Tongchang-ri',
             "Tongch'ang-ri", 'Tongchang-ni', "Tongch'ang-ni", 'Dongchang-ri', 'Tongchang-dong')),
    P('kaesong-industrial-complex', 'Kaesong Industrial Complex', 'site', 'kaesong', None, ('개성공업지구', '개성공단'),
      extra=('Kaesong Industrial Region', 'Kaesong Industrial Zone', 'Kaesong Industrial Park', 'Kaesong complex',
             'Gaeseong Industrial Complex', "Kaesŏng Industrial Region")),
    P('mount-paektu', 'Mount Paektu', 'site', 'samjiyon', None, ('백두산',),
      extra=('Mt. Paektu', 'Mt Paektu', 'Paektusan', 'Paektu-san', 'Paektu Mountain', 'Mount Paekdu', 'Mt. Paekdu',
             'Mount Baekdu', 'Mt. Baekdu', 'Baekdusan')),
    P('mount-kumgang', 'Mount Kumgang', 'site', 'kumgang', None, ('금강산',),
      extra=('Mt. Kumgang', 'Mt Kumgang', 'Kumgangsan', 'Kŭmgangsan', 'Mount Geumgang', 'Mt. Geumgang',
             'Geumgangsan', 'Diamond Mountains')),
]

# The hand-made list of people (surname first, as KCNA and the press write the names).
PEOPLE = [
    Person("Kim Il Sung", "김일성", "founder of North Korea, its leader 1948-1994"),
    Person("Kim Jong Il", "김정일", "leader of North Korea 1994-2011"),
    Person("Kim Jong Un", "김정은", "leader of North Korea since 2011"),
    Person("Kim Yo Jong", "김여정", "sister of Kim Jong Un, senior Party official"),
    Person("Ri Sol Ju", "리설주", "wife of Kim Jong Un"),
    Person("Kim Ju Ae", "김주애", "daughter of Kim Jong Un, as South Korea's intelligence service names her"),
    Person("Kim Jong Nam", "김정남", "half-brother of Kim Jong Un, killed in 2017"),
    Person("Kim Kyong Hui", "김경희", "sister of Kim Jong Il", extra=("Kim Kyong-hee",)),
    Person("Jang Song Thaek", "장성택", "uncle by marriage of Kim Jong Un, executed in 2013",
           extra=("Jang Sung-taek", "Chang Sung-taek", "Jang Song-taek")),
    Person("Choe Ryong Hae", "최룡해", "senior Party and state official"),
    Person("Pak Pong Ju", "박봉주", "premier 2003-2007 and 2013-2019"),
    Person("Kim Jae Ryong", "김재룡", "premier 2019-2020"),
    Person("Kim Tok Hun", "김덕훈", "premier 2020-2024"),
    Person("Pak Thae Song", "박태성", "premier since 2024"),
    Person("Jo Yong Won", "조용원", "Party secretary, close aide of Kim Jong Un"),
    Person("Kim Yong Nam", "김영남", "nominal head of state 1998-2019"),
    Person("Choe Son Hui", "최선희", "foreign minister since 2022", extra=("Choe Son-hee", "Choi Son-hee")),
    Person("Ri Son Gwon", "리선권", "foreign minister 2020-2022"),
    Person("Ri Yong Ho", "리용호", "foreign minister 2016-2020",
           drop=("이용호", "Lee Yong Ho", "Lee Yong-ho", "Lee Yongho", "Yi Yong Ho", "Yi Yong-ho", "Yi Yongho")),
    Person("Ri Su Yong", "리수용", "foreign minister 2014-2016, later a Party secretary"),
    Person("Kim Yong Chol", "김영철", "former intelligence chief, negotiator with the United States"),
    Person("Kim Yang Gon", "김양건", "head of the Party's United Front Department, died in 2015"),
    Person("Kang Sok Ju", "강석주", "foreign policy official, died in 2016"),
    Person("Kim Song Nam", "김성남", "Party official for international affairs"),
    Person("Hyon Song Wol", "현송월", "head of the Moranbong Band, Party official"),
    Person("Ri Il Hwan", "리일환", "Party secretary for propaganda"),
    Person("Ri Man Gon", "리만건", "Party official"),
    Person("O Su Yong", "오수용", "Party secretary for the economy"),
    Person("Hwang Pyong So", "황병서", "director of the army's General Political Bureau 2014-2017"),
    Person("Ri Pyong Chol", "리병철", "military and munitions official",
           drop=("이병철", "Lee Byeong Cheol", "Lee Byeong-cheol", "Lee Byeongcheol", "Yi Byeong Cheol",
                 "Yi Byeong-cheol", "Yi Byeongcheol", "Rhee Byeong Cheol", "Rhee Byeong-cheol", "Rhee Byeongcheol")),
    Person("Pak Jong Chon", "박정천", "military official, Party secretary"),
    Person("Jong Kyong Thaek", "정경택", "military political official", extra=("Jong Kyong-taek",)),
    Person("Ri Yong Gil", "리영길", "army chief of general staff, defence minister"),
    Person("Hyon Yong Chol", "현영철", "defence minister, executed in 2015"),
    Person("Kim Won Hong", "김원홍", "minister of state security until 2017"),
    Person("Ri Chun Hi", "리춘히", "news presenter of Korean Central Television",
           extra=("Ri Chun-hee", "Ri Chun Hee", "Ri Chun-hi")),
]
