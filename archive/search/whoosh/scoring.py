"""How a match is scored: BM25 with the IDF of the BM25 literature (as Lucene and SQLite FTS5 use), not Whoosh's own.

Whoosh's ``BM25F`` takes its IDF from TF-IDF, ``log(N / (df + 1)) + 1``, which never falls below 1: a word found in
every report (``the``) still weighs a seventh of the rarest. Since every word is indexed (``analysis``), questions
typed as sentences ("what similarity laws must be obeyed when ...") were ranked by their common words too. The
probabilistic IDF, ``log(1 + (N - df + 0.5) / (df + 0.5))``, weighs a word in half the reports at 0.7 and one in all
of them at almost nothing, so a report is ranked by the words that tell it apart.

``K1`` (how soon repeating a word stops counting) and ``B`` (how much a long report's words count less) are BM25's
usual values (Lucene's and FTS5's too): a grid on CACM (K1 0.6-1.6, B 0.2-0.75) found none better once the title's
boost was right, and Cranfield confirmed it (``bench/ranking.py --grid``; figures in bench/README.md). Once partial
matches left function words out, B 0.5 gained on CACM (0.3007 -> 0.3120) but lost on Cranfield (0.2984 -> 0.2955).
"""

from math import log

from whoosh.scoring import BM25F, bm25

K1 = 1.2
B = 0.75


class ArchiveBM25(BM25F):
    """Whoosh's BM25F scorer (per field, summed over the query's fields) with the probabilistic IDF."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        return probabilistic_idf(parent.doc_frequency(fieldname, text), parent.doc_count_all())


def probabilistic_idf(document_frequency: int, documents: int) -> float:
    """BM25's IDF, kept positive as Lucene keeps it (the 1 + inside the logarithm)."""
    return log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


__all__ = ["ArchiveBM25", "bm25", "probabilistic_idf", "weighting"]  # bm25(idf, tf, length, average length, B, K1)


def weighting() -> ArchiveBM25:
    """The weighting every searcher of the index scores with."""
    return ArchiveBM25(B=B, K1=K1)
