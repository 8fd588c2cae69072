"""A progress bar for long builds: articles done, rate and time left, on a terminal only.

Our own few lines rather than tqdm: one bar with three numbers needs no dependency, and a build that
shows no bar (a single article, CI, ``--quiet``) imports nothing for it.
"""

from __future__ import annotations

import time

WIDTH = 24
EVERY_SECONDS = 0.1


class Progress:
    """Call it with the number of articles just done; ``close()`` ends the line."""

    def __init__(self, total: int, stream, label: str = "extract", clock=time.monotonic):
        self.total, self.stream, self.label, self.clock = total, stream, label, clock
        self.done = 0
        self.started = clock()
        self.shown_at = float("-inf")

    def __call__(self, count: int) -> None:
        self.done += count
        now = self.clock()
        if now - self.shown_at >= EVERY_SECONDS or self.done >= self.total:
            self.shown_at = now
            self.stream.write("\r" + self.line(now - self.started))
            self.stream.flush()

    def line(self, elapsed: float) -> str:
        """``extract [######------] 1200/10000 articles  850/s  0:10 left``"""
        fraction = self.done / self.total if self.total else 1.0
        filled = int(WIDTH * fraction)
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        minutes, seconds = divmod(int(left + 0.5), 60)
        return (f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self.done}/{self.total} articles  "
                f"{rate:.0f}/s  {minutes}:{seconds:02d} left")

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def bar_for(total: int, stream, quiet: bool):
    """A progress bar on ``stream`` when it is a terminal and not silenced, else None."""
    if quiet or not stream.isatty():
        return None
    return Progress(total, stream)
