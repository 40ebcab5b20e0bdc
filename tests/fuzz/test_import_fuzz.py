"""Fuzzing every importer: any file either imports whole or is refused whole, never a traceback.

A refused file (HoshinError) must leave the organisation exactly as it was: no half-written
batch, no stray audit event, no verdict. An accepted file must store exactly the records it
reports as created.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hoshin.errors import HoshinError
from hoshin.service.importing import import_file
from hoshin.service.records import KINDS

from .conftest import snapshot
from .strategies import mutated_table, table, write_file

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check_import(repo: Any, kind: str, path: Path) -> None:
    before = snapshot(repo)
    counted = kind != "mission"
    count_before = repo.count(kind, "coolco") if counted else 0
    try:
        result = import_file(repo, "coolco", kind, path, "fuzz")
    except HoshinError as exc:
        event(f"refused: {type(exc).__name__}")
        assert str(exc), "an error must say what is wrong"
        assert snapshot(repo) == before, f"refused {path.name} but the store changed"
        return
    event("imported")
    assert result.kind == kind
    if counted:
        assert repo.count(kind, "coolco") == count_before + result.created


@pytest.mark.parametrize("kind", list(KINDS))
@FUZZ
@given(data=st.data())
def test_structured_files_import_whole_or_not_at_all(
    loaded_store: Any, kind: str, data: st.DataObject
) -> None:
    fields = [f.name for f in KINDS[kind].fields]
    (fmt, *columns), rows = data.draw(table(fields), label="file")
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), kind, fmt, columns, rows)
        _check_import(loaded_store, kind, path)


@pytest.mark.parametrize("kind", list(KINDS))
@FUZZ
@given(data=st.data())
def test_nearly_valid_files_import_whole_or_not_at_all(
    loaded_store: Any, kind: str, data: st.DataObject
) -> None:
    (fmt, *columns), rows = data.draw(mutated_table(kind), label="file")
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), kind, fmt, columns, rows)
        _check_import(loaded_store, kind, path)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xlsx", ".txt", ""])
@settings(FUZZ, max_examples=25)
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_importer(loaded_store: Any, suffix: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"ideas{suffix}"
        path.write_bytes(content)
        _check_import(loaded_store, "ideas", path)


@settings(FUZZ, max_examples=30)
@given(text=st.text(max_size=200))
def test_arbitrary_text_as_csv_never_crashes_the_importer(loaded_store: Any, text: str) -> None:
    # Text (rather than bytes) reaches the CSV parser itself: quotes, NULs, odd line ends.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "goals.csv"
        path.write_text("id,text,level\n" + text, encoding="utf-8", newline="")
        _check_import(loaded_store, "goals", path)
