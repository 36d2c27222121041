"""A one-line progress bar for commands that work through large files (drawn on stderr, ~50 updates)."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        step = done * 50 // total
        if step == self._last and done != total:
            return
        self._last = step
        filled = done * self.width // total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()
