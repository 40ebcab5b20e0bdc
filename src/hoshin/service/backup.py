"""Back up one organisation to a single JSON file (gzip when the name ends in .gz) and restore it.

A backup holds everything the organisation owns: records of every kind (users with their password
hashes, so keep backups as safe as the database), every mission version, check-ins, verdicts and
the audit log. Vectors are left out: they are a cache and are rebuilt on demand.

`restore_file` loads a backup into any database (SQLite or PostgreSQL) in one transaction, through
the same validation as an import; a damaged file changes nothing.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import IO, Any, cast

from hoshin.domain.part_of import stored_removals
from hoshin.errors import ConflictError, InputError
from hoshin.service.importing import import_batches
from hoshin.service.records import KINDS, Batch
from hoshin.store.migrations import HEAD
from hoshin.store.repository import Repository, now_iso

__all__ = ["FORMAT", "backup_data", "backup_file", "read_backup", "restore_data", "restore_file"]

FORMAT = "hoshin-backup"
FORMAT_VERSION = 1
RECORD_KINDS = [kind for kind in KINDS if kind != "mission"]


def backup_data(repo: Repository, org_id: str) -> dict[str, Any]:
    """The whole organisation as one JSON-ready dict."""
    organisation = repo.organisation(org_id)
    records: dict[str, list[dict[str, Any]]] = {}
    for kind in RECORD_KINDS:
        columns = [f.name for f in KINDS[kind].fields if f.exported or f.name == "password_hash"]
        rows = repo.rows(kind, org_id, include_hidden=True)
        records[kind] = [{name: row.get(name) for name in columns} for row in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": HEAD,
        "created_at": now_iso(),
        "organisation": organisation,
        "mission_versions": repo.mission_versions(org_id),
        "records": records,
        "checkins": [_without(c, "id", "organisation_id") for c in repo.checkins(org_id)],
        "verdicts": [_without(v, "id", "organisation_id") for v in repo.verdicts(org_id, latest_only=False)],
        "audit": [_without(e, "organisation_id") for e in repo.audit_events(org_id)],
    }


def backup_file(repo: Repository, org_id: str, path: str | Path) -> dict[str, int]:
    """Write the backup to `path` (gzip-compressed when it ends in .gz); returns counts per kind."""
    data = backup_data(repo, org_id)
    path = Path(path)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    tmp = path.with_name(path.name + ".partial")
    # Write next to the target, then rename: a crash never leaves a half-written backup behind.
    # Owner-only from the start: a backup holds every user's password hash.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when a stale .partial file was there with a wider mode
    os.close(fd)
    with _open(tmp, "w") as handle:
        handle.write(text)
    tmp.replace(path)
    return _counts(data)


def read_backup(path: str | Path) -> dict[str, Any]:
    """The parsed backup file; InputError when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    try:
        with _open(path, "r") as handle:
            data = json.load(handle)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable Hoshin backup ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f'{path}: not a Hoshin backup (no "format": "{FORMAT}")')
    if data.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"{path}: backup format {data.get('format_version')} is not supported "
            f"(this Hoshin reads {FORMAT_VERSION})"
        )
    return data


def restore_file(repo: Repository, path: str | Path, actor: str, replace: bool = False) -> dict[str, int]:
    """Load a backup file; see `restore_data`."""
    return restore_data(repo, read_backup(path), actor, replace=replace, source=Path(path).name)


def restore_data(
    repo: Repository, data: dict[str, Any], actor: str, replace: bool = False, source: str = "backup"
) -> dict[str, int]:
    """Load a backup into `repo` atomically; returns counts per kind.

    If the organisation already exists, ConflictError unless `replace` (then it is removed first,
    in the same transaction, so a failed restore leaves the old data in place).
    """
    organisation = _mapping(data.get("organisation"), source, "organisation")
    org_id, name = organisation.get("id"), organisation.get("name")
    if not isinstance(org_id, str) or not isinstance(name, str):
        raise InputError(f"{source}: the organisation needs an id and a name")
    records = _mapping(data.get("records", {}), source, "records")
    batches = [
        Batch(
            kind,
            f"{source} [{kind}]",
            [(n, row) for n, row in enumerate(_rows(records.get(kind, []), source, kind), 1)],
        )
        for kind in RECORD_KINDS
        if records.get(kind)
    ]
    try:
        _load(repo, data, org_id, name, organisation, batches, actor, replace, source)
    except (KeyError, TypeError) as exc:  # a hand-edited backup lost a field the store needs
        raise InputError(f"{source}: a check-in or verdict is missing or has a wrong field ({exc})") from None
    return _counts(data)


def _load(
    repo: Repository,
    data: dict[str, Any],
    org_id: str,
    name: str,
    organisation: dict[str, Any],
    batches: list[Batch],
    actor: str,
    replace: bool,
    source: str,
) -> None:
    with repo.transaction():
        if any(o["id"] == org_id for o in repo.organisations()):
            if not replace:
                raise ConflictError(
                    f"organisation {org_id!r} already exists here; restore with --replace to overwrite it"
                )
            repo.delete_organisation(org_id)
        repo.create_organisation(org_id, name, created_at=organisation.get("created_at"))
        for event in _rows(data.get("audit", []), source, "audit"):
            repo.record_event(
                org_id,
                str(event.get("username", "?")),
                str(event.get("action", "?")),
                event.get("record_kind"),
                event.get("record_id"),
                event.get("detail") or {},
                at=event.get("at"),
            )
        for version in _rows(data.get("mission_versions", []), source, "mission_versions"):
            if not isinstance(version.get("text"), str) or not isinstance(version.get("version"), int):
                raise InputError(f"{source}: a mission version lacks its text or version number")
            repo.add_mission_version(
                org_id,
                version["text"],
                version=version["version"],
                **{
                    k: version.get(k) or []
                    for k in ("focus_areas", "exclusions", "themes", "brand_attributes", "principles")
                },
                created_by=str(version.get("created_by") or actor),
                created_at=version.get("created_at"),
                # Not known for a backup made before it was recorded: settled when a store opens.
                theme_rules=_theme_rules(version.get("theme_rules")),
                removed_parts=stored_removals(version.get("removed_parts")),
            )
        import_batches(repo, org_id, batches, actor, action="restore", detail={"file": source})
        for checkin in _rows(data.get("checkins", []), source, "checkins"):
            repo.add_checkin(
                org_id, checkin["goal_id"], checkin["date"], checkin["value"], checkin.get("note")
            )
        verdicts = _rows(data.get("verdicts", []), source, "verdicts")
        for v in verdicts:
            repo.save_verdicts(
                org_id,
                v["record_kind"],
                [(v["record_id"], v)],
                model_id=v["model_id"],
                mission_version=v.get("mission_version"),
                created_at=v.get("created_at"),
            )


def _counts(data: dict[str, Any]) -> dict[str, int]:
    counts = {kind: len(rows) for kind, rows in data["records"].items()}
    counts.update({k: len(data.get(k) or []) for k in ("mission_versions", "checkins", "verdicts", "audit")})
    return counts


def _mapping(value: Any, source: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{source}: '{what}' must be a JSON object")
    return value


def _rows(value: Any, source: str, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(f"{source}: '{what}' must be a list of JSON objects")
    return value


def _without(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in names}


def _open(path: Path, mode: str) -> IO[str]:
    if path.name.endswith(".gz") or path.name.endswith(".gz.partial"):
        # Text mode, so a text stream; the stubs can only tell that from a literal mode.
        return cast(IO[str], gzip.open(path, mode + "t", encoding="utf-8"))
    return open(path, mode, encoding="utf-8")


def _theme_rules(value: Any) -> int | None:
    """A backed-up version's theme rules generation; None (not known) for anything but a whole
    number from 0 up."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
