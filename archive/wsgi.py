"""WSGI entry point: ``archive.wsgi:application``."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")

application = get_wsgi_application()

# What every request uses is loaded now and set aside from the garbage collector's full collections (archive.http
# .startup), before the threads below start making objects that come and go.
from archive.http.startup import freeze_loaded_objects  # noqa: E402

freeze_loaded_objects()

# Each server process drains pending index updates in a background thread, and sweeps for updates left by processes
# that died (archive.search.indexing). Started after the fork: gunicorn imports this module in each worker (no
# --preload).
from archive.search.indexing import start_drainer  # noqa: E402

start_drainer(sweep=True)

# ... and reads what searches need from the index before its first request does (archive.search.warm).
from archive.search.warm import start_warm_up  # noqa: E402

start_warm_up()
