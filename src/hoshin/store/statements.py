"""The statements every request runs, built once with named parameters.

SQLAlchemy builds a select() from Python objects and then derives its cache key, on every call.
For the one-row reads a request makes (its user, the mission, a record by key) that cost more CPU
than running the read: 0.6 ms a read on SQLite here, where the database's own work is a few
dozen microseconds. A statement built once keeps its cache key, so each use only binds its
parameters and runs. Each builder is cached per table (tables live as long as the process).

Parameter names never equal a column name: SQLAlchemy keeps those for an INSERT's own values.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import BigInteger, ColumnClause, Integer, Table, bindparam, insert, literal_column, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hoshin.store import schema

__all__ = [
    "TRANSACTION_ID",
    "add_sign_in_key",
    "bump_mark",
    "current_mission",
    "insert_rows",
    "keys_among",
    "linked_ids",
    "record_by_key",
    "user_by_name",
    "vectors_by_hash",
]

# PostgreSQL: the writing transaction's id, the revision its rows are stamped with.
TRANSACTION_ID: ColumnClause[Any] = literal_column("pg_current_xact_id()::text::bigint")


@cache
def user_by_name() -> Any:
    """Parameters: username, org_id. Two rows at most: a second one means the name is ambiguous."""
    t = schema.users
    return (
        select(t)
        .where(t.c.username == bindparam("username"), t.c.organisation_id == bindparam("org_id"))
        .limit(2)
    )


@cache
def record_by_key(table: Table, key: tuple[str, ...]) -> Any:
    """Parameters: org_id and key_<column> for each key column."""
    match = [table.c[name] == bindparam(f"key_{name}") for name in key]
    return select(table).where(table.c.organisation_id == bindparam("org_id"), *match)


@cache
def linked_ids(link: Table, own: str, other: str) -> Any:
    """The `other` ids linked to one owner, sorted. Parameters: org_id, owner."""
    return (
        select(link.c[other])
        .where(link.c.organisation_id == bindparam("org_id"), link.c[own] == bindparam("owner"))
        .order_by(link.c[other])
    )


@cache
def keys_among(table: Table, column: str) -> Any:
    """Which of a list of keys are stored. Parameters: org_id, keys (a list)."""
    key = table.c[column]
    return select(key).where(
        table.c.organisation_id == bindparam("org_id"), key.in_(bindparam("keys", expanding=True))
    )


@cache
def current_mission() -> Any:
    """The newest mission version. Parameter: org_id."""
    t = schema.mission_versions
    return select(t).where(t.c.organisation_id == bindparam("org_id")).order_by(t.c.version.desc()).limit(1)


@cache
def vectors_by_hash() -> Any:
    """Stored vectors of one model. Parameters: model, hashes (a list)."""
    t = schema.vectors
    return select(t.c.content_hash, t.c.vector).where(
        t.c.model_id == bindparam("model"), t.c.content_hash.in_(bindparam("hashes", expanding=True))
    )


@cache
def insert_rows(table: Table, stamped_by_transaction: bool = False) -> Any:
    """INSERT for executemany over row dicts; with `stamped_by_transaction` every row's revision
    is the writing transaction's id (PostgreSQL's stamp, an expression, not a parameter)."""
    statement = insert(table)
    return statement.values(revision=TRANSACTION_ID) if stamped_by_transaction else statement


@cache
def bump_mark(dialect: str) -> Any:
    """Advance (or start) an organisation's change mark for one kind; returns the new counter.
    Parameters: org_id, mark_kind, removed (1 for a delete, else 0)."""
    t = schema.change_marks
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    removed = bindparam("removed", type_=Integer)
    return (
        dialect_insert(t)
        .values(
            organisation_id=bindparam("org_id"), kind=bindparam("mark_kind"), revision=1, removals=removed
        )
        .on_conflict_do_update(
            index_elements=[t.c.organisation_id, t.c.kind],
            set_={"revision": t.c.revision + 1, "removals": t.c.removals + removed},
        )
        .returning(t.c.revision)
    )


@cache
def add_sign_in_key(dialect: str) -> Any:
    """A sign-in attempts row with no attempts for a key that has none yet (else nothing), so the
    row exists to be locked. Parameters: k (the key), now (epoch milliseconds)."""
    t = schema.sign_in_attempts
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        dialect_insert(t)
        .values(key=bindparam("k"), attempts=[], last_at=bindparam("now", type_=BigInteger))
        .on_conflict_do_nothing(index_elements=[t.c.key])
    )
