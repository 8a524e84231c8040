"""Progress of long work (ingest, rebuild_index, update_index, backup) on one rewritten line of a terminal.

Shown only when the stream is a terminal: a log file, a pipe or CI gets the commands' usual lines and nothing else.
The clock is passed in, so tests need not wait.
"""

import time
from collections.abc import Callable

REFRESH_SECONDS = 0.5  # at most two redraws a second: drawing must not slow the work it reports


class Progress:
    """``update(done)`` as records are done; ``finish()`` when the work ends (it ends the line)."""

    def __init__(self, stream, what: str, total: int | None = None, clock: Callable[[], float] = time.monotonic):
        self.stream, self.what, self.total, self.clock = stream, what, total, clock
        self.is_shown = bool(getattr(stream, "isatty", lambda: False)())
        self.started = clock()
        self.drawn_at: float | None = None
        self.done = 0

    def update(self, done: int) -> None:
        self.done = done
        if not self.is_shown:
            return
        now = self.clock()
        if self.drawn_at is not None and now - self.drawn_at < REFRESH_SECONDS and done != self.total:
            return
        self.drawn_at = now
        _write(self.stream, f"\r{self.line(now)}\x1b[K")

    def line(self, now: float) -> str:
        """"1,200 of 20,000 articles, 240/s, 1 min 10 s left"."""
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        counted = f"{self.done:,} of {self.total:,} {self.what}" if self.total else f"{self.done:,} {self.what}"
        parts = [counted, f"{rate:,.0f}/s"]
        if self.total and rate > 0:
            parts.append(f"{_duration((self.total - self.done) / rate)} left")
        return ", ".join(parts)

    def finish(self) -> None:
        if self.is_shown and self.drawn_at is not None:
            _write(self.stream, "\n")
            self.drawn_at = None


def _write(stream, text: str) -> None:
    """Django's OutputWrapper ends each write with a newline unless told otherwise."""
    if hasattr(stream, "ending"):
        stream.write(text, ending="")
    else:
        stream.write(text)
    stream.flush()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
