"""Every idea's scoring columns (id, text, status, override_tier, override_version), kept by the
process between full re-scores and brought up to date from the store's change horizon.

A re-score after a corridor change read all of them again: 1.3 to 1.7 s of a 5 s re-score at a
million ideas on SQLite. Now it reads only the ideas written since the last one (an indexed read
of their revision stamps) and merges them in; deletes, or more writes than a tenth of the ideas,
make it read everything again. The rows come sorted by id in Python's string order (on SQLite
that is the database's own order; PostgreSQL's collation may differ, so its full reads are
sorted here), so the merged list and a fresh read give the same order.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["SCORING_COLUMNS", "current_rows", "forget_rows"]

SCORING_COLUMNS = ("id", "text", "status", "override_tier", "override_version")
_MERGE_FROM = 1_000  # new ideas inserted one by one below this; above it the lists are merged


@dataclass(frozen=True)
class _Kept:
    mark: tuple[int, int]  # the store's (horizon, removals) read before these rows
    rows: list[tuple[Any, ...]]  # sorted by id (Python order); never changed once kept
    ids: list[str]  # rows' ids, for bisecting


_kept: dict[tuple[str, str], _Kept] = {}
_guard = threading.Lock()


def current_rows(repo: Repository, org_id: str) -> list[tuple[Any, ...]]:
    """Every idea of the organisation as (id, text, status, override_tier, override_version),
    sorted by id. The
    list is shared with later calls: read it, never change it."""
    key = (repo.url, org_id)
    with _guard:
        kept = _kept.get(key)
    fresh: _Kept | None = None
    if kept is not None:
        written, mark = repo.written_since("ideas", org_id, kept.mark[0], SCORING_COLUMNS)
        if mark[1] == kept.mark[1] and len(written) <= max(_MERGE_FROM, len(kept.rows) // 10):
            if not written:
                return kept.rows  # the horizon stays, so writes still in flight are seen later
            fresh = _merged(kept, mark, written)
    if fresh is None:
        mark = repo.change_horizon("ideas", org_id)
        # One string object per status value, not one per idea: the rows stay in memory.
        statuses: dict[Any, Any] = {}
        rows = [
            (row[0], row[1], statuses.setdefault(row[2], row[2]), *row[3:])
            for row in repo.columns("ideas", org_id, SCORING_COLUMNS)
        ]
        if repo.dialect != "sqlite":
            rows.sort(key=itemgetter(0))  # nearly sorted already: one pass
        fresh = _Kept(mark, rows, [row[0] for row in rows])
    with _guard:
        _kept[key] = fresh
    return fresh.rows


def _merged(kept: _Kept, mark: tuple[int, int], written: list[Any]) -> _Kept:
    rows, ids = list(kept.rows), list(kept.ids)
    added = []
    for row in {tuple(row)[0]: tuple(row) for row in written}.values():
        n = bisect_left(ids, row[0])
        if n < len(ids) and ids[n] == row[0]:
            rows[n] = row  # an edit, a review or an override of a kept idea
        else:
            added.append(row)
    if len(added) < _MERGE_FROM:
        for row in added:
            n = bisect_left(ids, row[0])
            ids.insert(n, row[0])
            rows.insert(n, row)
    else:
        rows = sorted(rows + added, key=itemgetter(0))  # two sorted runs: merged in one pass
        ids = [row[0] for row in rows]
    return _Kept(mark, rows, ids)


def forget_rows(repo: Repository, org_id: str) -> None:
    """Drop what the process keeps of the organisation's rows (a fresh process has nothing)."""
    with _guard:
        _kept.pop((repo.url, org_id), None)
