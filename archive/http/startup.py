"""What a server process does once, as it starts: what every request will use is loaded, then set aside from the
cyclic garbage collector.

A server process holds about 100,000 objects that live as long as it does (modules, classes, functions, the URLconf
and its views, the models). CPython's collector walks all of them in each full collection, which comes every few
hundred requests and took 60-80 ms on the benchmarks' 2-core machine: a pause inside whichever request triggered
it. ``gc.freeze`` moves them to a generation no collection walks (as the Python docs advise for forking servers, and
as Instagram's Django servers do); a full collection then walks only what came later (a few ms). Objects set aside
are still freed by reference counting; only cycles among them wait for ``gc.unfreeze``, and these objects are never
released anyway.
"""

import gc

from django.urls import get_resolver


def freeze_loaded_objects() -> int:
    """Load the URLconf (and the views it imports), collect what is garbage already, and freeze the rest; returns how
    many objects were frozen."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf and its views
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
