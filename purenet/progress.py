"""A small progress bar for training, written to stderr (no dependency).

On a terminal it redraws one line with the batch count, loss and accuracy; elsewhere (a log,
CI) it prints only the line that closes each epoch, so logs stay readable.
"""
from __future__ import annotations

import sys
import time


def duration(seconds):
    """"45 ms" below a tenth of a second, else "12.3 s"."""
    return f"{seconds * 1000:.0f} ms" if seconds < 0.1 else f"{seconds:.1f} s"


class ProgressBar:
    def __init__(self, total, label, stream=None, width=24):
        self.total, self.label, self.width = total, label, width
        self.stream = stream or sys.stderr
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = self.last = time.perf_counter()

    def _line(self, done, metrics):
        filled = self.width * done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        numbers = "  ".join(f"{name} {value:.4f}" for name, value in metrics.items() if value is not None)
        return f"{self.label} [{bar}] {done}/{self.total}  {numbers}  {duration(time.perf_counter() - self.start)}"

    def update(self, done, **metrics):
        now = time.perf_counter()
        if self.live and (now - self.last > 0.1 or done == self.total):
            self.last = now
            self.stream.write("\r" + self._line(done, metrics))
            self.stream.flush()

    def close(self, **metrics):
        self.stream.write(("\r" if self.live else "") + self._line(self.total, metrics) + "\n")
        self.stream.flush()
