"""Sets of document numbers as ints (``archive/search/docsets.py``): what goes in comes out, ascending, whether the
set is sparse (listed a byte at a time) or dense (listed in C from a string of flags)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.search import docsets

sets = st.integers(1, 3000).flatmap(lambda size: st.tuples(st.just(size), st.one_of(
    st.sets(st.integers(0, size - 1), max_size=size),  # sparse mostly
    st.sets(st.integers(0, size - 1), min_size=size // 2, max_size=size))))  # dense


@settings(max_examples=200, deadline=None)
@given(sets)
def test_the_documents_of_a_set_are_the_ones_put_in_it_ascending(size_and_documents):
    size, documents = size_and_documents
    bits = docsets.from_docnums(documents, size)
    assert bits.bit_count() == len(documents)
    assert docsets.docnums(bits) == sorted(documents)
    raw = docsets.as_bytes(bits)
    assert [docnum for docnum in range(size) if docsets.contains(raw, docnum)] == sorted(documents)


def test_the_empty_set_and_the_first_document():
    assert docsets.docnums(0) == [] and docsets.docnums(1) == [0] and docsets.docnums(0b110) == [1, 2]
