"""Reading tabular files: good files in every format, and every kind of bad file named precisely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from hoshin.errors import InputError, RowError
from hoshin.io.tables import TableSpec, read_table, write_table

SPEC = TableSpec(required=("id", "text"), non_empty=("id", "text"))


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl", ".xlsx"])
def test_every_format_reads_the_same_rows(tmp_path: Path, suffix: str) -> None:
    rows = [{"id": "1", "text": "Door seal compound"}, {"id": "2", "text": "Quiet compressor, 30 dB"}]
    path = tmp_path / f"ideas{suffix}"
    write_table(rows, suffix.lstrip("."), path)
    assert read_table(path, SPEC) == rows


def test_spreadsheet_numbers_become_plain_ids(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx", [["id", "text"], [7, "Seven"], [8.0, "Eight"]])
    assert [r["id"] for r in read_table(path, SPEC)] == ["7", "8"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv", SPEC)


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "ideas.txt"
    path.write_text("id,text\n1,x\n")
    with pytest.raises(InputError, match=r"cannot read '\.txt'"):
        read_table(path, SPEC)


def test_missing_column_names_the_column_and_what_is_there(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,title\n1,x\n")
    with pytest.raises(RowError) as err:
        read_table(path, SPEC)
    assert err.value.field == "text" and err.value.row == 1
    assert "title" in str(err.value) and "ideas.csv" in str(err.value)


def test_empty_text_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,text\n1,fine\n2,   \n")
    with pytest.raises(RowError) as err:
        read_table(path, SPEC)
    assert (err.value.row, err.value.field) == (3, "text")


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,text\n1,a\n2,b\n1,c\n")
    with pytest.raises(RowError) as err:
        read_table(path, SPEC)
    assert err.value.row == 4 and "row 2 already uses it" in str(err.value)


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_bytes("id,text\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="line 2 is not valid UTF-8"):
        read_table(path, SPEC)


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ideas.jsonl"
    path.write_text('{"id": "1", "text": "ok"}\n{"id": "2", "text": \n')
    with pytest.raises(RowError) as err:
        read_table(path, SPEC)
    assert err.value.row == 2


def test_json_must_be_a_list_of_objects(tmp_path: Path) -> None:
    path = tmp_path / "ideas.json"
    path.write_text(json.dumps({"id": 1}))
    with pytest.raises(InputError, match="expected a JSON list"):
        read_table(path, SPEC)
    path.write_text(json.dumps([["1", "x"]]))
    with pytest.raises(RowError, match="not an object"):
        read_table(path, SPEC)


def test_oversized_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,text\n1," + "x" * 30_000 + "\n")
    with pytest.raises(RowError, match="characters long"):
        read_table(path, SPEC)


def test_broken_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ideas.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="not a readable XLSX"):
        read_table(path, SPEC)


def test_header_only_file_says_it_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,text\n")
    with pytest.raises(InputError, match="holds no rows"):
        read_table(path, SPEC)


def test_too_many_cells_points_at_quoting(tmp_path: Path) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,text\n1,seals, gaskets and hinges\n")
    with pytest.raises(RowError, match="quote cells"):
        read_table(path, SPEC)
