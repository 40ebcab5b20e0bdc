"""Read and write tabular files (CSV, XLSX, JSON, JSONL), chosen by file extension.

Reading validates as it goes and raises `RowError` naming the file, the row, the field and the fix,
so a bad file is rejected before anything downstream sees it. Rows come back as dicts of stripped
strings; a blank cell is the empty string.
"""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hoshin.errors import InputError, RowError

__all__ = [
    "FORMATS",
    "READABLE",
    "TableSpec",
    "TableWriter",
    "iter_table",
    "read_table",
    "spreadsheet_text",
    "write_csv",
    "write_table",
    "write_xlsx",
]

READABLE = (".csv", ".xlsx", ".json", ".jsonl")
FORMATS = ("json", "jsonl", "csv", "xlsx", "table")
MAX_FIELD_CHARS = 20_000  # one field longer than this is almost surely a broken file, not a text


@dataclass(frozen=True)
class TableSpec:
    """What a file must hold: required columns, optional ones, and which must be non-empty."""

    required: Sequence[str]
    optional: Sequence[str] = ()
    non_empty: Sequence[str] = ()
    unique: str | None = "id"
    max_chars: int = MAX_FIELD_CHARS
    # Fields that take one of a few words (any case; stored in lower case), e.g. a tier.
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)


def read_table(path: str | Path, spec: TableSpec) -> list[dict[str, str]]:
    """All rows of the file, validated against `spec`; raises InputError/RowError on the first problem."""
    return list(iter_table(path, spec))


def iter_table(path: str | Path, spec: TableSpec) -> Iterator[dict[str, str]]:
    """The rows of the file one by one, validated as `read_table` validates them.

    CSV, JSONL and XLSX are read as they go, so memory does not grow with the file (only the ids
    seen so far are kept, for the duplicate check); a JSON list is parsed whole. A problem is raised
    when the reading reaches it, so a caller that must not act on half a file reads it through once
    first (the batch commands do)."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise InputError(f"{name}: file not found (check the path)")
    if path.is_dir():
        raise InputError(f"{name}: is a folder, not a file")
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise InputError(
            f"{name}: cannot read '{suffix or 'no extension'}' files (use one of {', '.join(READABLE)})"
        )
    reader = {".csv": _read_csv, ".xlsx": _read_xlsx, ".json": _read_json, ".jsonl": _read_jsonl}[suffix]
    seen: dict[str, int] = {}
    columns_checked = False
    for number, raw in reader(path, name):
        if not columns_checked:
            _check_columns(name, raw.keys(), spec)
            columns_checked = True
        row = {key: _cell(name, number, key, raw.get(key), spec.max_chars) for key in _wanted(spec, raw)}
        for column in spec.non_empty:
            if not row.get(column):
                raise RowError(name, number, column, "is empty", f"give every row a {column}")
        for column, allowed in spec.choices.items():
            value = row.get(column, "")
            if value and value.lower() not in allowed:
                raise RowError(
                    name, number, column, f"{value!r} is not allowed", f"use one of {', '.join(allowed)}"
                )
            row[column] = value.lower()
        if spec.unique:
            key = row.get(spec.unique, "")
            if key in seen:
                raise RowError(
                    name, number, spec.unique, f"duplicate id {key!r}", f"row {seen[key]} already uses it"
                )
            seen[key] = number
        yield row
    if not columns_checked:
        raise InputError(f"{name}: the file holds no rows (expected columns: {', '.join(spec.required)})")


def _wanted(spec: TableSpec, raw: dict[str, Any]) -> list[str]:
    known = list(spec.required) + [c for c in spec.optional if c in raw]
    return known


def _check_columns(name: str, present: Iterable[str], spec: TableSpec) -> None:
    have = set(present)
    missing = [c for c in spec.required if c not in have]
    if missing:
        raise RowError(
            name,
            1,
            missing[0],
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            f"the file needs the columns {', '.join(spec.required)}; "
            f"it has {', '.join(sorted(have)) or 'none'}",
        )


def _cell(name: str, row: int, field: str, value: Any, max_chars: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))  # spreadsheets store ids and levels as floats
    elif isinstance(value, (str, int, float)):
        text = str(value)
    else:
        raise RowError(name, row, field, f"holds a {type(value).__name__}", "give a plain text or number")
    text = text.strip()
    if text.startswith("'") and spreadsheet_text(text[1:]) == text:
        text = text[1:]  # the quote our own export put before a formula-like text: read it back as it was
    if len(text) > max_chars:
        raise RowError(name, row, field, f"is {len(text)} characters long", f"keep it under {max_chars}")
    return text


def _decode(path: Path, name: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{name}: line {line} is not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "save the file as UTF-8 and try again"
        ) from None


def _text_lines(path: Path, name: str, binary_hint: str | None = None) -> Iterator[str]:
    """The file's lines, decoded as UTF-8 (a leading BOM dropped) a block at a time; line ends are
    kept as written, as `newline=""` keeps them. Invalid UTF-8 is reported with its line and offset,
    as `_decode` reports it; with `binary_hint`, a NUL byte is refused with that word."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        try:
            for line in handle:
                if binary_hint is not None and "\x00" in line:
                    raise InputError(
                        f"{name}: holds NUL bytes; it looks binary, not a {binary_hint} text file"
                    )
                yield line
        except UnicodeDecodeError:
            pass
        else:
            return
    _raise_bad_utf8(path, name)


def _raise_bad_utf8(path: Path, name: str) -> None:
    """Find the first byte that is not UTF-8 without reading the whole file into memory."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                # exc.object is the block with any bytes the decoder held back from the one before.
                start = exc.start - (len(exc.object) - len(block))
                line = lines + block[: max(start, 0)].count(b"\n") + 1
                raise InputError(
                    f"{name}: line {line} is not valid UTF-8 (byte {exc.object[exc.start]:#04x} at offset "
                    f"{offset + start}); "
                    "save the file as UTF-8 and try again"
                ) from None
            offset += len(block)
            lines += block.count(b"\n")
    raise InputError(f"{name}: is not valid UTF-8 (it ends inside a character); save the file as UTF-8")


def _read_csv(path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.reader(_text_lines(path, name, binary_hint="CSV"))
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [h.strip() for h in header]
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            raise RowError(name, 1, dup, "the header names this column twice", "rename one of them")
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines are common at the end of hand-made files
            if len(values) > len(header):
                raise RowError(
                    name,
                    line,
                    None,
                    f"has {len(values)} cells but the header has {len(header)}",
                    "quote cells that contain commas",
                )
            yield line, dict(zip(header, values))
    except csv.Error as exc:
        raise RowError(name, reader.line_num, None, f"malformed CSV: {exc}", "check the quoting") from None


# Guards against hostile workbooks: an XLSX file is a zip of XML parts, and a file of a few KB can
# unpack to gigabytes or claim a sheet of 1,048,576 x 16,384 cells that openpyxl pads row by row.
XLSX_MAX_ENTRIES = 1_000  # parts in the zip; a workbook has a few dozen
XLSX_MAX_UNPACKED = 1024 * 2**20  # bytes of all parts together, as the zip declares them
XLSX_MAX_RATIO = 200  # unpacked / packed size of one part over XLSX_RATIO_FROM bytes
XLSX_RATIO_FROM = 2**20
XLSX_MAX_ROWS = 1_048_576  # a sheet's own limit
XLSX_MAX_COLUMNS = 1_000


def _check_xlsx_zip(path: Path, name: str) -> None:
    """InputError naming the file unless its zip is small enough to open: few enough parts, and
    none that unpacks to far more than it takes on disk. The sizes are those the zip declares,
    which are the most it yields: reading a part stops there."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(
            f"{name}: not a readable XLSX workbook (not a zip file); save it again from Excel"
        ) from None
    if len(parts) > XLSX_MAX_ENTRIES:
        raise InputError(
            f"{name}: the workbook holds {len(parts):,} zip entries (at most {XLSX_MAX_ENTRIES:,}); "
            "save it again from Excel, or export the sheet as CSV"
        )
    unpacked = sum(p.file_size for p in parts)
    if unpacked > XLSX_MAX_UNPACKED:
        raise InputError(
            f"{name}: the workbook would unpack to {unpacked / 2**20:,.0f} MiB (at most "
            f"{XLSX_MAX_UNPACKED // 2**20:,} MiB); export the sheet as CSV instead"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
            raise InputError(
                f"{name}: its part {part.filename!r} would unpack to {ratio:,.0f} times its packed "
                f"size (at most {XLSX_MAX_RATIO}); a spreadsheet program writes no such file, so it "
                "is not read"
            )


def _read_xlsx(path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    import zipfile

    from openpyxl import load_workbook

    _check_xlsx_zip(path, name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"{name}: not a readable XLSX workbook ({exc}); save it again from Excel") from None
    try:
        sheet = book.worksheets[0]
        # The sheet's own claim of its size is not trusted: openpyxl would pad every row to it.
        sheet.reset_dimensions()
        header_row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        if header_row is None:
            return
        header = ["" if h is None else str(h).strip() for h in header_row]
        while header and header[-1] == "":
            header.pop()
        if len(header) > XLSX_MAX_COLUMNS:
            raise InputError(
                f"{name}: the header row has {len(header):,} columns (at most {XLSX_MAX_COLUMNS:,})"
            )
        if not header:
            return
        # Only the header's columns are read, and no row past a sheet's last: a cell far out
        # cannot make every row 16,384 cells wide, nor a row number beyond it a billion rows.
        rows = sheet.iter_rows(min_row=2, max_row=XLSX_MAX_ROWS + 1, max_col=len(header), values_only=True)
        for number, values in enumerate(rows, start=2):
            if number > XLSX_MAX_ROWS:
                raise InputError(
                    f"{name}: the sheet goes on past row {XLSX_MAX_ROWS:,}, more rows than a sheet "
                    "holds; save it again from Excel"
                )
            if not any(values) or all(v is None or str(v).strip() == "" for v in values):
                continue  # the first test is quick for the empty rows openpyxl fills gaps with
            yield number, dict(zip(header, values))
    finally:
        book.close()


_TOO_DEEP = "the JSON nests lists or objects too deeply to be rows; write a list of flat objects"


def _json_object(name: str, number: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise RowError(
            name, number, None, f"is a {type(item).__name__}, not an object", 'write {"id": ..., ...}'
        )
    return item


def _read_json(path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    text = _decode(path, name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RowError(name, exc.lineno, None, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{name}: {_TOO_DEEP}") from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise InputError(f"{name}: expected a JSON list of objects, got a {type(data).__name__}")
    for number, item in enumerate(data, start=1):
        yield number, _json_object(name, number, item)


def _read_jsonl(path: Path, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(_text_lines(path, name), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RowError(name, number, None, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise RowError(name, number, None, _TOO_DEEP) from None
        yield number, _json_object(name, number, item)


# ---------------------------------------------------------------- writing


def write_table(rows: Sequence[dict[str, Any]], fmt: str, out: IO[str] | str | Path) -> None:
    """Write rows as json, jsonl, csv, xlsx or a human table. `out` is a text stream or a path."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        if not isinstance(out, (str, Path)):
            raise InputError("xlsx output needs a file (use --output FILE.xlsx)")
        _write_xlsx(rows, Path(out))
        return
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as handle:
            write_table(rows, fmt, handle)
        return
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        columns = _columns(rows)
        write_csv(columns, ([_flat(row.get(k)) for k in columns] for row in rows), out)
    else:
        _write_text_table(rows, out)


class TableWriter:
    """Rows written as they come, in any of the formats `write_table` writes, with the same bytes.

    JSON is written as one valid array, element by element; JSONL and CSV line by line (the CSV
    header from the first row's keys); XLSX through a write-only workbook; only the human table
    waits for every row (its column widths need them). Written to a path, the file is built under
    a temporary name beside it and moved into place by `close()`; `discard()` (or leaving a `with`
    block by an exception) removes it, so a failed run never leaves half a file where the output
    belongs, nor replaces an older one."""

    def __init__(self, fmt: str, out: IO[str] | str | Path) -> None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        if fmt == "xlsx" and not isinstance(out, (str, Path)):
            raise InputError("xlsx output needs a file (use --output FILE.xlsx)")
        self.fmt = fmt
        self.count = 0
        self._target: Path | None = None
        self._temporary: str | None = None
        self._columns: list[str] | None = None
        self._held: list[dict[str, Any]] = []
        self._book: Any = None
        self._sheet: Any = None
        self._csv: Any = None
        if isinstance(out, (str, Path)):
            self._target = Path(out)
            handle, self._temporary = tempfile.mkstemp(
                prefix=f".{self._target.name}.", suffix=".part", dir=self._target.parent or None
            )
            os.close(handle)
            self._out: IO[str] | None = (
                None if fmt == "xlsx" else open(self._temporary, "w", encoding="utf-8", newline="")
            )
        else:
            self._out = out
        if fmt == "xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet("data")

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        if kind is None:
            self.close()
        else:
            self.discard()

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self._write_one(row)

    def _write_one(self, row: dict[str, Any]) -> None:
        out = self._out
        if self.fmt == "table":
            self._held.append(row)
        elif self.fmt == "jsonl":
            assert out is not None
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            assert out is not None
            # json.dump(rows, indent=2) puts each element two spaces in; no JSON string holds a raw
            # line break, so indenting every line of the element's own dump gives the same text.
            element = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(("[\n  " if self.count == 0 else ",\n  ") + element)
        else:
            if self._columns is None:
                self._columns = list(row)
                header = [spreadsheet_text(c) for c in self._columns]
                if self.fmt == "csv":
                    assert out is not None
                    self._csv = csv.writer(out, lineterminator="\n")
                    self._csv.writerow(header)
                else:
                    self._sheet.append(header)
            cells = [spreadsheet_text(_flat(row.get(k))) for k in self._columns]
            if self.fmt == "csv":
                self._csv.writerow(cells)
            else:
                self._sheet.append(cells)
        self.count += 1

    def close(self) -> None:
        """Finish the format (the closing bracket, the workbook) and move a file into place."""
        out = self._out
        if self.fmt == "json":
            assert out is not None
            out.write("[]\n" if self.count == 0 else "\n]\n")
        elif self.fmt == "csv" and self._columns is None:
            assert out is not None
            out.write("\n")  # write_csv's empty header line: no rows, no columns
        elif self.fmt == "table":
            assert out is not None
            _write_text_table(self._held, out)
            self._held = []
        elif self.fmt == "xlsx":
            if self._columns is None:
                self._sheet.append([])
            self._book.save(self._temporary)
        if self._target is None:
            if out is not None:
                out.flush()
            return
        if out is not None:
            out.close()
        assert self._temporary is not None
        mask = os.umask(0)  # the mode a plain open() would have given the file (mkstemp's is 0600)
        os.umask(mask)
        os.chmod(self._temporary, 0o666 & ~mask)
        os.replace(self._temporary, self._target)
        self._temporary = None

    def discard(self) -> None:
        """Drop what was written to a file (nothing can be taken back from a stream)."""
        if self._target is not None and self._out is not None:
            self._out.close()
        if self._temporary is not None and os.path.exists(self._temporary):
            os.unlink(self._temporary)
        self._temporary = None


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    return list(columns)


def _flat(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return round(value, 4)
    return "" if value is None else value


def _write_xlsx(rows: Sequence[dict[str, Any]], path: Path) -> None:
    columns = _columns(rows)
    write_xlsx(columns, ([_flat(row.get(k)) for k in columns] for row in rows), path)


# ---------------------------------------------------------------- spreadsheet cells
# Every CSV and XLSX file Hoshin writes goes through write_csv / write_xlsx, so each cell passes
# spreadsheet_text: the texts in them come from users and outside voices, and the files are opened
# in spreadsheets by other people.

# A spreadsheet takes a cell starting with one of these for a formula ("CSV injection"): an idea
# text =HYPERLINK(...) would run as one for whoever opens the export. Tab and CR count because
# some spreadsheets skip them before looking for the formula sign.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as -5 or +3.25 is no formula: it stays as it is.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# What an XLSX file (XML 1.0) cannot hold: control characters other than tab, LF and CR, the two
# non-characters, and lone surrogates (no UTF-8 for them either). One NUL in one idea made every
# XLSX export of the ideas fail.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def spreadsheet_text(value: Any) -> Any:
    """`value` as it may go into a CSV or XLSX cell: text without the characters XLSX cannot hold,
    and, where it would read as a formula, with a single quote in front (a spreadsheet then shows
    it as text). Anything but a string is returned as it is. `read_table` drops that quote again,
    so an export imports back unchanged."""
    if not isinstance(value, str):
        return value
    text = _UNWRITABLE.sub("", value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: IO[str]) -> None:
    """A header and rows of cell values as CSV on `out`, every cell made safe by spreadsheet_text."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([spreadsheet_text(c) for c in columns])
    writer.writerows([spreadsheet_text(v) for v in row] for row in rows)


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence[Any]], path: str | Path) -> None:
    """A header and rows of cell values as a one-sheet XLSX workbook at `path`. Every cell passes
    spreadsheet_text, so no text starts with '=' and openpyxl never stores one as a formula."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append([spreadsheet_text(c) for c in columns])
    for row in rows:
        sheet.append([spreadsheet_text(v) for v in row])
    book.save(path)


def _write_text_table(rows: Sequence[dict[str, Any]], out: IO[str], width: int = 60) -> None:
    if not rows:
        out.write("(no rows)\n")
        return
    columns = _columns(rows)
    cells = [[_short(_flat(row.get(k)), width) for k in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")


def _short(value: Any, width: int) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
