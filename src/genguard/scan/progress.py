"""Progress of a scan: a Rich bar with rate and ETA on a terminal, plain lines otherwise.

Logs and CI capture stderr; a redrawn bar there is noise, so without a TTY the scan prints one
line every few seconds instead.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class ScanProgress:
    """Counts items and errors; ``done`` items were already in the output when the scan started."""

    def __init__(self, total: int | None, done: int = 0, *, stream: TextIO | None = None,
                 every_s: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.total, self.count, self.errors = total, done, 0
        self._start_count, self._started = done, time.monotonic()
        self._every_s, self._last_line = every_s, 0.0
        self._bar: Progress | None = None
        if self.stream.isatty():
            self._bar = Progress(
                TextColumn("scan"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                TextColumn("{task.fields[rate]} items/s"), TextColumn("errors {task.fields[errors]}"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(file=self.stream), transient=False,
            )
            self._task = self._bar.add_task("scan", total=total, completed=done, rate="-", errors=0)
            self._bar.start()

    @property
    def rate(self) -> float:
        """Items a second since this run started (resumed items not counted)."""
        elapsed = time.monotonic() - self._started
        return (self.count - self._start_count) / elapsed if elapsed > 0 else 0.0

    def advance(self, items: int, errors: int) -> None:
        self.count += items
        self.errors += errors
        if self._bar is not None:
            self._bar.update(self._task, completed=self.count, rate=f"{self.rate:,.1f}", errors=self.errors)
        elif time.monotonic() - self._last_line >= self._every_s:
            self._line()

    def _line(self) -> None:
        self._last_line = time.monotonic()
        of = f"/{self.total}" if self.total is not None else ""
        eta = ""
        if self.total is not None and self.rate > 0:
            eta = f", ETA {max(self.total - self.count, 0) / self.rate:,.0f} s"
        self.stream.write(f"scan: {self.count}{of} items, {self.rate:,.1f} items/s, {self.errors} errors{eta}\n")
        self.stream.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
        else:
            self._line()
