"""A bulk import leaves PostgreSQL with fresh planner statistics of the tables it wrote (before,
a re-score right after a million-row load scanned the whole vectors table per lookup until
autovacuum caught up); smaller imports and SQLite skip it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

import hoshin.service.importing as importing
from hoshin.errors import InputError
from hoshin.service.importing import import_file


def analysed(url: str, table: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(
            text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = :t"), {"t": table}
        ).scalar_one()
    engine.dispose()
    return int(count)


def people_file(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "people.json"
    path.write_text(json.dumps([{"id": f"P-{k}", "name": f"Person {k}"} for k in range(n)]))
    return path


@pytest.mark.postgres
def test_a_large_import_refreshes_the_statistics_of_what_it_wrote(
    loaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loaded.dialect != "postgresql":
        pytest.skip("statistics are PostgreSQL's")
    before = analysed(loaded.url, "people")
    import_file(loaded, "coolco", "people", people_file(tmp_path, 3), "test")
    assert analysed(loaded.url, "people") == before  # small: left to autovacuum
    monkeypatch.setattr(importing, "ANALYSE_FROM", 3)
    import_file(loaded, "coolco", "people", people_file(tmp_path, 3), "test")
    deadline = time.monotonic() + 15  # a server process publishes its counts within a second or so
    while analysed(loaded.url, "people") != before + 1:
        assert time.monotonic() < deadline, "the import did not analyse the people table"
        time.sleep(0.2)


def test_refreshing_statistics_takes_known_names_only(repo: Any) -> None:
    repo.refresh_statistics(["ideas", "vectors"])  # a no-op on SQLite, ANALYZE on PostgreSQL
    with pytest.raises(InputError, match="unknown record kind 'idea_table'"):
        repo.refresh_statistics(["idea_table"])
