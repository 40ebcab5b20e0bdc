"""The ideas a full re-score reads are kept between re-scores and followed through the store's
change horizon: whatever was written since, the kept rows equal a fresh read of every idea."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

import pytest

import hoshin.service.kept_rows as kept_rows
from hoshin.service.kept_rows import SCORING_COLUMNS, current_rows


def fresh_read(org: Any) -> list[tuple[Any, ...]]:
    rows = [tuple(r) for r in org.store.columns("ideas", org.id, SCORING_COLUMNS)]
    return sorted(rows, key=itemgetter(0))


def test_kept_rows_follow_adds_edits_reviews_and_deletes(org: Any) -> None:
    store = org.store
    first = current_rows(store, org.id)
    assert first == fresh_read(org) and len(first) >= 2
    assert current_rows(store, org.id) is first  # nothing written: the same rows, nothing read
    store.upsert("ideas", org.id, [{"id": "I-0", "text": "Sorted before every other idea"}])
    store.upsert("ideas", org.id, [{"id": "I-zz", "text": "Sorted after every other idea"}])
    store.upsert("ideas", org.id, [{"id": first[0][0], "text": "An edited text", "status": "triaged"}])
    store.upsert("ideas", org.id, [{"id": first[1][0], "override_tier": "core", "override_reason": "fits"}])
    followed = current_rows(store, org.id)
    assert followed == fresh_read(org)
    assert first == sorted(first, key=itemgetter(0)) and first is not followed  # the old list is untouched
    store.delete("ideas", org.id, "I-0")
    assert current_rows(store, org.id) == fresh_read(org)


def test_many_new_ideas_are_merged_in_order(org: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_rows, "_MERGE_FROM", 3)
    current_rows(org.store, org.id)
    org.store.upsert("ideas", org.id, [{"id": f"I-{n:03d}", "text": f"Idea {n}"} for n in (7, 1, 5, 3)])
    assert current_rows(org.store, org.id) == fresh_read(org)


def test_a_fresh_process_reads_everything(org: Any) -> None:
    current_rows(org.store, org.id)
    kept_rows.forget_rows(org.store, org.id)
    org.store.upsert("ideas", org.id, [{"id": "I-9", "text": "One more"}])
    assert current_rows(org.store, org.id) == fresh_read(org)
