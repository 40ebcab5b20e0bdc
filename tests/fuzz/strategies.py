"""Hypothesis strategies for hostile tabular files: wrong types, odd text, broken references."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Ids of the CoolCo fixture, so some references resolve and some rows update stored records.
KNOWN_IDS = ("U-CO", "U-RD", "p01", "p02", "K-FOOD", "G-C1", "G-U1", "I001", "D01", "admin", "coolco")
TRICKY = (
    "",
    " ",
    "G-C1; G-U1",
    "nan",
    "inf",
    "-0",
    "1e309",
    "2024-02-30",
    "2024-01-01",
    "=1+1",
    "null",
    "true",
    "[]",
    "{}",
    "core",
    "adjacent",
    "accepted",
    "employee",
    "admin",
    "x" * 70,
)

# Text without the control characters a spreadsheet cannot hold (openpyxl refuses them outright).
plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
any_text = st.text(max_size=30)

scalar = st.one_of(
    any_text,
    st.sampled_from(KNOWN_IDS + TRICKY),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
json_value = st.one_of(
    scalar,
    st.lists(st.one_of(st.sampled_from(KNOWN_IDS), any_text), max_size=3),
    st.dictionaries(plain_text, scalar, max_size=2),
)


def rows_for(columns: list[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(st.fixed_dictionaries({c: values for c in columns}), max_size=5)


@st.composite
def table(draw: st.DrawFn, fields: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns drawn from the kind's own fields (sometimes missing one, sometimes with a stray one)."""
    columns = draw(st.lists(st.sampled_from(fields), unique=True, min_size=0, max_size=len(fields)))
    if draw(st.booleans()):
        columns = [f for f in fields if f in columns or draw(st.booleans())] or columns
    if draw(st.integers(0, 5)) == 0:
        columns.append(draw(st.sampled_from(["junk", "ID", " id", "text "])))
    fmt = draw(st.sampled_from(["csv", "json", "jsonl", "xlsx"]))
    cells = json_value if fmt in ("json", "jsonl") else st.one_of(scalar, plain_text)
    return [fmt, *columns], draw(rows_for(columns, cells))


def write_file(folder: Path, stem: str, fmt: str, columns: list[str], rows: list[dict[str, Any]]) -> Path:
    """Write the rows the way a user's tool might: csv.writer, json.dumps, or a real workbook."""
    path = folder / f"{stem}.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row[c] is None else str(row[c]) for c in columns])
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(columns)
        for row in rows:
            sheet.append([_xlsx_cell(row[c]) for c in columns])
        book.save(path)
    return path


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)  # a workbook cannot store NaN or infinity as a number
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return str(value)
    if isinstance(value, str):
        return "".join(ch for ch in value if ch.isprintable() or ch == " ")
    return value


# One valid row per kind; `mutated_table` starts from copies of it, so many drawn files are
# acceptable and the writing path is exercised as well as the refusing one.
VALID_ROW: dict[str, dict[str, Any]] = {
    "units": {"id": "U-NEW", "name": "New unit", "parent_id": "U-CO", "description": "Makes things."},
    "people": {"id": "p99", "name": "Pat Cold", "unit_id": "U-RD", "email": "pat@coolco.example"},
    "knowledge_areas": {"id": "K-NEW", "name": "Sealing", "description": "Door seals.", "weight": 2},
    "skills": {"person_id": "p01", "area_id": "K-FOOD", "level": 3, "skill_text": "Tastes food"},
    "goals": {
        "id": "G-NEW",
        "text": "Quieter compressors.",
        "level": 2,
        "parent_ids": "G-C1",
        "unit_id": "U-RD",
    },
    "ideas": {"id": "I999", "text": "A fridge that hums less.", "status": "new", "source": "employee"},
    "documents": {"id": "D99", "title": "Seal guide", "text": "How to fit a seal.", "area_ids": "K-FOOD"},
    "communications": {
        "id": "M99",
        "title": "Post",
        "text": "Fresh food, longer.",
        "channel": "web",
        "voice": "internal",
        "date": "2026-01-02",
    },
    "users": {"username": "newbie", "role": "viewer", "password": "a-long-password-123"},
    "mission": {"text": "To make refrigerators that last.", "focus_areas": "seals; compressors"},
}
KEYS = {"skills": ("person_id", "area_id"), "users": ("username",), "mission": ()}
ALT_KEYS = {
    "id": ["U-LAB", "p02", "K-THERMO", "G-U1", "I001", "D01", "M01", "n1", "n2", "n3"],
    "username": ["admin", "ben", "u1", "u2"],
    "person_id": ["p01", "p02"],
    "area_id": ["K-FOOD", "K-THERMO"],
}


@st.composite
def mutated_table(draw: st.DrawFn, kind: str) -> tuple[list[str], list[dict[str, Any]]]:
    """A few valid rows of `kind` with distinct keys, then zero to three cells made hostile."""
    template = VALID_ROW[kind]
    columns = list(template)
    keys = KEYS.get(kind, ("id",))
    count = 1 if kind == "mission" else draw(st.integers(1, 4))
    rows = []
    for number in range(count):
        row = dict(template)
        for key in keys:
            row[key] = draw(st.sampled_from(ALT_KEYS[key] + [f"{template[key]}{number}"]))
        rows.append(row)
    for _ in range(draw(st.integers(0, 3))):
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(columns))] = draw(st.one_of(scalar, plain_text))
    fmt = draw(st.sampled_from(["csv", "json", "jsonl", "xlsx"]))
    return [fmt, *columns], rows
