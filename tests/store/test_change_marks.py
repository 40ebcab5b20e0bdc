"""The organisation's change mark for ideas: one row that says whether anything changed, and which
ideas were written since a revision, so a kept index never reads every idea to find out."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from hoshin.errors import InputError
from hoshin.store import HEAD, open_store


@pytest.fixture
def org(repo: Any) -> Any:
    repo.create_organisation("acme", "Acme Cooling")
    return repo


def test_every_write_advances_the_mark_and_deletes_count_as_removals(org: Any) -> None:
    assert org.change_mark("ideas", "acme") == (0, 0)
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}, {"id": "I-2", "text": "Seals"}])
    assert org.change_mark("ideas", "acme") == (1, 0)
    org.upsert("ideas", "acme", [{"id": "I-1", "status": "triaged"}])
    assert org.change_mark("ideas", "acme") == (2, 0)
    org.delete("ideas", "acme", "I-2")
    assert org.change_mark("ideas", "acme") == (3, 1)
    # Other kinds and other organisations leave it alone.
    org.upsert("people", "acme", [{"id": "P-1", "name": "Ana"}])
    org.create_organisation("other", "Other")
    org.upsert("ideas", "other", [{"id": "I-1", "text": "Mayonnaise"}])
    assert org.change_mark("ideas", "acme") == (3, 1)
    assert org.change_mark("ideas", "other") == (1, 0)


def test_written_since_lists_added_and_edited_ideas_only(org: Any) -> None:
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}, {"id": "I-2", "text": "Seals"}])
    seen, _ = org.change_mark("ideas", "acme")
    assert org.written_since("ideas", "acme", seen, ["id", "text"]) == []
    org.upsert("ideas", "acme", [{"id": "I-3", "text": "Door gaskets"}])
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "A much quieter compressor"}])
    assert [tuple(r) for r in org.written_since("ideas", "acme", seen, ["id", "text"])] == [
        ("I-1", "A much quieter compressor"),
        ("I-3", "Door gaskets"),
    ]
    assert org.written_since("ideas", "acme", 0, ["id"]) != []


def test_the_revision_is_never_a_field_of_an_idea_nor_taken_from_one(org: Any) -> None:
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor", "revision": 10**6}])
    assert org.change_mark("ideas", "acme") == (1, 0)  # the given value was ignored
    assert "revision" not in org.get("ideas", "acme", "I-1")
    assert "revision" not in org.rows("ideas", "acme", include_hidden=True)[0]
    assert "revision" not in org.by_ids("ideas", "acme", ["I-1"])["I-1"]
    with pytest.raises(InputError, match="no readable column 'revision'"):
        org.columns("ideas", "acme", ["id", "revision"])


def test_kinds_without_a_mark_are_refused_by_name(org: Any) -> None:
    with pytest.raises(InputError, match="writes of goals are not marked"):
        org.change_mark("goals", "acme")
    with pytest.raises(InputError, match="writes of people are not marked"):
        org.written_since("people", "acme", 0, ["id"])


def test_a_failed_write_leaves_the_mark_where_it_was(org: Any) -> None:
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}])
    with pytest.raises(Exception):  # noqa: B017 - the unknown author is refused by the database
        org.upsert("ideas", "acme", [{"id": "I-2", "text": "Seals", "author_id": "nobody"}])
    assert org.change_mark("ideas", "acme") == (1, 0)


def test_deleting_the_organisation_removes_its_marks(org: Any) -> None:
    org.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}])
    org.delete_organisation("acme")
    org.create_organisation("acme", "Acme again")
    assert org.change_mark("ideas", "acme") == (0, 0)


def test_migration_5_brings_a_version_4_database_to_head_keeping_its_ideas(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("acme", "Acme Cooling")
        repo.upsert("ideas", "acme", [{"id": "I-1", "text": "Quieter compressor"}])
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 4 left the database
        conn.execute(text("DROP INDEX ix_ideas_revision"))
        conn.execute(text("ALTER TABLE ideas DROP COLUMN revision"))
        conn.execute(text("DROP TABLE change_marks"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version = 5"))
    engine.dispose()
    with open_store(store_url) as repo:
        engine = create_engine(store_url)
        assert "revision" in {c["name"] for c in inspect(engine).get_columns("ideas")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT max(version) FROM hoshin_migrations")).scalar() == HEAD
        engine.dispose()
        assert repo.change_mark("ideas", "acme") == (0, 0)
        assert repo.written_since("ideas", "acme", 0, ["id"]) == []  # old rows have no revision
        repo.upsert("ideas", "acme", [{"id": "I-2", "text": "Seals"}])
        assert [r[0] for r in repo.written_since("ideas", "acme", 0, ["id"])] == ["I-2"]
        assert [r[0] for r in repo.columns("ideas", "acme", ["id"])] == ["I-1", "I-2"]
