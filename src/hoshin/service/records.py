"""What each importable record kind looks like, and the validation every import goes through.

One description per kind (`KINDS`) drives the file importer, the exporter, the demo loader and
backup/restore, so they accept and produce exactly the same columns: the JSON keys of the demo
organisation format. `validate_batches` checks types, allowed values, references, duplicate keys
and cycles for any number of kinds at once and raises a RowError naming the file, row, field and
fix; it never writes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from hoshin.errors import InputError, RowError
from hoshin.store.passwords import is_password_hash
from hoshin.store.trees import find_cycle

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["NUL_PROBLEM", "holds_nul", "KINDS", "Batch", "Field", "KindSpec", "kind_spec", "validate_batches"]

ID_CHARS = 64
NAME_CHARS = 300
TEXT_CHARS = 20_000

IDEA_SOURCES = ("employee", "customer", "partner", "research", "hackathon")
IDEA_STATUSES = ("new", "triaged", "under_review", "accepted", "rejected", "parked")
TIERS = ("core", "adjacent", "off")
CHANNELS = ("web", "press", "ad", "job_post", "review", "press_outside", "social")
VOICES = ("internal", "outside")
ROLES = ("admin", "strategist", "unit_manager", "contributor", "viewer")
ORIGINS = ("catalogue", "own")


@dataclass(frozen=True)
class Field:
    """One column. `kind` is text, id, int, float, date, list (of ids or words), json or bool."""

    name: str
    kind: str = "text"
    required: bool = False  # the column must exist and every row must fill it
    max_chars: int = NAME_CHARS
    choices: tuple[str, ...] = ()
    ref: str | None = None  # the record kind this id (or list of ids) points at
    low: float | None = None
    high: float | None = None
    default: Any = None  # stored for a new record when the cell is blank
    exported: bool = True  # False for write-only fields such as a password


@dataclass(frozen=True)
class KindSpec:
    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ("id",)
    tree: str | None = None  # the field that links records of this kind into a tree

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    @property
    def optional(self) -> list[str]:
        return [f.name for f in self.fields if not f.required]

    @property
    def exported(self) -> list[str]:
        return [f.name for f in self.fields if f.exported]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _id(name: str = "id", **kw: Any) -> Field:
    return Field(name, "id", max_chars=ID_CHARS, **kw)


KINDS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        KindSpec(
            "units",
            (
                _id(required=True),
                Field("name", required=True),
                _id("parent_id", ref="units"),
                Field("description", max_chars=TEXT_CHARS),
            ),
            tree="parent_id",
        ),
        KindSpec(
            "people",
            (
                _id(required=True),
                Field("name", required=True),
                _id("unit_id", ref="units"),
                Field("email"),
                Field("title"),
                Field("profile", max_chars=TEXT_CHARS),
            ),
        ),
        KindSpec(
            "knowledge_areas",
            (
                _id(required=True),
                Field("name", required=True),
                Field("description", max_chars=TEXT_CHARS),
                Field("weight", "float", low=0.0, high=100.0, default=1.0),
                Field("origin", choices=ORIGINS, default="own"),
            ),
        ),
        KindSpec(
            "skills",
            (
                _id("person_id", required=True, ref="people"),
                _id("area_id", required=True, ref="knowledge_areas"),
                Field("level", "int", required=True, low=1, high=5),
                Field("skill_text", max_chars=TEXT_CHARS),
            ),
            key=("person_id", "area_id"),
        ),
        KindSpec(
            "goals",
            (
                _id(required=True),
                Field("text", required=True, max_chars=TEXT_CHARS),
                _id("unit_id", ref="units"),
                Field("level", "int", required=True, low=1, high=3),
                Field("parent_ids", "list", ref="goals", max_chars=ID_CHARS),
                _id("owner_id", ref="people"),
                Field("period"),
                Field("metric"),
                Field("start", "float"),
                Field("target", "float"),
                Field("current", "float"),
            ),
            tree="parent_ids",
        ),
        KindSpec(
            "ideas",
            (
                _id(required=True),
                Field("text", required=True, max_chars=TEXT_CHARS),
                Field("source", choices=IDEA_SOURCES),
                _id("author_id", ref="people"),
                _id("unit_id", ref="units"),
                Field("tags", "list", max_chars=100),
                Field("links", "list", max_chars=2_000),
                Field("status", choices=IDEA_STATUSES, default="new"),
                Field("submitted_at", "date"),
                Field("override_tier", choices=TIERS),
                Field("override_reason", max_chars=TEXT_CHARS),
                Field("reviewer"),
                Field("override_version", "int", low=1),
                _id("duplicate_group"),
            ),
        ),
        KindSpec(
            "documents",
            (
                _id(required=True),
                Field("title", required=True),
                Field("text", required=True, max_chars=TEXT_CHARS),
                Field("area_ids", "list", ref="knowledge_areas", max_chars=ID_CHARS),
            ),
        ),
        KindSpec(
            "communications",
            (
                _id(required=True),
                Field("title"),
                Field("text", required=True, max_chars=TEXT_CHARS),
                Field("channel", choices=CHANNELS),
                Field("voice", choices=VOICES, default="internal"),
                Field("date", "date"),
            ),
        ),
        KindSpec(
            "users",
            (
                _id("username", required=True),
                Field("role", required=True, choices=ROLES),
                _id("unit_id", ref="units"),
                _id("person_id", ref="people"),
                Field("active", "bool", default=True),
                Field("password", max_chars=1024, exported=False),
                Field("password_hash", exported=False),
            ),
            key=("username",),
        ),
        KindSpec(
            "mission",
            (
                Field("text", required=True, max_chars=TEXT_CHARS),
                Field("focus_areas", "list", max_chars=2_000),
                Field("exclusions", "list", max_chars=2_000),
                Field("principles", "json"),
                Field("brand_attributes", "json"),
                Field("themes", "json"),
            ),
            key=(),
        ),
    )
}


def kind_spec(kind: str) -> KindSpec:
    """The description of `kind`; InputError naming the known kinds otherwise."""
    try:
        return KINDS[kind]
    except KeyError:
        raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}") from None


@dataclass
class Batch:
    """Rows of one kind from one source, as read: (row number, raw cells)."""

    kind: str
    source: str
    rows: list[tuple[int, dict[str, Any]]]
    records: list[dict[str, Any]] = field(default_factory=list)  # filled by validation
    numbers: list[int] = field(default_factory=list)


# ------------------------------------------------------------------ cell parsing


NUL_PROBLEM = "holds a NUL character (\\x00), which no text may contain; remove it"


def holds_nul(value: Any) -> bool:
    """True when `value`, or a text inside a list or dict of it, holds a NUL character: no store
    can keep one in a text (PostgreSQL refuses it outright)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    return False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or value == []


def _parse(source: str, row: int, spec: Field, value: Any) -> Any:
    def bad(problem: str, fix: str) -> RowError:
        return RowError(source, row, spec.name, problem, fix)

    if holds_nul(value):
        raise RowError(source, row, spec.name, NUL_PROBLEM)

    if spec.kind in ("text", "id"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad(f"holds a {type(value).__name__}", "give a plain text")
        text = (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)).strip()
        if len(text) > spec.max_chars:
            raise bad(f"is {len(text)} characters long", f"keep it to {spec.max_chars} characters")
        if spec.kind == "id" and ";" in text:
            raise bad(f"id {text!r} contains ';'", "';' separates list items; use another character in ids")
        if spec.choices and text not in spec.choices:
            raise bad(f"{text!r} is not allowed", f"use one of: {', '.join(spec.choices)}")
        return text
    if spec.kind == "int":
        number = _number(value)
        if number is None or not float(number).is_integer():
            raise bad(f"{value!r} is not a whole number", _range_fix(spec, "a whole number"))
        number = int(number)
        if (spec.low is not None and number < spec.low) or (spec.high is not None and number > spec.high):
            raise bad(f"{number} is out of range", _range_fix(spec, "a whole number"))
        return number
    if spec.kind == "float":
        number = _number(value)
        if number is None:
            raise bad(f"{value!r} is not a number", "write a number such as 2.5 (a dot for decimals)")
        if (spec.low is not None and number < spec.low) or (spec.high is not None and number > spec.high):
            raise bad(f"{number} is out of range", _range_fix(spec, "a number"))
        return float(number)
    if spec.kind == "date":
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            raise bad(f"{value!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2026-03-14") from None
        return text
    if spec.kind == "bool":
        text = str(value).strip().lower()
        if isinstance(value, bool):
            return value
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise bad(f"{value!r} is not true or false", "write true or false")
    if spec.kind == "list":
        if isinstance(value, str):
            items: list[Any] = [part.strip() for part in value.split(";")]
        elif isinstance(value, list):
            items = value
        else:
            raise bad(f"holds a {type(value).__name__}", "give a list, or items separated by ';'")
        out = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                raise bad(f"a list item is a {type(item).__name__}", "list plain texts or ids")
            text = str(item).strip()
            if len(text) > spec.max_chars:
                raise bad(
                    f"a list item is {len(text)} characters long",
                    f"keep items to {spec.max_chars} characters",
                )
            if text and text not in out:
                out.append(text)
        return out
    if spec.kind == "json":
        data = value
        if isinstance(value, str):
            try:
                data = json.loads(value)
            except json.JSONDecodeError as exc:
                raise bad(
                    f"is not valid JSON ({exc.msg})", 'write a JSON list such as [{"text": "..."}]'
                ) from None
            except RecursionError:
                raise bad("nests JSON too deeply", 'write a JSON list such as [{"text": "..."}]') from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise bad("is not a list of objects", 'write a JSON list such as [{"text": "..."}]')
        if len(json.dumps(data)) > TEXT_CHARS:
            raise bad("is too long", f"keep it under {TEXT_CHARS} characters")
        return data
    raise AssertionError(f"unknown field kind {spec.kind}")  # a programming error, not bad input


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _range_fix(spec: Field, what: str) -> str:
    if spec.low is not None and spec.high is not None:
        return f"write {what} from {spec.low:g} to {spec.high:g}"
    return f"write {what}"


def parse_row(kind: KindSpec, source: str, number: int, raw: dict[str, Any]) -> dict[str, Any]:
    """One row's typed values: only the columns present (so an update touches only those)."""
    record: dict[str, Any] = {}
    for spec in kind.fields:
        if spec.name not in raw:
            if spec.required:
                raise RowError(source, number, spec.name, "is missing", f"add a {spec.name} to every row")
            continue
        value = raw[spec.name]
        if _blank(value):
            if spec.required:
                raise RowError(source, number, spec.name, "is empty", f"give every row a {spec.name}")
            record[spec.name] = [] if spec.kind in ("list", "json") else spec.default
            continue
        record[spec.name] = _parse(source, number, spec, value)
    if kind.name == "users" and record.get("password_hash") and not is_password_hash(record["password_hash"]):
        raise RowError(
            source, number, "password_hash", "is not a hash made by Hoshin", "give a password instead"
        )
    for name in ("principles", "brand_attributes"):
        for item in record.get(name) or []:
            wanted = "text" if name == "principles" else "name"
            if not isinstance(item.get(wanted), str) or not item[wanted].strip():
                raise RowError(
                    source, number, name, f"an item has no {wanted}", f'give each item a "{wanted}"'
                )
    return record


# ------------------------------------------------------------------ whole batches


def validate_batches(repo: Repository | None, org_id: str | None, batches: Sequence[Batch]) -> None:
    """Parse and check every row of every batch; fills `batch.records`. Raises RowError, writes nothing.

    References may point at records already stored for `org_id` or at records in any of the
    batches, so a whole organisation (the demo, a backup) is checked as one piece.
    """
    for batch in batches:
        spec = kind_spec(batch.kind)
        if not spec.key and len(batch.rows) > 1:
            raise RowError(
                batch.source,
                batch.rows[1][0],
                None,
                f"holds {len(batch.rows)} rows",
                "a mission file has one row",
            )
        seen: dict[Any, int] = {}
        batch.records, batch.numbers = [], []
        for number, raw in batch.rows:
            record = parse_row(spec, batch.source, number, raw)
            if spec.key:
                key = tuple(record[k] for k in spec.key)
                if key in seen:
                    shown = "/".join(key)
                    raise RowError(
                        batch.source,
                        number,
                        spec.key[-1],
                        f"duplicate {'/'.join(spec.key)} {shown!r}",
                        f"row {seen[key]} already uses it; keep one of the two",
                    )
                seen[key] = number
            batch.records.append(record)
            batch.numbers.append(number)
    known = _known_keys(repo, org_id, batches)
    for batch in batches:
        _check_references(batch, known)
    for batch in batches:
        spec = KINDS[batch.kind]
        if spec.tree:
            _check_cycles(repo, org_id, batch, spec.tree)
        if batch.kind == "goals":
            _check_goal_levels(repo, org_id, batch)


# Up to this many referenced ids are looked up one by one (in chunks); a larger batch (an import)
# reads every key of the referenced kind once, which is cheaper than thousands of lookups.
_LOOKUP_LIMIT = 2_000


def _known_keys(repo: Repository | None, org_id: str | None, batches: Sequence[Batch]) -> dict[str, set[Any]]:
    """For every kind the batches refer to, the ids a reference may point at: those stored (of the
    ids referred to, or all of them for a large batch) and those the batches themselves bring."""
    wanted: dict[str, set[Any]] = {}
    for batch in batches:
        for field_spec in KINDS[batch.kind].fields:
            if field_spec.ref:
                targets = wanted.setdefault(field_spec.ref, set())
                for record in batch.records:
                    value = record.get(field_spec.name)
                    targets.update(value if isinstance(value, list) else [value] if value else [])
    known: dict[str, set[Any]] = {kind: set() for kind in wanted}
    if repo is not None and org_id is not None:
        for kind, targets in wanted.items():
            if len(targets) <= _LOOKUP_LIMIT:
                known[kind] |= repo.existing_keys(kind, org_id, targets)
            else:
                known[kind] |= repo.keys(kind, org_id)
    for batch in batches:
        if batch.kind in known:
            known[batch.kind] |= {r["id"] for r in batch.records}
    return known


def _check_references(batch: Batch, known: dict[str, set[Any]]) -> None:
    spec = KINDS[batch.kind]
    refs = [(f.name, f.ref) for f in spec.fields if f.ref]
    for number, record in zip(batch.numbers, batch.records, strict=True):
        for name, kind in refs:
            value = record.get(name)
            targets = value if isinstance(value, list) else [value] if value else []
            for target in targets:
                if target not in known[kind]:
                    raise RowError(
                        batch.source,
                        number,
                        name,
                        f"refers to unknown {kind} id {target!r}",
                        f"import the {kind} first or correct the id",
                    )


def _check_cycles(repo: Repository | None, org_id: str | None, batch: Batch, tree: str) -> None:
    graph: dict[str, list[str]] = {}
    if repo is not None and org_id is not None:
        graph.update(_stored_tree(repo, org_id, batch.kind, tree))
    rows_of = {}
    for number, record in zip(batch.numbers, batch.records, strict=True):
        rows_of[record["id"]] = number
        if tree in record:
            graph[record["id"]] = _as_list(record[tree])
    cycle = find_cycle(graph)
    if cycle:
        culprit = next(node for node in cycle if node in rows_of)
        raise RowError(
            batch.source,
            rows_of[culprit],
            tree,
            f"makes a cycle: {' -> '.join(cycle)}",
            "a record cannot sit below itself; point it at a record higher up",
        )


def _check_goal_levels(repo: Repository | None, org_id: str | None, batch: Batch) -> None:
    """Every parent sits at a lower level number than its goal, for the goals in the batch and for
    the stored goals below them (a goal moved down a level must stay above its children). A goal
    under one of its own level or below made every organisation-wide view of the goals fail."""
    rows_of = {record["id"]: number for number, record in zip(batch.numbers, batch.records, strict=True)}
    levels = {record["id"]: record["level"] for record in batch.records if record.get("level") is not None}
    parents = {r["id"]: _as_list(r["parent_ids"]) for r in batch.records if "parent_ids" in r}
    stored_tree = repo.goal_parent_ids(org_id) if repo is not None and org_id is not None else {}
    children = [
        (child, parent)
        for child, above in stored_tree.items()
        if child not in rows_of
        for parent in above
        if parent in rows_of
    ]
    wanted = {p for above in parents.values() for p in above} | {child for child, _ in children}
    wanted |= set(rows_of)
    if repo is not None and org_id is not None:
        for key, goal in repo.goals_by_ids(org_id, wanted - set(levels)).items():
            levels[key] = goal["level"]
    for key, number in rows_of.items():
        for parent in parents.get(key, stored_tree.get(key, [])):
            if parent in levels and key in levels and levels[parent] >= levels[key]:
                raise RowError(
                    batch.source,
                    number,
                    "parent_ids",
                    f"its parent {parent!r} is at level {levels[parent]}, not above this goal's "
                    f"level {levels[key]}",
                    "a parent must sit at a lower level number than its goal",
                )
    for child, parent in children:
        if child in levels and parent in levels and levels[parent] >= levels[child]:
            raise RowError(
                batch.source,
                rows_of[parent],
                "level",
                f"level {levels[parent]} would put it level with or below its child {child!r} "
                f"(level {levels[child]})",
                "keep a goal at a lower level number than the goals below it, or move them first",
            )


def _stored_tree(repo: Repository, org_id: str, kind: str, tree: str) -> dict[str, list[str]]:
    """record id -> the ids above it, read as narrowly as the store allows (a whole `rows` read of
    10,000 goals, to add one, took longer than everything else a submission does)."""
    if kind == "goals" and tree == "parent_ids":
        return repo.goal_parent_ids(org_id)
    return {key: _as_list(parent) for key, parent in repo.columns(kind, org_id, ("id", tree))}


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def flatten(values: Iterable[Any]) -> str:
    """A list as one CSV/XLSX cell: items separated by ';'."""
    return ";".join(str(v) for v in values)
