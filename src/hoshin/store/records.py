"""Records of every kind (`RECORD_KINDS`): generic reads and writes by kind and key.

Records are plain dicts whose keys are the JSON keys of the import/export format (`id`, `name`,
`parent_id`, `parent_ids`, ...). Besides whole records (`rows`, `get`, `by_ids`) there are narrow
reads for pages over large organisations: only some columns (`columns`), only the keys
(`keys`, `existing_keys`), counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    String,
    Table,
    case,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from hoshin.errors import InputError
from hoshin.store import schema, statements
from hoshin.store.base import chunks, translated
from hoshin.store.change_marks import ChangeMarks
from hoshin.store.engine import driver_connection, driver_errors
from hoshin.store.kinds import (
    Key,
    Kind,
    column_query,
    key_match,
    key_tuple,
    missing_record,
    record_key,
    record_key_tuple,
    spec_of,
)
from hoshin.store.organisations import Organisations
from hoshin.store.trees import goal_parent_links, refuse_cycle, unit_parents

__all__ = ["Records"]

# Upserts of up to this many records look their keys up (in chunks of 500) instead of reading all.
_LOOKUP_BY_KEY_UP_TO = 5_000


class Records(ChangeMarks, Organisations):
    """Reads and writes of records of any kind, by organisation and key."""

    def rows(self, kind: str, org_id: str, include_hidden: bool = False) -> list[dict[str, Any]]:
        """Every record of `kind` in the organisation, sorted by key, list fields filled in."""
        spec = spec_of(kind)
        table = spec.table
        with self._reading() as conn:
            result = conn.execute(
                select(table)
                .where(table.c.organisation_id == org_id)
                .order_by(*(table.c[k] for k in spec.key))
            )
            records = [self._record(spec, r._mapping, include_hidden) for r in result]
            for name, (link, own, other) in spec.links.items():
                linked: dict[str, list[str]] = {}
                for own_id, other_id in conn.execute(
                    select(link.c[own], link.c[other])
                    .where(link.c.organisation_id == org_id)
                    .order_by(link.c[other])
                ):
                    linked.setdefault(own_id, []).append(other_id)
                for record in records:
                    record[name] = linked.get(record["id"], [])
        return records

    def get(self, kind: str, org_id: str, key: Key, include_hidden: bool = False) -> dict[str, Any]:
        """One record by its key (id, username, or (person_id, area_id)); NotFoundError if absent."""
        spec = spec_of(kind)
        keys = key_tuple(spec, key)
        table = spec.table
        by_key = {f"key_{name}": value for name, value in zip(spec.key, keys, strict=True)}
        with self._reading() as conn:
            row = conn.execute(
                statements.record_by_key(table, spec.key), {"org_id": org_id, **by_key}
            ).first()
            if row is None:
                raise missing_record(kind, org_id, key)
            record = self._record(spec, row._mapping, include_hidden)
            for name, (link, own, other) in spec.links.items():
                linked = statements.linked_ids(link, own, other)
                record[name] = list(conn.execute(linked, {"org_id": org_id, "owner": keys[0]}).scalars())
        return record

    def keys(self, kind: str, org_id: str) -> set[Key]:
        """The keys stored for `kind`: ids as strings (tuples for two-part keys)."""
        spec = spec_of(kind)
        table = spec.table
        with self._reading() as conn:
            result = conn.execute(
                select(*(table.c[k] for k in spec.key)).where(table.c.organisation_id == org_id)
            )
            return {r[0] if len(spec.key) == 1 else tuple(r) for r in result}

    def existing_keys(self, kind: str, org_id: str, keys: Iterable[object]) -> set[str]:
        """Those of `keys` that are stored for `kind` (one-part keys), a few hundred per query:
        checking one submission's references this way costs the same with 10 or 100,000 records."""
        spec = spec_of(kind)
        if len(spec.key) != 1:
            raise InputError(f"{kind} have a two-part key; read them with keys()")
        query = statements.keys_among(spec.table, spec.key[0])
        found: set[str] = set()
        with self._reading() as conn:
            for chunk in chunks(sorted({k for k in keys if isinstance(k, str)})):
                found.update(conn.execute(query, {"org_id": org_id, "keys": chunk}).scalars())
        return found

    def count(self, kind: str, org_id: str) -> int:
        table = spec_of(kind).table
        with self._reading() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(table).where(table.c.organisation_id == org_id)
                ).scalar_one()
            )

    def columns(self, kind: str, org_id: str, names: Sequence[str]) -> list[tuple[Any, ...]]:
        """Just the columns `names` of every `kind` record of the organisation, as tuple-like rows in
        the order of `names`, sorted by key. InputError for an unknown kind, an unknown column (list
        fields such as parent_ids are not columns) or a hidden one (password hashes)."""
        query = column_query(kind, org_id, names)
        table = spec_of(kind).table
        with self._reading() as conn:
            if _plain_columns(conn, [table.c[n] for n in names]):
                return _driver_rows(conn, query)
            # The driver's rows index, unpack, compare and hash as tuples; copying each into a real
            # tuple would cost a third of the read for 10,000 goals (Result.tuples(), the typed way,
            # is deprecated from SQLAlchemy 2.1 on).
            return cast(list[tuple[Any, ...]], conn.execute(query).all())

    def by_ids(self, kind: str, org_id: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """id -> record (as `rows` gives it) for those of `ids` that exist, in chunks of a few hundred
        keys per query; unknown ids are left out, not an error. Kinds with a one-part key only."""
        spec = spec_of(kind)
        if len(spec.key) != 1:
            raise InputError(f"{kind} have a two-part key; read them with rows()")
        table = spec.table
        key = table.c[spec.key[0]]
        found: dict[str, dict[str, Any]] = {}
        with self._reading() as conn:
            for chunk in chunks(sorted(set(ids))):
                for r in conn.execute(select(table).where(table.c.organisation_id == org_id, key.in_(chunk))):
                    record = self._record(spec, r._mapping, False)
                    found[record[spec.key[0]]] = record
                for name, (link, own, other) in spec.links.items():
                    for record in found.values():
                        record.setdefault(name, [])
                    for own_id, other_id in conn.execute(
                        select(link.c[own], link.c[other])
                        .where(link.c.organisation_id == org_id, link.c[own].in_(chunk))
                        .order_by(link.c[other])
                    ):
                        found[own_id][name].append(other_id)
        return found

    def idea_review_counts(self, org_id: str) -> tuple[int, int, int]:
        """(ideas, ideas with a reviewer's override, ideas past status "new") in one query: the
        cheap signal that the corridor's cached scoring state is still current."""
        t = schema.ideas
        query = select(
            func.count(),
            func.count(t.c.override_tier),
            func.coalesce(func.sum(case((t.c.status != "new", 1), else_=0)), 0),
        ).where(t.c.organisation_id == org_id)
        with self._reading() as conn:
            total, overridden, reviewed = conn.execute(query).one()
        return int(total), int(overridden), int(reviewed)

    def skills_of(self, org_id: str, person_ids: Iterable[str]) -> list[dict[str, Any]]:
        """{person_id, area_id, level} of every skill held by one of `person_ids`, sorted by person
        then area."""
        t = schema.skills
        out: list[dict[str, Any]] = []
        with self._reading() as conn:
            for chunk in chunks(sorted(set(person_ids))):
                query = (
                    select(t.c.person_id, t.c.area_id, t.c.level)
                    .where(t.c.organisation_id == org_id, t.c.person_id.in_(chunk))
                    .order_by(t.c.person_id, t.c.area_id)
                )
                out += [{"person_id": p, "area_id": a, "level": level} for p, a, level in conn.execute(query)]
        return out

    def upsert(
        self, kind: str, org_id: str, records: Sequence[dict[str, Any]], *, all_new: bool = False
    ) -> tuple[int, int]:
        """Insert new records and update stored ones (matched by key); returns (created, updated).

        A stored record changes only in the fields given, so a partial record edits just those.
        List fields (parent_ids, area_ids) replace the stored list when given. Cycles in the unit
        tree or among goal parents raise ConflictError and nothing is written.

        `all_new`: the caller found, in the transaction this joins, that the organisation exists
        and none of the keys is stored (editing.create does, to refuse a taken id), so neither is
        looked up again. A submission made those two reads twice.
        """
        spec = spec_of(kind)
        table = spec.table
        columns = set(table.c.keys()) - set(spec.internal)
        if all_new and getattr(self._local, "conn", None) is None:
            raise InputError("upsert(all_new=True) belongs inside the transaction that checked the keys")
        with self.transaction() as conn:
            if all_new:
                existing: set[Key] = set()
            else:
                self.organisation(org_id)
                existing = self._stored_among(spec, kind, org_id, records)
            # The stamp is a value (SQLite) or an SQL expression (PostgreSQL, the writing
            # transaction's id, which only the statement itself can name).
            stamp = {"revision": self._stamp(conn, org_id, kind)} if spec.marked and records else {}
            new_rows: list[dict[str, Any]] = []
            changes: list[dict[str, Any]] = []
            for record in records:
                key = record_key(spec, record)
                values = {k: v for k, v in record.items() if k in columns and k != "organisation_id"}
                values["organisation_id"] = org_id
                if key in existing:
                    changes.append(values)
                else:
                    new_rows.append({**spec.defaults, **values})
            created = len(new_rows)
            if new_rows:
                if spec.self_ref:  # parents may be among the new rows: link them once all exist
                    later = [r for r in new_rows if r.get(spec.self_ref) is not None]
                    new_rows = [{**r, spec.self_ref: None} for r in new_rows]
                    for r in later:  # applied below, after the insert
                        changes.append(
                            {
                                **{k: r[k] for k in spec.key},
                                "organisation_id": org_id,
                                spec.self_ref: r[spec.self_ref],
                            }
                        )
                _insert_grouped(conn, table, new_rows, stamp.get("revision"))
            for values in changes:
                assignments = {
                    k: v for k, v in values.items() if k not in spec.key and k != "organisation_id"
                }
                if assignments:
                    conn.execute(
                        update(table)
                        .where(
                            table.c.organisation_id == org_id,
                            *key_match(spec, record_key_tuple(spec, values)),
                        )
                        .values(**assignments, **stamp)
                    )
            for name, (link, own, other) in spec.links.items():
                given = [r for r in records if name in r]
                if not given:
                    continue
                owners = [r["id"] for r in given]
                for chunk in chunks(owners):
                    conn.execute(delete(link).where(link.c.organisation_id == org_id, link.c[own].in_(chunk)))
                pairs = [
                    {"organisation_id": org_id, own: r["id"], other: target}
                    for r in given
                    for target in dict.fromkeys(r[name] or [])
                ]
                if pairs:
                    conn.execute(insert(link), pairs)
            if kind == "units":
                refuse_cycle("unit", unit_parents(conn, org_id))
            if kind == "goals":
                refuse_cycle("goal", goal_parent_links(conn, org_id))
        return created, len(records) - created

    def _stored_among(
        self, spec: Kind, kind: str, org_id: str, records: Sequence[dict[str, Any]]
    ) -> set[Key]:
        """The keys of `records` already stored. A few records (one submission) are looked up by
        key: reading every key, as bulk writes do, cost a second per idea at a million ideas."""
        if len(spec.key) == 1 and len(records) <= _LOOKUP_BY_KEY_UP_TO:
            return set(self.existing_keys(kind, org_id, (r.get(spec.key[0]) for r in records)))
        return self.keys(kind, org_id)

    def delete(self, kind: str, org_id: str, key: Key) -> None:
        """Remove one record (and its links); NotFoundError if absent, ConflictError if others point at it."""
        spec = spec_of(kind)
        keys = key_tuple(spec, key)
        self.get(kind, org_id, key)
        with self.transaction() as conn:
            if spec.marked:
                self._bump_mark(conn, org_id, kind, removal=True)
            for link, own, _other in spec.links.values():
                conn.execute(delete(link).where(link.c.organisation_id == org_id, link.c[own] == keys[0]))
            conn.execute(
                delete(spec.table).where(spec.table.c.organisation_id == org_id, *key_match(spec, keys))
            )

    def refresh_statistics(self, names: Sequence[str]) -> None:
        """Have PostgreSQL refresh its planner statistics of these record kinds' tables (or of
        `vectors`) now, after a bulk write, instead of whenever autovacuum gets to it. SQLite
        plans well without them: nothing is done there. InputError for an unknown name."""
        tables = [schema.vectors if name == "vectors" else spec_of(name).table for name in names]
        if self.dialect != "postgresql" or not tables:
            return
        with translated(), self._writer.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("ANALYZE " + ", ".join(table.name for table in tables)))


def _plain_columns(conn: Connection, columns: Sequence[Any]) -> bool:
    """Whether the driver's own values of these columns are already what SQLAlchemy would return
    (text and numbers: no JSON to parse, no dates to convert)."""
    dialect = conn.dialect
    return all(
        column.type.result_processor(dialect, None) is None
        and isinstance(column.type, (String, Integer, Float))
        for column in columns
    )


def _driver_rows(conn: Connection, query: Any) -> list[tuple[Any, ...]]:
    """The rows of `query` straight from the database driver's cursor, as plain tuples: for a
    million ideas, building SQLAlchemy Row objects took three quarters of the read (1.5 of 2 s)."""
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positiontup is not None:  # qmark / format styles (SQLite): parameters by position
        bound: Any = tuple(params[name] for name in compiled.positiontup)
    else:
        bound = params
    with driver_errors(conn):
        cursor = driver_connection(conn).cursor()
        try:
            cursor.execute(str(compiled), bound)
            return cursor.fetchall()
        finally:
            cursor.close()


def _insert_grouped(conn: Connection, table: Table, rows: list[dict[str, Any]], revision: Any = None) -> None:
    """executemany needs the same columns in every row: group rows by their set of columns.
    `revision`, when given, stamps every row: a number (SQLite's change mark), which joins each
    row's parameters, or statements.TRANSACTION_ID (PostgreSQL), which is part of the statement;
    either way the statement is the one kept per table."""
    by_transaction = revision is statements.TRANSACTION_ID
    if revision is not None and not by_transaction:
        rows = [{**row, "revision": revision} for row in rows]
    statement = statements.insert_rows(table, by_transaction)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        conn.execute(statement, group)
