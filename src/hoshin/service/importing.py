"""Import records from CSV, XLSX, JSON or JSONL: validate everything, then write once.

`import_file(repo, org_id, kind, path, actor)` is what the CLI, the REST API and the web upload
call. A file with any problem raises a RowError (file, row, field, fix) before anything is written;
a file that passes is written in one transaction, so the database holds all of it or none of it.
Importing the same file again updates the records by id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoshin.errors import InputError, RowError
from hoshin.io.tables import READABLE, TableSpec, read_table
from hoshin.service.records import KINDS, Batch, kind_spec, validate_batches
from hoshin.store.passwords import hash_password
from hoshin.store.repository import RECORD_KINDS, Repository

__all__ = ["ImportResult", "import_batches", "import_file", "read_batch"]

MAX_ROWS = 1_000_000  # per file; a bigger one belongs in a background job, not one transaction


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    updated: int

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "created": self.created, "updated": self.updated}


# Imports of at least this many records refresh the database's statistics of the tables written.
ANALYSE_FROM = 10_000


def import_file(
    repo: Repository,
    org_id: str,
    kind: str,
    path: str | Path,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one file of `kind` into the organisation; returns how many records were created/updated.

    For ideas, `progress` is told how many of the organisation's ideas have been scored so far.
    """
    batch = read_batch(kind, path)
    texts = {i["id"]: i["text"] for i in repo.rows("ideas", org_id)} if kind == "ideas" else {}
    detail = {"file": Path(path).name}
    result = import_batches(repo, org_id, [batch], actor, action="import", detail=detail)[0]
    if kind == "ideas":
        # New ideas and changed texts get a verdict, after the commit: a failure to score leaves the
        # imported ideas stored (see score_new_ideas). So do the file's ideas that hold no verdict
        # for the current mission: an import killed after its commit, run again, stores nothing
        # new ("0 created") and must still score them. Other unchanged ideas keep their verdict.
        from hoshin.service.corridor import score_new_ideas

        unscored = _without_current_verdict(repo, org_id)
        fresh = [
            r["id"]
            for r in batch.records
            if ("text" in r and texts.get(r["id"]) != r["text"]) or r["id"] in unscored
        ]
        score_new_ideas(repo, org_id, fresh, progress=progress)
    if result.created + result.updated >= ANALYSE_FROM and kind in RECORD_KINDS:
        # PostgreSQL's planner works from table statistics that autovacuum refreshes only some
        # time after a bulk load: until then a re-score's vector lookups scanned the whole table.
        repo.refresh_statistics([kind, "vectors"] if kind == "ideas" else [kind])
    return result


def _without_current_verdict(repo: Repository, org_id: str) -> set[str]:
    """Ids of the organisation's ideas whose newest verdict is missing or was judged against
    another mission version than the current one (none without a mission: nothing to judge by)."""
    mission = repo.mission(org_id)
    if mission is None:
        return set()
    newest = repo.verdict_summaries(org_id, ["idea"])["idea"]
    version = mission.get("version")
    return {
        key
        for key in repo.keys("ideas", org_id)
        if isinstance(key, str)  # ideas have one-part keys
        and (key not in newest or newest[key].get("mission_version") != version)
    }


def read_batch(kind: str, path: str | Path) -> Batch:
    """The rows of a file, read by extension but not yet validated against the kind."""
    spec = kind_spec(kind)
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl") and path.is_file():
        items = _read_json_items(path, source, suffix)
        rows = [(n, item) for n, item in enumerate(items, start=1)]
    else:
        # CSV and XLSX: the shared reader checks encoding, quoting and the header's columns.
        table = TableSpec(required=spec.required, optional=spec.optional, unique=None, max_chars=10**9)
        # Row numbers as a spreadsheet shows them: the header is row 1.
        rows = [(n, row) for n, row in enumerate(read_table(path, table), start=2)]
    if not rows:
        raise InputError(f"{source}: the file holds no rows")
    if len(rows) > MAX_ROWS:
        raise InputError(f"{source}: {len(rows)} rows is more than {MAX_ROWS} per import; split the file")
    return Batch(kind=kind, source=source, rows=rows)


_TOO_DEEP = "the JSON nests lists or objects too deeply to be records; write a list of flat objects"


def _read_json_items(path: Path, source: str, suffix: str) -> list[Any]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{source}: line {line} is not valid UTF-8; save the file as UTF-8 and try again"
        ) from None
    items: list[Any] = []
    if suffix == ".jsonl":
        for number, line_text in enumerate(text.splitlines(), start=1):
            if line_text.strip():
                try:
                    items.append(json.loads(line_text))
                except json.JSONDecodeError as exc:
                    raise RowError(
                        source, number, None, f"malformed JSON: {exc.msg} (column {exc.colno})"
                    ) from None
                except RecursionError:
                    raise RowError(source, number, None, _TOO_DEEP) from None
    else:
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RowError(
                source, exc.lineno, None, f"malformed JSON: {exc.msg} (column {exc.colno})"
            ) from None
        except RecursionError:
            raise InputError(f"{source}: {_TOO_DEEP}") from None
        if isinstance(loaded, dict) and isinstance(loaded.get("rows"), list):
            loaded = loaded["rows"]
        elif isinstance(loaded, dict):
            loaded = [loaded]  # a single record, e.g. a mission
        if not isinstance(loaded, list):
            raise InputError(f"{source}: expected a JSON list of objects, got a {type(loaded).__name__}")
        items = loaded
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise RowError(
                source, number, None, f"is a {type(item).__name__}, not an object", 'write {"id": ..., ...}'
            )
    return items


def import_batches(
    repo: Repository,
    org_id: str,
    batches: Sequence[Batch],
    actor: str,
    action: str = "import",
    detail: dict[str, Any] | None = None,
) -> list[ImportResult]:
    """Validate all batches together, then write them in one transaction with one audit event.

    Batches are written in dependency order (units before people before goals ...), whatever order
    they come in. Returns one ImportResult per batch, in the order given.
    """
    repo.organisation(org_id)  # NotFoundError before any work
    validate_batches(repo, org_id, batches)
    order = list(KINDS)
    results: dict[int, ImportResult] = {}
    with repo.transaction():
        for index in sorted(range(len(batches)), key=lambda i: order.index(batches[i].kind)):
            batch = batches[index]
            if batch.kind == "mission":
                results[index] = _write_mission(repo, org_id, batch.records[0], actor)
                continue
            records = [_prepared(batch.kind, r) for r in batch.records]
            created, updated = repo.upsert(batch.kind, org_id, records)
            results[index] = ImportResult(batch.kind, created, updated)
        summary = {r.kind: {"created": r.created, "updated": r.updated} for r in results.values()}
        repo.record_event(org_id, actor, action, detail={**(detail or {}), "counts": summary})
    return [results[i] for i in range(len(batches))]


def _prepared(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    if kind != "users":
        return record
    record = dict(record)
    password = record.pop("password", None)
    if password:
        record["password_hash"] = hash_password(password)
    elif not record.get("password_hash"):
        record.pop("password_hash", None)  # keep a stored hash; a new user without one cannot log in yet
    return record


_MISSION_FIELDS = ("text", "focus_areas", "exclusions", "principles", "brand_attributes", "themes")


def _write_mission(repo: Repository, org_id: str, record: dict[str, Any], actor: str) -> ImportResult:
    """A new mission version when the content differs from the current one; otherwise nothing."""
    current = repo.mission(org_id)
    wanted = {name: record.get(name, [] if name != "text" else "") for name in _MISSION_FIELDS}
    if current is not None:
        # Fields the file leaves out keep their current value.
        wanted = {name: record[name] if name in record else current[name] for name in _MISSION_FIELDS}
    from hoshin.domain.mission import THEME_RULES_VERSION, THEMES_BY_HAND
    from hoshin.service.missions import themes_for_text

    derived = themes_for_text(wanted["text"])
    # Themes people gave stay when the file leaves themes out and keeps the statement (a file that
    # only changes the corridor); a new statement gets the rules' themes, as below.
    keeps_given = (
        current is not None
        and "themes" not in record
        and wanted["text"] == current["text"]
        and current.get("theme_rules") == THEMES_BY_HAND
    )
    if not record.get("themes") and not keeps_given:
        # The engine's themes for this text, so every stored version shows what it is matched against.
        wanted["themes"] = derived
    if current is not None and all(current[name] == wanted[name] for name in _MISSION_FIELDS):
        return ImportResult("mission", 0, 0)
    # Themes the file brings are a person's unless they are exactly what the rules derive (a file
    # exported from Hoshin): those given by hand are never replaced when the rules change.
    rules = THEME_RULES_VERSION if wanted["themes"] == derived else THEMES_BY_HAND
    # A strategist's removed part-of entries are no field of the file: they stay as they were.
    removed = current["removed_parts"] if current is not None else []
    repo.add_mission_version(org_id, created_by=actor, theme_rules=rules, removed_parts=removed, **wanted)
    return ImportResult("mission", 1 if current is None else 0, 0 if current is None else 1)


# Extensions the importer reads, for help texts.
IMPORTABLE = READABLE
