"""Hostile XLSX files are refused before they can pin a worker: a sheet whose dimension or cell
references claim a million rows by 16,384 columns, a worksheet that unpacks to a hundred times its
size or more, and a zip with thousands of entries. Each refusal is an InputError naming the file;
an ordinary workbook still reads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from hoshin.errors import InputError
from hoshin.io.tables import TableSpec, read_table

SPEC = TableSpec(required=("id", "text"), optional=(), unique="id")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet(rows: str, dimension: str = "A1:B2") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


HEADER = f'<row r="1">{_cell("A1", "id")}{_cell("B1", "text")}</row>'


def _xlsx(path: Path, sheet: str, extra: int = 0) -> Path:
    """A minimal workbook with `sheet` as its only worksheet (and `extra` more, empty, entries)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        for n in range(extra):
            book.writestr(f"xl/media/pad{n}.bin", b"")
    path.write_bytes(buffer.getvalue())
    return path


def test_an_ordinary_workbook_still_reads(tmp_path: Path) -> None:
    rows = HEADER + f'<row r="2">{_cell("A2", "I1")}{_cell("B2", "A door seal")}</row>'
    assert read_table(_xlsx(tmp_path / "ideas.xlsx", _sheet(rows)), SPEC) == [
        {"id": "I1", "text": "A door seal"}
    ]


def test_a_sheet_claiming_the_whole_grid_is_refused(tmp_path: Path) -> None:
    # 1.7 KB: a header, a dimension of 1,048,576 x 16,384 and one cell at the far corner. openpyxl
    # padded every row to the dimension: this pinned a worker at 100 % CPU. Now only the header's
    # columns are read, so the sheet holds no rows, and says so.
    rows = HEADER + f'<row r="1048576">{_cell("XFD1048576", "x")}</row>'
    path = _xlsx(tmp_path / "grid.xlsx", _sheet(rows, dimension="A1:XFD1048576"))
    assert path.stat().st_size < 2_000
    with pytest.raises(InputError) as caught:
        read_table(path, SPEC)
    assert str(caught.value).endswith("grid.xlsx: the file holds no rows (expected columns: id, text)")


def test_rows_of_a_claimed_grid_read_as_their_header_columns(tmp_path: Path) -> None:
    rows = (
        HEADER
        + f'<row r="2">{_cell("A2", "I1")}{_cell("B2", "A door seal")}</row>'
        + f'<row r="1048576">{_cell("A1048576", "I2")}{_cell("XFD1048576", "far out")}</row>'
    )
    path = _xlsx(tmp_path / "grid.xlsx", _sheet(rows, dimension="A1:XFD1048576"))
    assert read_table(path, SPEC) == [{"id": "I1", "text": "A door seal"}, {"id": "I2", "text": ""}]


def test_a_row_past_the_last_row_a_sheet_holds_is_refused(tmp_path: Path) -> None:
    rows = HEADER + f'<row r="99999999">{_cell("A99999999", "I1")}{_cell("B99999999", "x")}</row>'
    path = _xlsx(tmp_path / "deep.xlsx", _sheet(rows))
    with pytest.raises(InputError) as caught:
        read_table(path, SPEC)
    message = str(caught.value)
    assert "deep.xlsx" in message and "past row 1,048,576" in message


def test_a_header_wider_than_any_table_is_refused(tmp_path: Path) -> None:
    wide = "".join(_cell(f"{_column(n)}1", f"c{n}") for n in range(1, 2_002))
    path = _xlsx(tmp_path / "wide.xlsx", _sheet(f'<row r="1">{wide}</row>'))
    with pytest.raises(InputError) as caught:
        read_table(path, SPEC)
    assert "wide.xlsx: the header row has 2,001 columns (at most 1,000)" in str(caught.value)


def test_a_worksheet_that_unpacks_far_beyond_its_size_is_refused(tmp_path: Path) -> None:
    # About 60 KB on disk, 40 MB of sheet XML once unpacked: refused before openpyxl opens it.
    filler = '<row r="2"><c r="A2"><v>1</v></c></row>' * 1_000_000
    path = _xlsx(tmp_path / "bomb.xlsx", _sheet(HEADER + filler))
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError) as caught:
        read_table(path, SPEC)
    message = str(caught.value)
    assert "bomb.xlsx" in message and "unpack" in message


def test_a_zip_of_thousands_of_entries_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "many.xlsx", _sheet(HEADER), extra=5_000)
    with pytest.raises(InputError) as caught:
        read_table(path, SPEC)
    assert "many.xlsx" in str(caught.value) and "entries" in str(caught.value)


def test_a_file_that_is_no_zip_at_all_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    path.write_bytes(b"id,text\nI1,not a workbook\n")
    with pytest.raises(InputError) as caught:
        read_table(path, SPEC)
    assert "plain.xlsx" in str(caught.value)


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
