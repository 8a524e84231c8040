"""English function words: what a question is phrased with, not what it is about.

Every word is indexed and every word counts for "reports holding every word" (``whoosh.analysis``). Only the
partial matches (``run``: when few reports hold every word) leave these out, as they leave out words too common to
tell reports apart: a question typed as a sentence ("what similarity laws must be obeyed ...") would otherwise rank
reports by "what", which is rare in the reports themselves (16 of Cranfield's 1,398 abstracts), so BM25 weighs it
as much as "aeroelastic". Measured on CACM, confirmed on Cranfield (bench/README.md, "ranking.py").

The list is the Snowball project's English stop list (https://snowballstem.org/algorithms/english/stop.txt, BSD
licence; the Porter stemmer's authors), less its contractions ("isn't", "we'll"), which the query language reads
as two words.
"""

FUNCTION_WORDS = frozenset("""
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it
its itself they them their theirs themselves what which who whom this that these those am is are was were be been
being have has had having do does did doing would should could ought cannot a an the and but if or because as until
while of at by for with about against between into through during before after above below to from up down in out
on off over under again further then once here there when where why how all any both each few more most other some
such no nor not only own same so than too very
""".split())


def function_words_in(words: list[str]) -> set[str]:
    """The words of a query (as typed) that are function words, whatever their case."""
    return {word for word in words if word.lower() in FUNCTION_WORDS}
