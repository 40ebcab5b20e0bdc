"""The store's change horizon for ideas: which ideas were written since a reader last looked, read
through an index, and whether any were deleted, so a kept index never reads every idea to find out."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from hoshin.errors import InputError
from hoshin.service.verdict_reasons import open_store
from hoshin.store import HEAD


@pytest.fixture
def org(repo: Any) -> Any:
    repo.create_organisation("acme", "Acme Cooling")
    return repo


def ids_since(org: Any, horizon: int) -> list[str]:
    rows, _ = org.written_since("ideas", "acme", horizon, ["id"])
    return [row[0] for row in rows]


def test_writes_after_the_horizon_are_listed_and_deletes_counted(org: Any) -> None:
    horizon, removals = org.change_horizon("ideas", "acme")
    assert removals == 0 and ids_since(org, horizon) == []
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}, {"id": "I-2", "text": "Seals"}])
    assert ids_since(org, horizon) == ["I-1", "I-2"]
    rows, (later, removals) = org.written_since("ideas", "acme", horizon, ["id", "text"])
    assert later > horizon and removals == 0
    assert ids_since(org, later) == []  # nothing new past the next horizon
    org.upsert("ideas", "acme", [{"id": "I-1", "status": "triaged"}])  # a change of status is a write
    org.upsert("ideas", "acme", [{"id": "I-3", "text": "Door gaskets"}])
    assert ids_since(org, later) == ["I-1", "I-3"]
    org.delete("ideas", "acme", "I-2")
    _, (_, removals) = org.written_since("ideas", "acme", later, ["id"])
    assert removals == 1 and ids_since(org, 0) == ["I-1", "I-3"]  # the deleted idea is never listed


def test_other_kinds_and_organisations_leave_the_ideas_alone(org: Any) -> None:
    horizon, _ = org.change_horizon("ideas", "acme")
    org.upsert("people", "acme", [{"id": "P-1", "name": "Ana"}])
    org.create_organisation("other", "Other")
    org.upsert("ideas", "other", [{"id": "I-1", "text": "Mayonnaise"}])
    org.delete("ideas", "other", "I-1")
    assert ids_since(org, horizon) == []
    assert org.change_horizon("ideas", "acme")[1] == 0


def test_edited_texts_are_listed_as_they_are_now(org: Any) -> None:
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}, {"id": "I-2", "text": "Seals"}])
    horizon, _ = org.change_horizon("ideas", "acme")
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "A much quieter compressor"}])
    rows, _ = org.written_since("ideas", "acme", horizon, ["id", "text"])
    assert [tuple(r) for r in rows] == [("I-1", "A much quieter compressor")]


def test_the_revision_is_never_a_field_of_an_idea_nor_taken_from_one(org: Any) -> None:
    horizon, _ = org.change_horizon("ideas", "acme")
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor", "revision": -5}])
    assert ids_since(org, horizon) == ["I-1"]  # stamped by the store, not with the value given
    assert "revision" not in org.get("ideas", "acme", "I-1")
    assert "revision" not in org.rows("ideas", "acme", include_hidden=True)[0]
    assert "revision" not in org.by_ids("ideas", "acme", ["I-1"])["I-1"]
    with pytest.raises(InputError, match="no readable column 'revision'"):
        org.columns("ideas", "acme", ["id", "revision"])


def test_kinds_without_a_mark_are_refused_by_name(org: Any) -> None:
    with pytest.raises(InputError, match="writes of goals are not marked"):
        org.change_horizon("goals", "acme")
    with pytest.raises(InputError, match="writes of people are not marked"):
        org.written_since("people", "acme", 0, ["id"])


def test_a_failed_write_leaves_the_mark_where_it_was(org: Any) -> None:
    horizon, _ = org.change_horizon("ideas", "acme")
    with pytest.raises(Exception):  # noqa: B017 - the unknown author is refused by the database
        org.upsert("ideas", "acme", [{"id": "I-2", "text": "Seals", "author_id": "nobody"}])
    assert ids_since(org, horizon) == [] and ids_since(org, 0) == []


def test_deleting_the_organisation_removes_its_marks(org: Any) -> None:
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}])
    org.delete("ideas", "acme", "I-1")
    assert org.change_horizon("ideas", "acme")[1] == 1
    org.delete_organisation("acme")
    org.create_organisation("acme", "Acme again")
    assert org.change_horizon("ideas", "acme")[1] == 0


def test_migration_5_brings_a_version_4_database_to_head_keeping_its_ideas(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("acme", "Acme Cooling")
        repo.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}])
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 4 left the database
        conn.execute(text("DROP INDEX ix_ideas_revision"))
        conn.execute(text("ALTER TABLE ideas DROP COLUMN revision"))
        conn.execute(text("DROP TABLE change_marks"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 5"))
    engine.dispose()
    with open_store(store_url) as repo:
        engine = create_engine(store_url)
        assert "revision" in {c["name"] for c in inspect(engine).get_columns("ideas")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT max(version) FROM hoshin_migrations")).scalar() == HEAD
        engine.dispose()
        assert repo.change_horizon("ideas", "acme")[1] == 0
        assert repo.written_since("ideas", "acme", 0, ["id"])[0] == []  # old rows have no revision
        repo.upsert("ideas", "acme", [{"id": "I-2", "text": "Seals"}])
        assert [r[0] for r in repo.written_since("ideas", "acme", 0, ["id"])[0]] == ["I-2"]
        assert [r[0] for r in repo.columns("ideas", "acme", ["id"])] == ["I-1", "I-2"]
