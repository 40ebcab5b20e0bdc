"""Twins of a new idea through pgvector, on a PostgreSQL store that has the extension: the index
follows the ideas by the store's change mark (added, edited, deleted, written by another process),
and an organisation too large to index inside a request is filled by a background thread while
the in-process index answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

import hoshin.service.pgvector_twins as pgvector_twins
from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner
from hoshin.service.duplicates import similar_ideas
from hoshin.service.verdict_reasons import open_store

pytestmark = pytest.mark.postgres

IDEAS = [
    {"id": "I-1", "text": "Solar panels on the factory roof to power the foaming line"},
    {"id": "I-2", "text": "A quieter compressor mount for the fridge range"},
    {"id": "I-3", "text": "Door seals that keep their grip for twenty years"},
]


@pytest.fixture
def repo(pgvector_url: str) -> Iterator[Any]:
    pgvector_twins._opened.clear()  # the schema was emptied: the index tables are gone
    store = open_store(pgvector_url)
    store.create_organisation("acme", "Acme Cooling")
    store.upsert("ideas", "acme", [dict(i) for i in IDEAS])
    yield store
    for twins in pgvector_twins._opened.values():
        if twins is not None:
            twins.engine.dispose()
    pgvector_twins._opened.clear()
    store.close()


@pytest.fixture
def aligner(repo: Any) -> Any:
    return store_aligner(repo, HashingEmbedder())


def indexed(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {
            row[0]
            for row in conn.execute(text("SELECT item_id FROM idea_vector_index WHERE org_id = 'acme'"))
        }
    engine.dispose()
    return found


def first(repo: Any, aligner: Any, query: str) -> dict[str, Any]:
    return similar_ideas(repo, "acme", aligner, query, k=3)[0]


def test_the_index_follows_added_edited_and_deleted_ideas(repo: Any, aligner: Any) -> None:
    assert first(repo, aligner, "Door seals that keep their grip for 20 years")["id"] == "I-3"
    assert indexed(repo.url) == {"I-1", "I-2", "I-3"}
    repo.upsert("ideas", "acme", [{"id": "I-4", "text": "Heat pump for the paint shop"}])
    assert first(repo, aligner, "A heat pump for the paint shop")["id"] == "I-4"
    repo.upsert("ideas", "acme", [{"id": "I-4", "text": "A rooftop beehive for the canteen honey"}])
    found = first(repo, aligner, "A heat pump for the paint shop")
    assert found["id"] != "I-4" or found["text"] == "A rooftop beehive for the canteen honey"
    assert first(repo, aligner, "A rooftop beehive for canteen honey")["id"] == "I-4"
    repo.delete("ideas", "acme", "I-3")
    assert "I-3" not in {f["id"] for f in similar_ideas(repo, "acme", aligner, "Door seals grip", k=5)}
    assert indexed(repo.url) == {"I-1", "I-2", "I-4"}


def test_writes_through_another_process_are_followed(repo: Any, aligner: Any) -> None:
    first(repo, aligner, "anything at all")
    with open_store(repo.url) as other:
        other.upsert("ideas", "acme", [{"id": "I-9", "text": "Recycled steel for the outer case"}])
    assert first(repo, aligner, "Recycled steel for the outer case panels")["id"] == "I-9"


def test_a_large_catch_up_runs_in_the_background_while_the_in_process_index_answers(
    repo: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pgvector_twins, "_IN_REQUEST_AT_MOST", 2)
    # Three ideas are more than a request may index: the answer comes from the in-process index.
    assert first(repo, aligner, "Door seals that keep their grip for 20 years")["id"] == "I-3"
    twins = pgvector_twins.pgvector_twins(repo, aligner.embedder.dimensions)
    assert twins is not None
    deadline = time.monotonic() + 30
    while not twins.in_step(repo, "acme", aligner):
        assert time.monotonic() < deadline, "the background fill never finished"
        time.sleep(0.05)
    assert indexed(repo.url) == {"I-1", "I-2", "I-3"}
    assert first(repo, aligner, "A quieter compressor mount")["id"] == "I-2"


def test_stores_without_pgvector_use_the_in_process_index(tmp_path: Any) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}") as sqlite_store:
        assert pgvector_twins.pgvector_twins(sqlite_store, 8) is None
