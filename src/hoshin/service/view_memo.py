"""The last results of a view that reads the whole organisation, kept by the process and keyed by a
digest of everything the result depends on.

The knowledge needs ranking (every catalogue area against the mission, with the goals that draw on
each) and the principle flags (every sentence of every record against every principle) took 0.2-0.5 s
of computing on each view of an unchanged organisation. A view still reads the rows it depends on,
which is cheap, and hashes them: the same rows, mission and engine give the same key and the kept
result; any edit gives a new key, so nothing needs telling when data changes, in this process or
another one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ViewMemo", "digest"]

T = TypeVar("T")


def digest(*parts: object) -> str:
    """A key for these parts (strings, numbers and containers of them, printed by repr)."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(repr(part).encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


class ViewMemo(Generic[T]):
    """Up to `size` results by key, the least recently used one dropped first. Results are shared:
    callers copy before they change one."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._kept: OrderedDict[str, T] = OrderedDict()
        self._guard = threading.Lock()

    def get(self, key: str, build: Callable[[], T]) -> T:
        with self._guard:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        result = build()  # outside the lock: two first views may both build; both get a right answer
        with self._guard:
            self._kept[key] = result
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return result

    def clear(self) -> None:
        with self._guard:
            self._kept.clear()
