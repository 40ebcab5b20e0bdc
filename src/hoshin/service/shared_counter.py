"""A counter that the server processes on one machine share through a small file.

`hoshin serve` runs two worker processes on a machine with two or more cores, and each keeps its
own dashboard snapshots (service/dashboard_snapshots.py). An edit answered by one worker drops
that worker's snapshots at once; the other would show its older numbers until they expire. The
workers share a data folder, so the one that wrote advances this counter and the other sees it
move on its next view: one small read per view, nothing per idea submission.

Advancing holds an exclusive lock on the file, so two workers advancing together never lose a
step; reading holds a shared one, so it never meets a half-written number.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no shared counter, each process on its own
    fcntl = None  # type: ignore[assignment]

__all__ = ["SharedCounter"]

_WIDTH = 20  # digits kept in the file; a counter of 10**20 changes is out of reach


class SharedCounter:
    """`advance()` adds one, `read()` gives the current count (0 before the first advance).

    The file is opened for each call (some ten microseconds) rather than held: an app object that
    is never shut down, as in a test, then leaves no open file behind."""

    def __init__(self, path: Path) -> None:
        """OSError where the file cannot be made (or the platform has no file locks)."""
        if fcntl is None:  # pragma: no cover - Windows
            raise OSError("file locks (fcntl) are not available on this platform")
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # fail here, not on the first view

    def read(self) -> int:
        with _locked(self.path, fcntl.LOCK_SH) as fd:
            return _stored(fd)

    def advance(self) -> int:
        with _locked(self.path, fcntl.LOCK_EX) as fd:
            count = _stored(fd) + 1
            os.pwrite(fd, str(count).rjust(_WIDTH).encode("ascii"), 0)
            return count


@contextmanager
def _locked(path: Path, mode: int) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, mode)  # released when the file is closed
        yield fd
    finally:
        os.close(fd)


def _stored(fd: int) -> int:
    raw = os.pread(fd, _WIDTH, 0).decode("ascii", errors="replace").strip()
    # An empty file is a counter never advanced; anything else unreadable (a file someone edited)
    # starts again from 0, which only makes each worker build its numbers once more.
    return int(raw) if raw.isdigit() else 0
