"""A deterministic corpus of news-like reports about North Korea, as JSON Lines that ``manage.py ingest`` takes.

Why synthetic: the benchmark must run from a fresh clone at any size (``BENCH_N``) without downloading anything, and
give the same documents on every machine, so figures from two runs differ only by the code measured. Why this shape:
search cost depends on how many documents a word matches, so words follow a Zipfian frequency curve (a few words in
most reports, most words in few), and facet cost depends on how values spread, so reports spread over eight sources,
a few hundred authors, twenty years (some undated) and the gazetteer's provinces and cities, named in the text so
that ingest extracts the regions as it does for real reports.

    python3 bench/corpus.py OUT_DIR [--n 20000] [--seed 7]

writes ``OUT_DIR/reports/bench-00000.jsonl`` ... (``RECORDS_PER_FILE`` records each, one transaction each on
ingest; the folder to give ``manage.py ingest``) and ``OUT_DIR/corpus-stats.json``: each word's document frequency,
phrases, authors and facet values, from which ``bench/queries.py`` picks queries at fixed frequency bands.
Generation streams: memory does not grow with ``--n``. The standard library only, so the FTS5 baseline and CI need
nothing else.
"""

import argparse
import bisect
import datetime
import itertools
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORDS_PER_FILE = 500
STATS_FILE = "corpus-stats.json"
FIRST_YEAR, LAST_YEAR = 2005, 2024
UNDATED_SHARE = 0.06
MONTH_ONLY_SHARE = 0.03
ZIPF_EXPONENT = 1.1
CONTENT_OFFSET = 8  # Zipf-Mandelbrot: no single content word takes a tenth of the text, as "the" may
TAIL_WORDS = 12_000

# Function words carry no meaning for search (Whoosh drops most as stop words) but make up half of real text.
FUNCTION_WORDS = (
    "the of to and in a that for on is was with by as at from said it be have has are were this an which their "
    "but not they or after been also had its who will more over than about into would some other there when "
    "his her up out can one all two new such since while during only could because before these those"
).split()

# Content words, roughly most to least frequent in reporting on North Korea.
CONTENT_WORDS = (
    "source north korean authorities market people local province residents government state party prices "
    "border china officials recently food rice security city workers police military trade money year month "
    "week told ministry reported according order crackdown citizens income smuggling goods families daily "
    "chinese country corn farm farmers soldiers members leader kim propaganda sales traders products "
    "inspection phone calls mobile currency exchange rate dollar yuan won cash supplies shortage harvest "
    "factory enterprise wages rations distribution electricity power outages fuel diesel gasoline coal mine "
    "mining export import customs truck train railway station bridge river village county district office "
    "committee cadres bribes punishment labor camp prison detention arrest investigation defectors escape "
    "brokers south korea radio broadcasts videos dramas films usb drives content foreign information control "
    "youth league students school university teachers hospital doctors medicine patients disease quarantine "
    "pandemic covid vaccine lockdown restrictions travel permits housing apartments construction project "
    "mobilization campaign speed battle meeting lecture ideology loyalty anniversary holiday celebration "
    "parade army navy air force missile launch nuclear test sanctions united nations regime economy economic "
    "plan reform private plots agriculture fertilizer seeds drought flood rain typhoon weather damage "
    "recovery aid assistance humanitarian organization women children elderly pension household registration "
    "neighborhood unit watch surveillance informants spies network smugglers fishing boats sea catch seafood "
    "squid crab fishermen port ships vessels cargo oil fuel tanker transfer kimchi pork meat eggs vegetables "
    "potatoes noodles flour sugar salt soybean oil cigarettes alcohol liquor clothes shoes textiles "
    "cosmetics electronics televisions solar panels batteries bicycles motorcycles cars taxis buses fares "
    "ticket inspection checkpoint guards patrol fence wire cameras drones watchtower riverbank crossing "
    "tumen yalu winter summer spring autumn morning night evening heating firewood forests logging timber "
    "cooperative collective quota tax fees contributions donations fines confiscation seizure warning "
    "lectures notice decree directive instructions guidelines rules violations offenders executions trial "
    "sentence court prosecutor judge lawyer rights abuse torture forced repatriation refugees asylum "
    "interview testimony witness survey report analysis satellite imagery images photos footage"
).split()

# Collocations that real reports repeat, so phrase queries find something.
PHRASES = (
    "food prices", "border guards", "foreign currency", "state security", "market traders", "rice prices",
    "mobile phones", "labor camp", "military service", "harvest season", "exchange rate", "party officials",
    "power outages", "private plots", "forced labor", "public execution", "smuggling crackdown",
    "ministry of state security", "people's committee", "socialist patriotic youth league",
    "daily nk source", "chinese phones", "fuel prices", "corn prices",
)

# Templates that name a place the way reports do; {place} is a gazetteer name or alias.
PLACE_TEMPLATES = (
    "A source in {place} told the reporter that {tail}",
    "In {place}, {tail}",
    "Residents of {place} said {tail}",
    "The situation in {place} is similar, as {tail}",
    "Traders from {place} reported that {tail}",
    "According to a resident of {place}, {tail}",
)

FAMILY_NAMES = ("Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Ha Jeon Mun Ko "
                "Ri Ryu Baek Nam Yang Hong").split()
GIVEN_SYLLABLES = ("min jun seo yeon ji hoon woo jin hyun soo young ho sung eun chul kyung hee tae won il "
                   "nam dong gil hye mi ok sun ae").split()

# Source names from fixtures/sources.json, with how often each appears.
SOURCE_WEIGHTS = {"Daily NK": 40, "NK News": 15, "Radio Free Asia": 12, "Asia Press": 10, "Yonhap": 10,
                  "38 North": 5, "KCNA": 5, "Rodong Sinmun": 3}
AUTHORS_PER_SOURCE = 30
NO_AUTHOR_SHARE = 0.1


@dataclass
class Stats:
    """What the generator wrote, for picking queries at known frequencies without reading the corpus again."""

    count: int = 0
    dated: int = 0
    document_frequency: Counter = field(default_factory=Counter)  # content word -> reports holding it
    phrase_frequency: Counter = field(default_factory=Counter)
    source_counts: Counter = field(default_factory=Counter)
    author_counts: Counter = field(default_factory=Counter)
    region_mentions: Counter = field(default_factory=Counter)  # gazetteer slug -> reports naming it
    year_counts: Counter = field(default_factory=Counter)

    def as_json(self) -> dict:
        return {
            "count": self.count,
            "dated": self.dated,
            "document_frequency": dict(sorted(self.document_frequency.items())),
            "phrase_frequency": dict(sorted(self.phrase_frequency.items())),
            "source_counts": dict(sorted(self.source_counts.items())),
            "author_counts": dict(sorted(self.author_counts.items())),
            "region_mentions": dict(sorted(self.region_mentions.items())),
            "year_counts": dict(sorted(self.year_counts.items())),
        }


class Generator:
    """Reports drawn from one seeded ``random.Random``: the same seed gives the same bytes on every machine."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.content = list(dict.fromkeys(CONTENT_WORDS)) + self._tail_words(TAIL_WORDS)
        self.content_cum = _zipf_cumulative(len(self.content), offset=CONTENT_OFFSET)
        self.function_cum = _zipf_cumulative(len(FUNCTION_WORDS))
        self.phrase_cum = _zipf_cumulative(len(PHRASES))
        gazetteer = json.loads((ROOT / "fixtures" / "gazetteer.json").read_text(encoding="utf-8"))
        # Provinces and cities are named more often than counties, as in real reports.
        self.places = [(p["slug"], [p["name"], *p["aliases"][:2]]) for p in gazetteer]
        self.place_cum = list(itertools.accumulate(
            6.0 if p["kind"] in ("province", "special-city") else 2.0 if p["kind"] == "city" else 0.4
            for p in gazetteer))
        self.sources = list(SOURCE_WEIGHTS)
        self.source_cum = list(itertools.accumulate(SOURCE_WEIGHTS.values()))
        self.authors = {source: [self._person() for _ in range(AUTHORS_PER_SOURCE)] for source in self.sources}

    def _tail_words(self, count: int) -> list[str]:
        """Made-up but pronounceable words: the long tail of names, places and rare terms of a real vocabulary."""
        onsets, vowels, codas = "b ch d g h j k m n p r s t w y sh".split(), "a e i o u ae eo ou".split(), \
            ["", "", "n", "ng", "m", "l", "k", "t"]
        words: dict[str, None] = {}
        taken = set(CONTENT_WORDS) | set(FUNCTION_WORDS)
        while len(words) < count:
            word = "".join(self.rng.choice(onsets) + self.rng.choice(vowels) + self.rng.choice(codas)
                           for _ in range(self.rng.randint(2, 3)))
            if word not in taken:
                words[word] = None
        return list(words)

    def _person(self) -> str:
        given = self.rng.choice(GIVEN_SYLLABLES).title() + "-" + self.rng.choice(GIVEN_SYLLABLES)
        return f"{self.rng.choice(FAMILY_NAMES)} {given}"

    def _content_words(self, k: int) -> list[str]:
        return [self.content[i] for i in _draw(self.rng, self.content_cum, k)]

    def _sentence(self, stats_words: set, stats_phrases: set) -> str:
        length = self.rng.randint(9, 26)
        words = []
        for _ in range(length):
            if self.rng.random() < 0.42:
                words.append(FUNCTION_WORDS[_draw(self.rng, self.function_cum, 1)[0]])
            else:
                words.append(self.content[_draw(self.rng, self.content_cum, 1)[0]])
        if self.rng.random() < 0.2:
            phrase = PHRASES[_draw(self.rng, self.phrase_cum, 1)[0]]
            stats_phrases.add(phrase)
            words.insert(self.rng.randrange(len(words) + 1), phrase)
        stats_words.update(w for w in words if " " not in w)
        return " ".join(words).capitalize() + "."

    def report(self, number: int, stats: Stats) -> dict:
        """One report: ~500 words in 4-8 paragraphs, a title, source, author, date and unique URL."""
        words: set[str] = set()
        phrases: set[str] = set()
        slugs: set[str] = set()
        paragraphs = []
        target = self.rng.randint(380, 620)
        written = 0
        while written < target:
            sentences = [self._sentence(words, phrases) for _ in range(self.rng.randint(3, 5))]
            if self.rng.random() < 0.45:
                slug, names = self.places[_draw(self.rng, self.place_cum, 1)[0]]
                slugs.add(slug)
                tail = sentences[0][0].lower() + sentences[0][1:]
                sentences[0] = self.rng.choice(PLACE_TEMPLATES).format(place=self.rng.choice(names), tail=tail)
            paragraph = " ".join(sentences)
            written += paragraph.count(" ") + 1
            paragraphs.append(paragraph)
        title_words = self._content_words(self.rng.randint(5, 9))
        words.update(title_words)
        title = " ".join(title_words).capitalize()
        if self.rng.random() < 0.3:
            slug, names = self.places[_draw(self.rng, self.place_cum, 1)[0]]
            slugs.add(slug)
            title += f" in {names[0]}"
        source = self.sources[_draw(self.rng, self.source_cum, 1)[0]]
        author = "" if self.rng.random() < NO_AUTHOR_SHARE else self.rng.choice(self.authors[source])
        record = {
            "title": title,
            "body": "\n\n".join(paragraphs),
            "source": source,
            "author": author,
            "url": f"https://bench.example.org/{_slug(source)}/{number:07d}",
            "language": "en",
        }
        date = self._date()
        if date:
            record["date"] = date
        stats.count += 1
        stats.dated += bool(date)
        stats.document_frequency.update(words)
        stats.phrase_frequency.update(phrases)
        stats.source_counts[source] += 1
        if author:
            stats.author_counts[author] += 1
        stats.region_mentions.update(slugs)
        stats.year_counts[date[:4] if date else "undated"] += 1
        return record

    def _date(self) -> str:
        """Twenty years, more reports in recent ones; a few undated or with the month only."""
        roll = self.rng.random()
        if roll < UNDATED_SHARE:
            return ""
        year = FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * self.rng.random() ** 0.7)
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
        return day.isoformat()[:7] if roll < UNDATED_SHARE + MONTH_ONLY_SHARE else day.isoformat()


def generate(out_dir: Path, count: int, seed: int = 7) -> Stats:
    """Write ``count`` reports into ``out_dir/reports/`` as JSON Lines files, streaming, and the stats beside."""
    reports = reports_dir(out_dir)
    reports.mkdir(parents=True, exist_ok=True)
    generator, stats = Generator(seed), Stats()
    out = None
    try:
        for number in range(count):
            if number % RECORDS_PER_FILE == 0:
                if out:
                    out.close()
                out = (reports / f"bench-{number // RECORDS_PER_FILE:05d}.jsonl").open("w", encoding="utf-8")
            out.write(json.dumps(generator.report(number, stats), ensure_ascii=False) + "\n")
    finally:
        if out:
            out.close()
    (out_dir / STATS_FILE).write_text(json.dumps(stats.as_json()), encoding="utf-8")
    return stats


def reports_dir(out_dir: Path) -> Path:
    return out_dir / "reports"


def load_stats(out_dir: Path) -> dict:
    return json.loads((out_dir / STATS_FILE).read_text(encoding="utf-8"))


def fresh_report(token: str, number: int) -> dict:
    """A report outside the corpus holding a word no other report has: to time how soon a new report is found."""
    generator, stats = Generator(seed=number), Stats()
    record = generator.report(number, stats)
    record["title"] = f"{token} {record['title']}"
    record["body"] = f"{token} appears in this report only.\n\n{record['body']}"
    record["url"] = f"https://bench.example.org/fresh/{token}"
    return record


def _zipf_cumulative(n: int, offset: int = 0) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1 + offset) ** ZIPF_EXPONENT for rank in range(n)))


def _draw(rng: random.Random, cumulative: list[float], k: int) -> list[int]:
    total = cumulative[-1]
    return [bisect.bisect_right(cumulative, rng.random() * total) for _ in range(k)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder for the .jsonl files and corpus-stats.json")
    parser.add_argument("--n", type=int, default=20_000, help="number of reports (default 20,000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7; the benchmark uses 7)")
    args = parser.parse_args()
    stats = generate(args.out_dir, args.n, args.seed)
    print(f"{stats.count} reports ({stats.dated} dated) in {reports_dir(args.out_dir)}")


if __name__ == "__main__":
    main()
