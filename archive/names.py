"""An author's family and given names, so that every citation the archive gives files the name the right way round.

Korean names put the family name first: "Jong So Yong" is Ms Jong. A reference manager told only "Jong So Yong"
guesses the Western order and files her as "Yong"; told "Jong, So Yong" it cannot go wrong. Ingest guesses the parts
(``guess_name_parts``) and an archivist corrects them in the admin; the formats then write them unambiguously
(``citation_author`` and RIS as "Family, Given", BibTeX as "{Family}, Given", CSL-JSON as ``family``/``given``).

The guess: a name written "Family, Given" says so; a name whose first word is a Korean family name (in any of the
usual romanizations, or the first syllable of a Hangul name) is family-name-first; any other name is read in the
Western order, its last word the family name.
"""

from dataclasses import dataclass

# Korean family names as bylines romanize them (South Korean, North Korean and McCune-Reischauer spellings). Left out
# on purpose: one- and two-letter spellings that are common English words or given names in bylines ("An", "In",
# "O", "U", "Do", "To", "No", "Go"), which would turn a Western byline round.
KOREAN_FAMILY_NAMES = frozenset(
    """
    ahn bae baek bak ban bang byun byeon cha chae chang cheon cheong chin cho choe choi chong chu chun chung eom gang
    geum gil gim gong gu gwak gwon ha ham han heo ho hong hur hwang hyeon hyun im jang jeon jeong ji jin jo jon jong
    joo ju jung kang kil kim ko koh kong ku kum kwak kwon lee li lim ma maeng min mo moon mun myung na nam noh oh ok
    pae paek paik pak pang park pyo pyon rhee ri rim rho roh ryang ryu ryoo seo seok seong shin sin so sohn sok son
    song suh sung tak um won woo wi yang yeo yeom yi yom yoo yoon yu yuk yun
    """.split()
)
# Two-syllable Hangul family names; every other Hangul family name is one syllable.
HANGUL_TWO_SYLLABLE_FAMILY_NAMES = frozenset({"남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "하후"})


@dataclass(frozen=True)
class PersonName:
    family: str
    given: str = ""

    @property
    def inverted(self) -> str:
        """'Jong, So Yong': the form citation_author and RIS want; just the family name when no given name is known."""
        return f"{self.family}, {self.given}" if self.given else self.family


def guess_name_parts(author: str, keep=None) -> tuple[str, str]:
    """(family, given) for a byline; ("", "") for none.

    ``keep``: an article whose author is not changing keeps the parts it has, which an archivist may have corrected
    (a re-ingest must not undo that).
    """
    author = " ".join(author.split())
    if keep is not None and " ".join(keep.author.split()) == author and (keep.author_family or keep.author_given):
        return keep.author_family, keep.author_given
    if not author:
        return "", ""
    if "," in author:
        family, given = (part.strip() for part in author.split(",", 1))
        return family, given
    words = author.split(" ")
    if len(words) == 1:
        if _is_hangul(author) and len(author) > 1:
            cut = 2 if author[:2] in HANGUL_TWO_SYLLABLE_FAMILY_NAMES and len(author) > 2 else 1
            return author[:cut], author[cut:]
        return author, ""
    if _is_hangul(words[0]) or words[0].lower().strip(".") in KOREAN_FAMILY_NAMES:
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def person_name(article) -> PersonName | None:
    """The article's author as parts (the stored ones, else a fresh guess); None when no author is known."""
    if not article.author:
        return None
    family, given = (article.author_family, article.author_given) if article.author_family else guess_name_parts(
        article.author)
    return PersonName(family, given)


def _is_hangul(text: str) -> bool:
    return bool(text) and all("\uac00" <= char <= "\ud7a3" for char in text)
