"""Dashboard numbers built once and shown again for a few seconds.

Building the dashboard reads every idea and verdict of the organisation: 73 ms at 3,000 ideas on
a slow two-core machine, seconds at a million. Under load the page and its JSON are asked for
several times a second, and each build took the server's interpreter lock away from idea
submissions (28 % of it in a sampled load test). `DashboardSnapshots` keeps the last build per
organisation and filters:

- A view that comes within `max_age_s` of a build's start is answered from that build. Its
  numbers say when they were read (`as_of`).
- Views that miss together share one build: the later ones wait for it instead of building again.
- `changed()` drops every snapshot. The web app calls it after each request that may write,
  except an idea submission (api/freshness.py), so an edit shows on the very next view; new ideas show
  within `max_age_s`. With `shared` (a SharedCounter in the data folder, as `hoshin serve`'s
  workers on one machine have), `changed()` also advances that counter and a view checks it, so
  an edit answered by the other worker shows at once too. Writes that do not pass through a
  server process (the CLI, a job worker) and those of servers on other machines show within
  `max_age_s`.
- `fresh=True` always reads the store (the page's "read them again" link, `?fresh=true`). Reports
  do not come through here: they always read the store.
- `max_age_s=0` builds for every view; concurrent views still share a build that began after
  they asked.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hoshin.service.dashboard import Filters, build_dashboard
from hoshin.service.shared_counter import SharedCounter

__all__ = ["DashboardSnapshots"]

Builder = Callable[[Any, str, Filters], dict[str, Any]]


@dataclass(frozen=True)
class _Snapshot:
    data: dict[str, Any]
    started: float  # the clock when the build began to read
    outside: int  # the shared counter then (0 without one)


class DashboardSnapshots:
    """The last dashboard built per (organisation, filters), reused while younger than max_age_s."""

    def __init__(
        self,
        max_age_s: float,
        *,
        keep: int = 32,
        build: Builder = build_dashboard,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedCounter | None = None,
    ) -> None:
        self.max_age_s = max_age_s
        self._shared = shared
        # Filter combinations remembered (each unit and date range is one). A large organisation's
        # numbers run to a megabyte with their issue list, so a few dozen, not hundreds.
        self._keep = keep
        self._build = build
        self._clock = clock
        self._guard = threading.Lock()
        self._kept: OrderedDict[tuple[str, Filters], _Snapshot] = OrderedDict()
        self._building: dict[tuple[str, Filters], threading.Lock] = {}
        self._generation = 0

    def get(self, store: Any, org_id: str, filters: Filters, *, fresh: bool = False) -> dict[str, Any]:
        """The dashboard of `org_id` under `filters`, with `as_of` (ISO time the numbers were read)."""
        key = (org_id, filters)
        asked = self._clock()
        # Fresh: only a build that began after this view asked. Otherwise one up to max_age_s old.
        wanted = (lambda began: began > asked) if fresh else (lambda began: began >= asked - self.max_age_s)
        outside = self._outside()
        found = self._usable(key, wanted, outside)
        if found is not None:
            return found
        with self._build_lock(key):
            # A build that finished while this view waited. The counter is read again: a build
            # tagged with a count newer than this view's first reading is still a good answer.
            outside = self._outside()
            found = self._usable(key, wanted, outside)
            if found is not None:
                return found
            with self._guard:
                generation = self._generation
            started = self._clock()
            as_of = datetime.now(UTC).isoformat(timespec="seconds")
            data = {**self._build(store, org_id, filters), "as_of": as_of}
            with self._guard:
                if generation == self._generation:  # else a write landed while it read: not kept
                    self._kept[key] = _Snapshot(data, started, outside)
                    self._kept.move_to_end(key)
                while len(self._kept) > self._keep:
                    dropped, _ = self._kept.popitem(last=False)
                    self._building.pop(dropped, None)
            return data

    def changed(self) -> None:
        """Something the dashboard shows may have changed: no snapshot is shown again, here or
        (with `shared`) in the other processes."""
        if self._shared is not None:
            try:
                self._shared.advance()
            except OSError:
                # The write this follows has been committed: its answer must not fail now. The
                # other processes see it within max_age_s, as they would without a counter.
                pass
        with self._guard:
            self._generation += 1
            self._kept.clear()
            # Build locks of filters nobody is building now go too, or every filter ever asked
            # for would keep one.
            self._building = {key: lock for key, lock in self._building.items() if lock.locked()}

    def _outside(self) -> int:
        if self._shared is None:
            return 0
        try:
            return self._shared.read()
        except OSError:
            return -1  # the file is gone: from here on this process keeps its numbers on its own

    def _usable(
        self, key: tuple[str, Filters], wanted: Callable[[float], bool], outside: int
    ) -> dict[str, Any] | None:
        with self._guard:
            snapshot = self._kept.get(key)
            if snapshot is None or not wanted(snapshot.started) or snapshot.outside != outside:
                return None
            self._kept.move_to_end(key)
            return snapshot.data

    def _build_lock(self, key: tuple[str, Filters]) -> threading.Lock:
        with self._guard:
            return self._building.setdefault(key, threading.Lock())
