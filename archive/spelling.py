"""How Korean names are written: one name, many spellings, in Latin letters and in Hangul.

Three romanisations are in use (``../shared/korea/README.md`` says more): McCune-Reischauer (MR: ``P'yŏngyang``,
``Ch'oe Ryong-hae``), the North's own (``Phyongyang``, ``Choe Ryong Hae``, as KCNA writes) and the South's Revised
Romanization (RR: ``Pyeongyang``, ``Choe Ryong-hae``). The press drops MR's breves and apostrophes, types the
apostrophe as ``’`` or ``´``, and joins or hyphenates the syllables of a given name at will. Hangul differs between
the Koreas too: the South drops an initial ㄹ or ㄴ that the North keeps (량강도/양강도, 리설주/이설주).

This module only spells: ``fold`` and ``name_key`` make two spellings compare equal, ``romanize`` writes Hangul in
each system, ``south_korean_form`` applies the South's initial-sound rule, ``latin_variants``/``person_variants``
generate the mechanical forms. Which forms a place or person really has is data, reviewed by hand
(``archive.gazetteer_build``); this module is the mechanism the review starts from, and the one the matcher and the
search side fold text and queries with.
"""

import re
import unicodedata
from itertools import product

HANGUL_SYLLABLE = re.compile("[\uac00-\ud7a3]")
_APOSTROPHES = "\u2019\u2018\u00b4`\u02bc\u02bb\u2032"  # ’ ‘ ´ ` ʼ ʻ ′: how an MR apostrophe gets typed


def _fold_table() -> dict[int, str]:
    """Every accented Latin letter (Latin-1 to Latin Extended-B) to its base letter, one character for one, and every
    apostrophe look-alike to ``'``: so a folded string has the length of its source and positions carry over."""
    table = {ord(char): "'" for char in _APOSTROPHES}
    for code in range(0x00C0, 0x0250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Accents off and apostrophes made plain (``P’yŏngyang`` -> ``P'yongyang``), case kept. The text is composed
    (NFC) first, so a breve typed as a combining mark folds too; for composed text the result has the same length,
    so a match in the folded text is at the same place in the text."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def fold_key(text: str) -> str:
    """The form a name is matched in: folded, lower case, single spaces."""
    return " ".join(fold(text).lower().split())


def name_key(text: str) -> str:
    """What two spellings of one name share once spacing, hyphens, apostrophes and accents are ignored:
    ``Kim Jong-un``, ``Kim Jong Un`` and ``Kim Jongun`` -> ``kimjongun``; ``P'yŏngyang`` -> ``pyongyang``. For
    looking up a query, where a typed hyphen or space should not matter."""
    return "".join(char for char in fold(text).lower() if char.isalnum())


def has_hangul(text: str) -> bool:
    return HANGUL_SYLLABLE.search(text) is not None


# Hangul syllables: initial (19) x medial (21) x final (28, 0 = none), from U+AC00.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ",
           "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]


def decompose(syllable: str) -> tuple[str, str, str]:
    """(initial, medial, final) jamo of one Hangul syllable; the final is '' when there is none."""
    code = ord(syllable) - 0xAC00
    return _INITIALS[code // 588], _MEDIALS[code % 588 // 28], _FINALS[code % 28]


def compose(initial: str, medial: str, final: str = "") -> str:
    return chr(0xAC00 + _INITIALS.index(initial) * 588 + _MEDIALS.index(medial) * 28 + _FINALS.index(final))


_Y_OR_I = set("ㅑㅒㅕㅖㅛㅠㅣ")


def south_korean_form(word: str) -> str:
    """The South's spelling of a word the North spells with an initial ㄹ or ㄴ (두음법칙): ㄹ before i/y -> ㅇ,
    other ㄹ -> ㄴ, ㄴ before i/y -> ㅇ. 량강도 -> 양강도, 녕변 -> 영변, 리설주 -> 이설주, 락원 -> 낙원; other words
    are returned as they are."""
    if not word or not HANGUL_SYLLABLE.match(word[0]):
        return word
    initial, medial, final = decompose(word[0])
    if initial == "ㄹ":
        initial = "ㅇ" if medial in _Y_OR_I else "ㄴ"
    elif initial == "ㄴ" and medial in _Y_OR_I:
        initial = "ㅇ"
    return compose(initial, medial, final) + word[1:]


# Romanisation tables. Initials: (MR, MR voiced, North, North voiced, RR); a voiced form is used between voiced sounds.
_INITIAL_ROMAN = {
    "ㄱ": ("k", "g", "k", "g", "g"), "ㄲ": ("kk", "kk", "kk", "kk", "kk"), "ㄴ": ("n", "n", "n", "n", "n"),
    "ㄷ": ("t", "d", "t", "d", "d"), "ㄸ": ("tt", "tt", "tt", "tt", "tt"), "ㄹ": ("r", "r", "r", "r", "r"),
    "ㅁ": ("m", "m", "m", "m", "m"), "ㅂ": ("p", "b", "p", "b", "b"), "ㅃ": ("pp", "pp", "pp", "pp", "pp"),
    "ㅅ": ("s", "s", "s", "s", "s"), "ㅆ": ("ss", "ss", "ss", "ss", "ss"), "ㅇ": ("", "", "", "", ""),
    "ㅈ": ("ch", "j", "j", "j", "j"), "ㅉ": ("tch", "tch", "jj", "jj", "jj"), "ㅊ": ("ch'", "ch'", "ch", "ch", "ch"),
    "ㅋ": ("k'", "k'", "kh", "kh", "k"), "ㅌ": ("t'", "t'", "th", "th", "t"), "ㅍ": ("p'", "p'", "ph", "ph", "p"),
    "ㅎ": ("h", "h", "h", "h", "h"),
}
_MEDIAL_MR = ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi", "yu",
              "ŭ", "ŭi", "i"]
_MEDIAL_RR = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
              "eu", "ui", "i"]
# A final's sound class before a consonant or at the end of a word.
_FINAL_CLASS = {"": "", "ㄱ": "k", "ㄲ": "k", "ㄳ": "k", "ㄺ": "k", "ㅋ": "k", "ㄴ": "n", "ㄵ": "n", "ㄶ": "n",
                "ㄷ": "t", "ㅅ": "t", "ㅆ": "t", "ㅈ": "t", "ㅊ": "t", "ㅌ": "t", "ㅎ": "t", "ㄹ": "l", "ㄼ": "l",
                "ㄽ": "l", "ㄾ": "l", "ㅀ": "l", "ㅁ": "m", "ㄻ": "m", "ㅂ": "p", "ㅍ": "p", "ㅄ": "p", "ㄿ": "p",
                "ㅇ": "ng"}
# Finals carried over to a following vowel (연음): the next syllable starts with them.
_LINKED = set("ㄱㄲㄷㅂㅅㅆㅈㅊㅋㅌㅍㄹㄴㅁ")
SYSTEMS = ("mr", "north", "rr")


def romanize(hangul: str, system: str, *, word_initial: bool = True) -> str:
    """One Hangul word in Latin letters, by ``system``: ``mr`` (McCune-Reischauer, with breves and apostrophes),
    ``north`` (the North's own: ``ch``, ``kh``, ``th``, ``ph`` for the aspirates, ``j`` for ㅈ) or ``rr`` (Revised
    Romanization). Sound changes between syllables are applied as the systems write them: nasal assimilation
    (동림 -> Tongnim), ㄹ after ㄴ (신라 -> Silla), a final carried over to a following vowel, and in MR and the
    North's system the voicing of k/t/p/ch between voiced sounds (자강 -> Chagang/Jagang). ``word_initial=False``
    spells the first syllable as if a voiced sound preceded it (the second syllable of a given name). Lower case;
    characters other than Hangul syllables are kept."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown romanisation system {system!r}")
    syllables = [decompose(char) if HANGUL_SYLLABLE.match(char) else None for char in hangul]
    out = []
    for index, parts in enumerate(syllables):
        if parts is None:
            out.append(hangul[index])
            continue
        initial, medial, final = parts
        previous = syllables[index - 1] if index else None
        following = syllables[index + 1] if index + 1 < len(syllables) else None
        out.append(_onset(initial, previous, system, voiced_start=not word_initial and index == 0))
        vowel = (_MEDIAL_RR if system == "rr" else _MEDIAL_MR)[_MEDIALS.index(medial)]
        out.append(fold(vowel) if system == "north" else vowel)
        out.append(_coda(final, following))
    return "".join(out)


def _onset(initial: str, previous: tuple | None, system: str, *, voiced_start: bool) -> str:
    column = {"mr": 0, "north": 2, "rr": 4}[system]
    if previous is None:
        return _INITIAL_ROMAN[initial][column + (1 if voiced_start and system != "rr" else 0)]
    prev_final = previous[2]
    prev_class = _FINAL_CLASS[prev_final]
    if initial == "ㅇ":
        return _INITIAL_ROMAN[prev_final][column + (1 if system != "rr" else 0)] if prev_final in _LINKED else ""
    if initial == "ㄹ":
        return "l" if prev_class in ("n", "l") else "n" if prev_class else "r"
    if initial == "ㄴ" and prev_class == "l":
        return "l"  # 설날 -> sŏllal
    voiced = prev_class in ("", "n", "m", "ng", "l")
    onset = _INITIAL_ROMAN[initial][column + (1 if voiced and system != "rr" else 0)]
    if system == "mr" and prev_class == "n" and onset.startswith("g"):
        onset = "'" + onset  # MR's n'g: not the ng of a final ㅇ (Man'gyŏngdae)
    return onset


def _coda(final: str, following: tuple | None) -> str:
    if not final:
        return ""
    if following is not None and following[0] == "ㅇ" and (final in _LINKED or final == "ㅎ"):
        return ""  # carried over as the next syllable's onset (a final ㅎ is silent there)
    sound = _FINAL_CLASS[final]
    if following is not None and following[0] in ("ㄴ", "ㅁ", "ㄹ"):  # nasal assimilation: 동림 -> Tongnim
        return {"k": "ng", "t": "n", "p": "m"}.get(sound, "l" if sound == "n" and following[0] == "ㄹ" else sound)
    return sound


def capitalize_words(text: str) -> str:
    """``p'yŏngyang`` -> ``P'yŏngyang``, ``hamgyŏng-bukto`` -> ``Hamgyŏng-bukto``: the first letter of each
    space-separated word in capitals, nothing else changed."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split(" "))


# Administrative suffixes written after a hyphen (Hyesan-si, Samsu-gun): a hyphen before one is not joined away.
ADMINISTRATIVE_SUFFIX = re.compile(
    r"-(si|shi|gun|kun|do|guyok|kuyok|guyŏk|guyeok|gu|ku|jigu|chigu|up|ŭp|eup|ri|ni|li|dong|tong)$", re.I)


def latin_variants(name: str, *, join: bool = True) -> list[str]:
    """The mechanical Latin forms of one spelling: breves folded (``ŏ`` -> ``o``), an MR apostrophe dropped or
    written ``h`` as the North does (``P'yŏngyang`` -> ``Pyongyang``, ``Phyongyang``; ``ch'`` stays ``ch``), and a
    hyphen between parts of a name joined (``Hamgyong-bukto`` -> ``Hamgyongbukto``), or made a space between two
    capitalised parts (``Rajin-Sonbong`` -> ``Rajin Sonbong``); a hyphen before an administrative suffix
    (``-si``, ``-gun``) stays; ``join=False`` keeps every hyphen. The name first."""
    forms = [name]
    folded = fold(name)
    forms.append(folded)
    if "'" in folded:
        forms.append(folded.replace("'", ""))
        forms.append(re.sub(r"(?<=[ptkPTK])'", "h", folded).replace("'", ""))
    for form in list(forms):
        suffix = ADMINISTRATIVE_SUFFIX.search(form)
        body, tail = (form[:suffix.start()], suffix.group()) if suffix else (form, "")
        if join and "-" in body:
            parts = body.split("-")
            forms.append(parts[0] + "".join(part.lower() for part in parts[1:]) + tail)
            if all(part[:1].isupper() for part in parts):
                forms.append(" ".join(parts) + tail)
    return _unique(forms)


def given_name_forms(hangul: str) -> list[list[str]]:
    """The syllables of a Korean given name in each system (MR, the North's, RR), capitalised: 정은 ->
    [["Chŏng", "Ŭn"], ["Jong", "Un"], ["Jeong", "Eun"]]. The second syllable is voiced after a voiced sound, as the
    systems write names (여정 -> Yŏ-jŏng, Yo Jong)."""
    forms = []
    for system in SYSTEMS:
        syllables = []
        for index, char in enumerate(hangul):
            previous_final = decompose(hangul[index - 1])[2] if index else None
            voiced = index > 0 and _FINAL_CLASS[previous_final] in ("", "n", "m", "ng", "l")
            syllables.append(capitalize_words(romanize(char, system, word_initial=not voiced)))
        forms.append(syllables)
    return forms


def join_given_name(syllables: list[str]) -> list[str]:
    """A given name as the press writes it: spaced (``Jong Un``), hyphenated (``Jong-un``) and joined (``Jongun``)."""
    if len(syllables) == 1:
        return syllables
    tail = [syllable.lower() for syllable in syllables[1:]]
    return [" ".join(syllables), "-".join([syllables[0], *tail]), "".join([syllables[0], *tail])]


def person_variants(surnames: list[str], given_names: list[list[str]]) -> list[str]:
    """Every surname spelling with every given-name spelling and join, each also folded and without apostrophes:
    ``Kim`` x ``Jong Un``/``Chŏng-ŭn``/``Jeong-eun`` -> ``Kim Jong Un``, ``Kim Jong-un``, ``Kim Jongun``,
    ``Kim Chŏng-ŭn``, ``Kim Chong-un``, ...; the order is stable (surnames first to last, then given names)."""
    forms = []
    for surname, syllables in product(surnames, given_names):
        for given in join_given_name(syllables):
            full = f"{surname} {given}"
            forms.extend([full, fold(full), fold(full).replace("'", "")])
    return _unique(forms)


def _unique(forms) -> list[str]:
    seen, out = set(), []
    for form in forms:
        form = " ".join(form.split())
        if form and form not in seen:
            seen.add(form)
            out.append(form)
    return out
