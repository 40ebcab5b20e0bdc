"""Import goal trees exported from OKR tools (CSV or XLSX) through the ordinary goal importer.

OKR tools export in one of two shapes, and both are read:

- one row per item: a title column plus a type column (Objective / Key Result) and/or a parent
  column naming the parent's id or title;
- one row per key result: an Objective column repeated on every row and a Key Result column
  (objectives are made from the distinct Objective cells).

Column names are matched loosely (case, spaces and punctuation ignored), for example Objective,
Key Result / KR, Title / Name, Owner / Assignee, Team / Department / Unit, Parent / Aligned to,
Quarter / Cycle / Period, Start / Baseline, Target, Current / Actual. Teams are matched to unit ids
or names, owners to person ids, names or e-mails; a goal's level is its depth in the tree (1-3).
Rows without an id column get a stable id from their text, so importing the same export again
updates the goals instead of duplicating them. Anything that does not resolve is refused with the
row and column named, and nothing is written (the importer's all-or-nothing rule).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hoshin.errors import InputError, RowError
from hoshin.io.tables import TableSpec, read_table
from hoshin.service.importing import ImportResult, import_batches
from hoshin.service.records import Batch

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["COLUMN_ALIASES", "import_okr_file", "okr_records"]

MAX_LEVEL = 3
# Our field -> the column names OKR tools use for it (compared after `_norm`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "okr id", "goal id", "item id", "key", "external id"),
    "type": ("type", "item type", "okr type", "kind", "level"),
    "title": ("title", "name", "text", "goal", "summary"),
    "objective": ("objective", "objective title", "objective name", "objectives"),
    "key_result": ("key result", "key results", "kr", "kr title", "key result title", "key result name"),
    "owner": ("owner", "owner name", "owner email", "assignee", "responsible", "lead"),
    "team": ("team", "team name", "unit", "department", "group", "org unit"),
    "parent": (
        "parent",
        "parent id",
        "parent objective",
        "parent goal",
        "aligned to",
        "aligns to",
        "contributes to",
    ),
    "period": ("period", "quarter", "cycle", "time frame", "timeframe", "session"),
    "metric": ("metric", "metric name", "measure", "unit of measure"),
    "start": ("start", "start value", "initial value", "baseline"),
    "target": ("target", "target value"),
    "current": ("current", "current value", "actual", "actual value"),
}
_KEY_RESULT_TYPES = {"key result", "keyresult", "kr", "key results", "3"}
_OBJECTIVE_TYPES = {"objective", "company objective", "team objective", "goal", "1", "2", ""}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_FIELD_OF = {_norm(alias): name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}


@dataclass
class _Item:
    row: int
    id: str
    text: str
    is_key_result: bool
    parents: list[str] = field(default_factory=list)  # raw references: ids or titles
    cells: dict[str, str] = field(default_factory=dict)


def _header_variants() -> list[str]:
    """The spellings read_table is asked to keep; any other column is ignored."""
    out: set[str] = set()
    for aliases in COLUMN_ALIASES.values():
        for alias in aliases:
            for variant in (alias, alias.title(), alias.capitalize(), alias.upper()):
                out.update({variant, variant.replace(" ", "_"), variant.replace(" ", "")})
    return sorted(out)


def _read(path: Path) -> list[tuple[int, dict[str, str]]]:
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(f"{path}: an OKR export must be a .csv or .xlsx file")
    raw = read_table(path, TableSpec(required=(), optional=_header_variants(), unique=None))
    rows = []
    for number, row in enumerate(raw, start=2):
        cells: dict[str, str] = {}
        for column, value in row.items():
            name = _FIELD_OF.get(_norm(column))
            if name and value and name not in cells:
                cells[name] = value
        rows.append((number, cells))
    if not raw:
        raise InputError(f"{path}: the file holds no rows")
    have = {_FIELD_OF.get(_norm(column)) for row in raw for column in row}
    if not ({"title", "objective", "key_result"} & have):
        raise RowError(
            str(path),
            1,
            None,
            "no column holds the goals' text",
            "name it Objective and Key Result, or Title with a Type column",
        )
    return rows


def _stable_id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(text.strip().lower().encode()).hexdigest()[:8]}"


def _items(rows: list[tuple[int, dict[str, str]]]) -> list[_Item]:
    items: list[_Item] = []
    objectives: dict[str, _Item] = {}
    for number, cells in rows:
        kr_text, objective = cells.get("key_result", ""), cells.get("objective", "")
        if objective:  # the flat shape: objective repeated on each key-result row
            key = objective.lower()
            if key not in objectives:
                carry = {k: v for k, v in cells.items() if k in ("team", "owner", "period")}
                objectives[key] = _Item(number, _stable_id("O", objective), objective, False, [], dict(carry))
                if cells.get("parent"):
                    objectives[key].parents = _split(cells["parent"])
                items.append(objectives[key])
            if kr_text:
                ident = cells.get("id") or _stable_id("KR", objective + "\n" + kr_text)
                items.append(_Item(number, ident, kr_text, True, [objectives[key].id], cells))
            continue
        text = cells.get("title") or kr_text
        if not text:
            raise RowError("", number, "title", "is empty", "give every row the goal's text")
        kind = cells.get("type", "").strip().lower()
        is_kr = bool(kr_text) or kind in _KEY_RESULT_TYPES
        if kind and not is_kr and kind not in _OBJECTIVE_TYPES:
            raise RowError(
                "",
                number,
                "type",
                f"{cells['type']!r} is neither an objective nor a key result",
                "write Objective or Key Result",
            )
        ident = cells.get("id") or _stable_id("KR" if is_kr else "O", text)
        items.append(_Item(number, ident, text, is_kr, _split(cells.get("parent", "")), cells))
    return items


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _lookup(repo: Repository, org_id: str, kind: str, names: tuple[str, ...]) -> dict[str, str]:
    """Lower-cased id, name and e-mail -> id, for matching what the export wrote."""
    out: dict[str, str] = {}
    for record in repo.rows(kind, org_id):
        for name in names:
            value = record.get(name)
            if isinstance(value, str) and value.strip():
                out.setdefault(value.strip().lower(), record["id"])
    return out


def okr_records(
    repo: Repository, org_id: str, path: str | Path
) -> tuple[str, list[tuple[int, dict[str, Any]]]]:
    """(source name, [(row number, goal record)]) ready for the goal importer; RowError on the
    first cell that cannot be resolved."""
    path = Path(path)
    source = str(path)
    try:
        items = _items(_read(path))
    except RowError as exc:
        raise RowError(source, exc.row, exc.field, exc.problem, exc.fix) from None
    units = _lookup(repo, org_id, "units", ("id", "name"))
    people = _lookup(repo, org_id, "people", ("id", "name", "email"))
    stored = {g["id"]: g for g in repo.rows("goals", org_id)}
    by_id = {i.id: i for i in items}
    by_title: dict[str, str] = {}
    for item in items:
        by_title.setdefault(item.text.strip().lower(), item.id)
    for g in stored.values():
        by_title.setdefault(g["text"].strip().lower(), g["id"])

    def resolve(item: _Item, ref: str) -> str:
        if ref in by_id or ref in stored:
            return ref
        if ref.lower() in by_title:
            return by_title[ref.lower()]
        raise RowError(
            source,
            item.row,
            "parent",
            f"{ref!r} is neither the id nor the title of any goal in the file or the organisation",
            "name an objective of the file or a stored goal, or leave it blank",
        )

    parents = {i.id: [resolve(i, r) for r in i.parents] for i in items}
    levels: dict[str, int] = {}

    def level(goal_id: str, trail: tuple[str, ...]) -> int:
        if goal_id in stored and goal_id not in by_id:
            return int(stored[goal_id]["level"])
        if goal_id in levels:
            return levels[goal_id]
        if goal_id in trail:
            item = by_id[goal_id]
            raise RowError(
                source,
                item.row,
                "parent",
                f"parent links go round in a circle: {' -> '.join((*trail, goal_id))}",
                "break the circle so every chain ends at an objective",
            )
        above = [level(p, (*trail, goal_id)) for p in parents[goal_id]]
        item = by_id[goal_id]
        found = max(above) + 1 if above else (2 if item.is_key_result else 1)
        if found > MAX_LEVEL:
            raise RowError(
                source,
                item.row,
                "parent",
                f"sits {found} levels deep; Hoshin keeps three (company objective, unit goal, key result)",
                "attach it to a goal higher up",
            )
        levels[goal_id] = found
        return found

    out: list[tuple[int, dict[str, Any]]] = []
    for item in items:
        record: dict[str, Any] = {
            "id": item.id,
            "text": item.text,
            "level": level(item.id, ()),
            "parent_ids": parents[item.id],
        }
        team = item.cells.get("team")
        if team:
            if team.lower() not in units:
                raise RowError(
                    source,
                    item.row,
                    "team",
                    f"{team!r} is no unit id or name",
                    "import the units first or use a unit's id or name",
                )
            record["unit_id"] = units[team.lower()]
        owner = item.cells.get("owner")
        if owner:
            if owner.lower() not in people:
                raise RowError(
                    source,
                    item.row,
                    "owner",
                    f"{owner!r} is no person id, name or e-mail",
                    "import the people first or clear the cell",
                )
            record["owner_id"] = people[owner.lower()]
        for name in ("period", "metric", "start", "target", "current"):
            if item.cells.get(name) and (
                item.is_key_result or name == "period" or "key_result" not in item.cells
            ):
                record[name] = (
                    item.cells[name].rstrip("%").strip()
                    if name in ("start", "target", "current")
                    else item.cells[name]
                )
        out.append((item.row, record))
    return source, out


def import_okr_file(repo: Repository, org_id: str, path: str | Path, actor: str) -> ImportResult:
    """Import an OKR tool's export as goals (all or nothing); returns created/updated counts."""
    source, rows = okr_records(repo, org_id, path)
    batch = Batch(kind="goals", source=source, rows=rows)
    detail = {"file": Path(path).name, "format": "okr"}
    return import_batches(repo, org_id, [batch], actor, action="import", detail=detail)[0]
