"""Reading a Whoosh index back whole, to compare two ways of writing it."""


def every_posting(index) -> dict:
    """(field, term) -> [(document id, weight, value)] of every term of the index, by the stored ids (a posting
    without a value reads None from a block and b"" from a term's entry: both are b"" here)."""
    found = {}
    with index.searcher() as searcher:
        for leaf, _offset in searcher.reader().leaf_readers():
            ids = [leaf.stored_fields(docnum)["id"] for docnum in range(leaf.doc_count_all())]
            for fieldname, text in leaf.all_terms():
                matcher = leaf.postings(fieldname, text)
                while matcher.is_active():
                    found.setdefault((fieldname, text), []).append(
                        (ids[matcher.id()], matcher.weight(), matcher.value() or b""))
                    matcher.next()
    return {term: sorted(postings) for term, postings in found.items()}
