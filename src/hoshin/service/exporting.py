"""Export records of one kind as rows whose columns are the import columns, so export -> import is a
round trip. `export_kind` gives JSON-ready dicts (lists stay lists); `export_file` writes CSV, XLSX,
JSON or JSONL, joining list fields with ';' and writing structured fields as JSON text in CSV/XLSX.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from hoshin.errors import InputError
from hoshin.service.records import flatten, kind_spec
from hoshin.store.repository import Repository

__all__ = ["Visible", "export_file", "export_kind", "flat_rows"]

# The records a user may see out of those given (for instance a unit manager's own units' goals).
Visible = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def export_kind(
    repo: Repository, org_id: str, kind: str, visible: Visible | None = None
) -> list[dict[str, Any]]:
    """Every record of `kind` in the organisation, with exactly the import columns (never passwords).

    For `mission` it is one row holding the current version (an empty list when there is none).
    `visible` narrows the stored records to those the user may see, before the columns are picked
    (the rule may read a column the export leaves out).
    """
    spec = kind_spec(kind)
    repo.organisation(org_id)
    if kind == "mission":
        current = repo.mission(org_id)
        return [] if current is None else [{name: current[name] for name in spec.exported}]
    records = repo.rows(kind, org_id)
    if visible is not None:
        records = visible(records)
    return [{name: record.get(name) for name in spec.exported} for record in records]


def flat_rows(kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for CSV/XLSX: list fields as 'a;b', structured fields as JSON text, blanks as ''."""
    spec = kind_spec(kind)
    out = []
    for row in rows:
        flat: dict[str, Any] = {}
        for name, value in row.items():
            field = spec.field(name)
            if field.kind == "list":
                flat[name] = flatten(value or [])
            elif field.kind == "json":
                flat[name] = json.dumps(value or [], ensure_ascii=False)
            elif field.kind == "bool":
                flat[name] = "true" if value else "false"
            else:
                flat[name] = value
        out.append(flat)
    return out


def export_file(
    repo: Repository,
    org_id: str,
    kind: str,
    fmt: str,
    out: IO[str] | str | Path,
    visible: Visible | None = None,
) -> int:
    """Write the kind's records (those `visible` keeps, when given) to `out` as json, jsonl, csv, xlsx
    or table; returns the row count."""
    from hoshin.io.tables import write_table

    rows = export_kind(repo, org_id, kind, visible)
    if fmt in ("csv", "xlsx", "table"):
        rows = flat_rows(kind, rows)
        if not rows and fmt in ("csv", "xlsx"):
            # An empty export still names its columns, so the file is a ready-made template.
            rows_for_header = [{name: "" for name in kind_spec(kind).exported}]
            _write_header_only(rows_for_header, fmt, out)
            return 0
    elif fmt not in ("json", "jsonl"):
        raise InputError(f"unknown format {fmt!r}; choose one of json, jsonl, csv, xlsx, table")
    write_table(rows, fmt, out)
    return len(rows)


def _write_header_only(template: list[dict[str, Any]], fmt: str, out: IO[str] | str | Path) -> None:
    from hoshin.io.tables import write_csv, write_xlsx

    columns = list(template[0])
    if fmt == "csv":
        if isinstance(out, (str, Path)):
            with open(out, "w", encoding="utf-8", newline="") as handle:
                write_csv(columns, [], handle)
        else:
            write_csv(columns, [], out)
        return
    if not isinstance(out, (str, Path)):
        raise InputError("xlsx output needs a file (use --output FILE.xlsx)")
    write_xlsx(columns, [], out)
