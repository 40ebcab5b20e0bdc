"""How each record kind maps onto tables, and the key handling every record read and write shares.

A record kind (`RECORD_KINDS`: units, people, ideas, users, ...) is described once by a `Kind`:
its table, its key columns, its link tables (list fields such as a goal's parent_ids), the defaults
a new record gets, and the columns a caller never sees (password hashes, bookkeeping).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select

from hoshin.errors import InputError, NotFoundError
from hoshin.store import schema

__all__ = [
    "KINDS",
    "NO_KIND",
    "RECORD_KINDS",
    "Key",
    "Kind",
    "column_query",
    "key_match",
    "key_tuple",
    "marked_spec",
    "missing_record",
    "record_key",
    "record_key_tuple",
    "show_key",
    "spec_of",
]


@dataclass(frozen=True)
class Kind:
    """How one record kind maps onto tables."""

    table: Table
    key: tuple[str, ...] = ("id",)
    # record field -> (link table, column holding this record's id, column holding the linked id)
    links: dict[str, tuple[Table, str, str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    self_ref: str | None = None  # a column pointing at the same table (inserted after the rows)
    hidden: tuple[str, ...] = ()  # columns only returned when asked for (password hashes)
    # Bookkeeping columns the store writes itself: never returned, never taken from a record.
    internal: tuple[str, ...] = ()
    # Writes of this kind stamp the rows they write (Repository._stamp) and deletes are counted in
    # schema.change_marks, so memory-kept indexes can follow them (Repository.written_since).
    marked: bool = False


KINDS: dict[str, Kind] = {
    "units": Kind(schema.units, self_ref="parent_id"),
    "people": Kind(schema.people),
    "knowledge_areas": Kind(schema.knowledge_areas, defaults={"weight": 1.0, "origin": "own"}),
    "skills": Kind(schema.skills, key=("person_id", "area_id")),
    "goals": Kind(schema.goals, links={"parent_ids": (schema.goal_parents, "goal_id", "parent_id")}),
    "ideas": Kind(
        schema.ideas,
        defaults={"tags": [], "links": [], "status": "new"},
        internal=("revision",),
        marked=True,
    ),
    "documents": Kind(
        schema.documents, links={"area_ids": (schema.document_areas, "document_id", "area_id")}
    ),
    "communications": Kind(schema.communications, defaults={"voice": "internal"}),
    "users": Kind(
        schema.users,
        key=("username",),
        defaults={"active": True},
        hidden=("password_hash",),
        internal=("session_epoch",),
    ),
}

#: Record kinds in an order where every kind comes after the kinds it refers to.
RECORD_KINDS: tuple[str, ...] = tuple(KINDS)


Key = str | tuple[str, ...]


NO_KIND = Kind(schema.organisations)


def spec_of(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise InputError(f"unknown record kind {kind!r}; use one of: {', '.join(RECORD_KINDS)}") from None


def marked_spec(kind: str) -> Kind:
    """The kind's spec; InputError when its writes are not stamped (only ideas are)."""
    spec = spec_of(kind)
    if not spec.marked:
        raise InputError(f"writes of {kind} are not marked; only ideas are")
    return spec


def record_key(spec: Kind, record: dict[str, Any]) -> Key:
    keys = record_key_tuple(spec, record)
    return keys[0] if len(keys) == 1 else keys


def record_key_tuple(spec: Kind, record: dict[str, Any]) -> tuple[str, ...]:
    try:
        return tuple(record[k] for k in spec.key)
    except KeyError as exc:
        raise InputError(f"a record is missing its key field {exc.args[0]!r}") from None


def key_tuple(spec: Kind, key: Key) -> tuple[str, ...]:
    keys = (key,) if isinstance(key, str) else tuple(key)
    if len(keys) != len(spec.key):
        raise InputError(f"a key needs {len(spec.key)} part(s): {', '.join(spec.key)}")
    return keys


def key_match(spec: Kind, keys: tuple[str, ...]) -> list[Any]:
    return [spec.table.c[name] == value for name, value in zip(spec.key, keys, strict=True)]


def show_key(key: Key) -> str:
    return repr(key) if isinstance(key, str) else "/".join(key)


def missing_record(kind: str, org_id: str, key: Key) -> NotFoundError:
    """The error `get` raises for a record that is not there; a record hidden from a user is
    answered with the very same one (service/visibility.py)."""
    return NotFoundError(f"no {kind[:-1] if kind.endswith('s') else kind} {show_key(key)} in {org_id!r}")


def column_query(kind: str, org_id: str, names: Sequence[str]) -> Any:
    """SELECT the columns `names` of the organisation's `kind` records, sorted by key; InputError
    for no names, an unknown column, or a hidden or internal one."""
    spec = spec_of(kind)
    table = spec.table
    if not names:
        raise InputError("name at least one column to read")
    for name in names:
        if name not in table.c or name == "organisation_id" or name in spec.hidden + spec.internal:
            raise InputError(f"{kind} have no readable column {name!r}")
    return (
        select(*(table.c[n] for n in names))
        .where(table.c.organisation_id == org_id)
        .order_by(*(table.c[k] for k in spec.key))
    )
