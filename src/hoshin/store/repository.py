"""The Repository: every read and write of an organisation's records goes through here.

Records are plain dicts whose keys are the JSON keys of the import/export format (`id`, `name`,
`parent_id`, `parent_ids`, ...), so services, the REST API and the web pages pass them on as they are.

Writes are transactional: `with repo.transaction(): ...` groups several calls into one, and any
exception rolls every one of them back. A call made outside a transaction runs in its own.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Float,
    Integer,
    String,
    Table,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from hoshin.errors import ConflictError, HoshinError, InputError, NotFoundError, StorageError
from hoshin.store import schema, statements
from hoshin.store.engine import create_engines, driver_errors, refuse_after_close
from hoshin.store.migrations import apply_migrations
from hoshin.store.trees import descendants, find_cycle
from hoshin.store.verdict_batches import TIER_CODES, VerdictBatch
from hoshin.store.verdict_batches import decode as decode_batch
from hoshin.store.verdict_batches import encode as encode_batch
from hoshin.store.verdict_batches import summarise as summarise_batch

__all__ = ["RECORD_KINDS", "Repository", "missing_record", "now_iso", "open_store"]


def now_iso() -> str:
    """The current time as the store writes it: ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class _Kind:
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


_KINDS: dict[str, _Kind] = {
    "units": _Kind(schema.units, self_ref="parent_id"),
    "people": _Kind(schema.people),
    "knowledge_areas": _Kind(schema.knowledge_areas, defaults={"weight": 1.0, "origin": "own"}),
    "skills": _Kind(schema.skills, key=("person_id", "area_id")),
    "goals": _Kind(schema.goals, links={"parent_ids": (schema.goal_parents, "goal_id", "parent_id")}),
    "ideas": _Kind(
        schema.ideas,
        defaults={"tags": [], "links": [], "status": "new"},
        internal=("revision",),
        marked=True,
    ),
    "documents": _Kind(
        schema.documents, links={"area_ids": (schema.document_areas, "document_id", "area_id")}
    ),
    "communications": _Kind(schema.communications, defaults={"voice": "internal"}),
    "users": _Kind(
        schema.users,
        key=("username",),
        defaults={"active": True},
        hidden=("password_hash",),
        internal=("session_epoch",),
    ),
}
#: Record kinds in an order where every kind comes after the kinds it refers to.
RECORD_KINDS: tuple[str, ...] = tuple(_KINDS)

Key = str | tuple[str, ...]

# Upserts of up to this many records look their keys up (in chunks of 500) instead of reading all.
_LOOKUP_BY_KEY_UP_TO = 5_000


def open_store(url: str, migrate: bool = True) -> Repository:
    """A Repository on the database at `url`, its schema brought to head first (unless migrate=False)."""
    return Repository(url, migrate=migrate)


class Repository:
    """Records of every organisation in one database (SQLite file or PostgreSQL)."""

    def __init__(self, url: str, migrate: bool = True) -> None:
        self.url = url
        self._writer, self._reader = create_engines(url)
        # An Event, not a flag on self: the engines' check holds it without holding the repository.
        self._closed = threading.Event()
        refuse_after_close(self._writer, self._reader, self._closed.is_set)
        self._local = threading.local()
        # SQLite has one writer at a time. Threads that find it busy sleep in SQLite's busy handler
        # with growing back-offs (up to 100 ms a nap) even when the writer finishes in a
        # millisecond; queueing this process's writers on a lock first hands the turn straight to
        # the next one (a sampled server under 50 clients had a third of its request threads
        # napping in BEGIN IMMEDIATE before, none after). Other processes still meet the busy
        # timeout. PostgreSQL needs no such lock.
        self._write_turn: AbstractContextManager[Any] = (
            threading.Lock() if self._writer.dialect.name == "sqlite" else nullcontext()
        )
        if migrate:
            with _translated():
                apply_migrations(self._writer)

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    @property
    def closed(self) -> bool:
        """Whether `close` was called. SQLAlchemy keeps a disposed engine usable (it opens a new
        pool), so background writers ask this before they write rather than reconnect."""
        return self._closed.is_set()

    def close(self) -> None:
        self._closed.set()
        self._writer.dispose()
        if self._reader.pool is not self._writer.pool:
            self._reader.dispose()

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction; nested calls join the outer one. Rolls back on any exception."""
        current = getattr(self._local, "conn", None)
        if current is not None:
            yield current
            return
        with self._write_turn, _translated(), self._writer.begin() as conn:
            self._local.conn = conn
            try:
                yield conn
            finally:
                self._local.conn = None

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        current = getattr(self._local, "conn", None)
        if current is not None:  # read your own uncommitted writes
            yield current
            return
        with _translated(), self._reader.connect() as conn:
            yield conn

    # ------------------------------------------------------------ organisations

    def create_organisation(self, org_id: str, name: str, created_at: str | None = None) -> None:
        """Add an organisation; ConflictError when the id is taken, InputError for a bad id or name."""
        if not isinstance(org_id, str) or not org_id.strip() or len(org_id) > schema.ID:
            raise InputError(f"an organisation id must be 1 to {schema.ID} characters")
        if not isinstance(name, str) or not name.strip() or len(name) > schema.NAME:
            raise InputError(f"an organisation name must be 1 to {schema.NAME} characters")
        with self.transaction() as conn:
            if self._org_row(conn, org_id) is not None:
                raise ConflictError(f"organisation {org_id!r} already exists")
            conn.execute(
                insert(schema.organisations).values(id=org_id, name=name, created_at=created_at or now_iso())
            )

    def organisation(self, org_id: str) -> dict[str, Any]:
        """{id, name, created_at}; NotFoundError when there is no such organisation."""
        with self._reading() as conn:
            row = self._org_row(conn, org_id)
        if row is None:
            raise NotFoundError(f"no organisation {org_id!r} in this database")
        return row

    def organisations(self) -> list[dict[str, Any]]:
        with self._reading() as conn:
            result = conn.execute(select(schema.organisations).order_by(schema.organisations.c.id))
            return [dict(r._mapping) for r in result]

    def default_organisation(self) -> str:
        """The id of the only organisation; InputError when there is none or several."""
        orgs = self.organisations()
        if not orgs:
            raise InputError(
                "the database holds no organisation yet "
                "(run `hoshin init --org ID --name NAME` or `hoshin demo`)"
            )
        if len(orgs) > 1:
            names = ", ".join(o["id"] for o in orgs)
            raise InputError(f"the database holds several organisations ({names}); choose one with --org")
        return str(orgs[0]["id"])

    def delete_organisation(self, org_id: str) -> None:
        """Remove an organisation and everything it owns (one transaction)."""
        self.organisation(org_id)
        order = [
            schema.change_marks,
            schema.audit_events,
            schema.verdicts,
            schema.verdict_batches,
            schema.checkins,
            schema.users,
            schema.document_areas,
            schema.communications,
            schema.documents,
            schema.ideas,
            schema.goal_parents,
            schema.goals,
            schema.skills,
            schema.knowledge_areas,
            schema.people,
            schema.mission_versions,
        ]
        with self.transaction() as conn:
            for table in order:
                conn.execute(delete(table).where(table.c.organisation_id == org_id))
            # Children point at parents inside the same table: cut the links before deleting.
            conn.execute(
                update(schema.units).where(schema.units.c.organisation_id == org_id).values(parent_id=None)
            )
            conn.execute(delete(schema.units).where(schema.units.c.organisation_id == org_id))
            conn.execute(delete(schema.organisations).where(schema.organisations.c.id == org_id))

    @staticmethod
    def _org_row(conn: Connection, org_id: str) -> dict[str, Any] | None:
        row = conn.execute(select(schema.organisations).where(schema.organisations.c.id == org_id)).first()
        return None if row is None else dict(row._mapping)

    # ------------------------------------------------------------ records, any kind

    def rows(self, kind: str, org_id: str, include_hidden: bool = False) -> list[dict[str, Any]]:
        """Every record of `kind` in the organisation, sorted by key, list fields filled in."""
        spec = _kind(kind)
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
        spec = _kind(kind)
        keys = _key_tuple(spec, key)
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
        spec = _kind(kind)
        table = spec.table
        with self._reading() as conn:
            result = conn.execute(
                select(*(table.c[k] for k in spec.key)).where(table.c.organisation_id == org_id)
            )
            return {r[0] if len(spec.key) == 1 else tuple(r) for r in result}

    def existing_keys(self, kind: str, org_id: str, keys: Iterable[str]) -> set[str]:
        """Those of `keys` that are stored for `kind` (one-part keys), a few hundred per query:
        checking one submission's references this way costs the same with 10 or 100,000 records."""
        spec = _kind(kind)
        if len(spec.key) != 1:
            raise InputError(f"{kind} have a two-part key; read them with keys()")
        query = statements.keys_among(spec.table, spec.key[0])
        found: set[str] = set()
        with self._reading() as conn:
            for chunk in _chunks(sorted({k for k in keys if isinstance(k, str)})):
                found.update(conn.execute(query, {"org_id": org_id, "keys": chunk}).scalars())
        return found

    def count(self, kind: str, org_id: str) -> int:
        table = _kind(kind).table
        with self._reading() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(table).where(table.c.organisation_id == org_id)
                ).scalar_one()
            )

    # ------------------------------------------------------------ narrow reads
    # `rows` builds a full dict per record with every column and link. Pages that summarise or
    # follow thousands of records need a few columns or a few records by key; these reads serve
    # exactly that, so services never have to reach for the connection themselves.

    def columns(self, kind: str, org_id: str, names: Sequence[str]) -> list[tuple[Any, ...]]:
        """Just the columns `names` of every `kind` record of the organisation, as tuple-like rows in
        the order of `names`, sorted by key. InputError for an unknown kind, an unknown column (list
        fields such as parent_ids are not columns) or a hidden one (password hashes)."""
        query = _column_query(kind, org_id, names)
        table = _kind(kind).table
        with self._reading() as conn:
            if _plain_columns(conn, [table.c[n] for n in names]):
                return _driver_rows(conn, query)
            # The driver's rows index, unpack, compare and hash as tuples; copying each into a real
            # tuple would cost a third of the read for 10,000 goals (Result.tuples(), the typed way,
            # is deprecated from SQLAlchemy 2.1 on).
            return cast(list[tuple[Any, ...]], conn.execute(query).all())

    def verdict_summaries(
        self, org_id: str, record_kinds: Iterable[str]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """record kind -> record id -> its newest verdict as {score, tier, theme, mission_version},
        for several kinds in one pass over the verdicts (every kind asked for has an entry)."""
        kinds = list(dict.fromkeys(record_kinds))
        out: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in kinds}
        if not kinds:
            return out
        t = schema.verdicts
        query = (
            select(t.c.id, t.c.record_kind, t.c.record_id, t.c.score, t.c.tier, t.c.theme)
            .add_columns(t.c.mission_version)
            .where(t.c.organisation_id == org_id, t.c.record_kind.in_(kinds))
            .order_by(t.c.id)
        )
        with self._reading() as conn:
            rows = conn.execute(query).all()
            batches = self._verdict_batches(conn, org_id, kinds, newest_only=True)
        # Oldest first, so the newest verdict of a record is the one left standing.
        for source in _in_verdict_order(rows, batches):
            if isinstance(source, _StoredBatch):
                summary = out[source.record_kind]
                batch, version = source.batch, source.mission_version
                tiers = [TIER_CODES[c] for c in batch.tier.tolist()]
                themes = [batch.row_names[r] for r in batch.row.tolist()]
                for record_id, score, tier, theme in zip(
                    batch.record_ids, batch.score.tolist(), tiers, themes, strict=True
                ):
                    summary[record_id] = {
                        "score": score,
                        "tier": tier,
                        "theme": theme,
                        "mission_version": version,
                    }
            else:
                _, kind, record_id, score, tier, theme, version = source
                out[kind][record_id] = {
                    "score": score,
                    "tier": tier,
                    "theme": theme,
                    "mission_version": version,
                }
        return out

    def newest_scores(self, org_id: str, record_kind: str) -> dict[str, tuple[float, str, str | None]]:
        """record id -> (score, tier, theme) of its newest verdict: what `verdict_summaries` gives
        for one kind, as tuples, so ranking a million ideas does not build a million dicts."""
        t = schema.verdicts
        query = (
            select(t.c.id, t.c.record_id, t.c.score, t.c.tier, t.c.theme)
            .where(t.c.organisation_id == org_id, t.c.record_kind == record_kind)
            .order_by(t.c.id)
        )
        with self._reading() as conn:
            rows = conn.execute(query).all()
            batches = self._verdict_batches(conn, org_id, [record_kind], newest_only=True)
        found: dict[str, tuple[float, str, str | None]] = {}
        # Oldest first, so the newest verdict of a record is the one left standing.
        for source in _in_verdict_order(rows, batches):
            if isinstance(source, _StoredBatch):
                batch = source.batch
                tiers = [TIER_CODES[c] for c in batch.tier.tolist()]
                themes = [batch.row_names[r] for r in batch.row.tolist()]
                found.update(zip(batch.record_ids, zip(batch.score.tolist(), tiers, themes, strict=True)))
            else:
                _, record_id, score, tier, theme = source
                found[record_id] = (score, tier, theme)
        return found

    def by_ids(self, kind: str, org_id: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """id -> record (as `rows` gives it) for those of `ids` that exist, in chunks of a few hundred
        keys per query; unknown ids are left out, not an error. Kinds with a one-part key only."""
        spec = _kind(kind)
        if len(spec.key) != 1:
            raise InputError(f"{kind} have a two-part key; read them with rows()")
        table = spec.table
        key = table.c[spec.key[0]]
        found: dict[str, dict[str, Any]] = {}
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(ids))):
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

    def goals_by_ids(self, org_id: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """goal id -> {id, text, level, unit_id, owner_id, parent_ids} for those of `ids` that
        exist (unknown ids are left out, not an error), sorted by id."""
        wanted = sorted(set(ids))
        goals = schema.goals
        with self._reading() as conn:
            found: dict[str, dict[str, Any]] = {}
            for chunk in _chunks(wanted):
                found.update(_brief_goals(conn, org_id, goals.c.id.in_(chunk)))
        return dict(sorted(found.items()))

    def goals_of(
        self, org_id: str, owner: str | None = None, units: Iterable[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Goals owned by the person `owner` and/or placed in one of `units`, in the shape of
        `goals_by_ids`. With neither, every goal of the organisation; with both, goals matching both."""
        goals = schema.goals
        condition = [] if owner is None else [goals.c.owner_id == owner]
        with self._reading() as conn:
            if units is None:
                return _brief_goals(conn, org_id, *condition)
            found: dict[str, dict[str, Any]] = {}
            for chunk in _chunks(sorted(set(units))):
                found.update(_brief_goals(conn, org_id, goals.c.unit_id.in_(chunk), *condition))
        return dict(sorted(found.items()))

    def goal_parent_ids(self, org_id: str) -> dict[str, list[str]]:
        """goal id -> its parent ids (sorted, as `rows` lists them) for every goal that has a parent:
        with `columns`, the whole goal tree of 10,000 goals in tens of milliseconds."""
        link = schema.goal_parents
        query = (
            select(link.c.goal_id, link.c.parent_id)
            .where(link.c.organisation_id == org_id)
            .order_by(link.c.goal_id, link.c.parent_id)
        )
        found: dict[str, list[str]] = {}
        with self._reading() as conn:
            for goal_id, parent_id in conn.execute(query):
                found.setdefault(goal_id, []).append(parent_id)
        return found

    def skills_of(self, org_id: str, person_ids: Iterable[str]) -> list[dict[str, Any]]:
        """{person_id, area_id, level} of every skill held by one of `person_ids`, sorted by person
        then area."""
        t = schema.skills
        out: list[dict[str, Any]] = []
        with self._reading() as conn:
            for chunk in _chunks(sorted(set(person_ids))):
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
        spec = _kind(kind)
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
                key = _record_key(spec, record)
                values = {k: v for k, v in record.items() if k in columns and k != "organisation_id"}
                values["organisation_id"] = org_id
                if key in existing:
                    changes.append(values)
                else:
                    new_rows.append({**spec.defaults, **values})
            created = len(new_rows)
            if new_rows:
                later = []
                if spec.self_ref:  # parents may be among the new rows: link them once all exist
                    later = [r for r in new_rows if r.get(spec.self_ref) is not None]
                    new_rows = [{**r, spec.self_ref: None} for r in new_rows]
                _insert_grouped(conn, table, new_rows, stamp.get("revision"))
                for r in later:
                    changes.append(
                        {
                            **{k: r[k] for k in spec.key},
                            "organisation_id": org_id,
                            spec.self_ref: r[spec.self_ref],
                        }
                    )
            for values in changes:
                assignments = {
                    k: v for k, v in values.items() if k not in spec.key and k != "organisation_id"
                }
                if assignments:
                    conn.execute(
                        update(table)
                        .where(
                            table.c.organisation_id == org_id,
                            *_key_match(spec, _record_key_tuple(spec, values)),
                        )
                        .values(**assignments, **stamp)
                    )
            for name, (link, own, other) in spec.links.items():
                given = [r for r in records if name in r]
                if not given:
                    continue
                owners = [r["id"] for r in given]
                for chunk in _chunks(owners):
                    conn.execute(delete(link).where(link.c.organisation_id == org_id, link.c[own].in_(chunk)))
                pairs = [
                    {"organisation_id": org_id, own: r["id"], other: target}
                    for r in given
                    for target in dict.fromkeys(r[name] or [])
                ]
                if pairs:
                    conn.execute(insert(link), pairs)
            if kind == "units":
                self._refuse_cycle(conn, org_id, "unit", self._unit_parents(conn, org_id))
            if kind == "goals":
                self._refuse_cycle(conn, org_id, "goal", self._goal_parents(conn, org_id))
        return created, len(records) - created

    def _stored_among(
        self, spec: _Kind, kind: str, org_id: str, records: Sequence[dict[str, Any]]
    ) -> set[Key]:
        """The keys of `records` already stored. A few records (one submission) are looked up by
        key: reading every key, as bulk writes do, cost a second per idea at a million ideas."""
        if len(spec.key) == 1 and len(records) <= _LOOKUP_BY_KEY_UP_TO:
            return set(self.existing_keys(kind, org_id, (r.get(spec.key[0]) for r in records)))
        return self.keys(kind, org_id)

    def delete(self, kind: str, org_id: str, key: Key) -> None:
        """Remove one record (and its links); NotFoundError if absent, ConflictError if others point at it."""
        spec = _kind(kind)
        keys = _key_tuple(spec, key)
        self.get(kind, org_id, key)
        with self.transaction() as conn:
            if spec.marked:
                self._bump_mark(conn, org_id, kind, removal=True)
            for link, own, _other in spec.links.values():
                conn.execute(delete(link).where(link.c.organisation_id == org_id, link.c[own] == keys[0]))
            conn.execute(
                delete(spec.table).where(spec.table.c.organisation_id == org_id, *_key_match(spec, keys))
            )

    def _stamp(self, conn: Connection, org_id: str, kind: str) -> Any:
        """The revision this writing transaction stamps on the rows it writes. PostgreSQL: the
        transaction's own id, which takes no lock, so concurrent submissions never wait on each
        other for it (an expression evaluated in the writing statement: no extra round trip);
        `change_horizon` then tells readers which ids are surely finished. SQLite has one writer
        at a time: a counter in change_marks, advanced in the transaction."""
        if conn.dialect.name == "postgresql":
            return statements.TRANSACTION_ID
        return self._bump_mark(conn, org_id, kind, removal=False)

    @staticmethod
    def _bump_mark(conn: Connection, org_id: str, kind: str, removal: bool) -> int:
        """Advance the organisation's change mark row for `kind` (its counter, and its removals
        for a delete) inside the writing transaction; returns the counter."""
        statement = statements.bump_mark(conn.dialect.name)
        values = {"org_id": org_id, "mark_kind": kind, "removed": int(removal)}
        return int(conn.execute(statement, values).scalar_one())

    @staticmethod
    def _horizon(conn: Connection, org_id: str, kind: str) -> tuple[int, int]:
        t = schema.change_marks
        row = conn.execute(
            select(t.c.revision, t.c.removals).where(t.c.organisation_id == org_id, t.c.kind == kind)
        ).first()
        counter, removals = (0, 0) if row is None else (int(row[0]), int(row[1]))
        if conn.dialect.name == "postgresql":
            # Every transaction id below the snapshot's xmin has committed or rolled back.
            xmin = conn.execute(text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))
            return int(xmin.scalar_one()), removals
        return counter + 1, removals

    def refresh_statistics(self, names: Sequence[str]) -> None:
        """Have PostgreSQL refresh its planner statistics of these record kinds' tables (or of
        `vectors`) now, after a bulk write, instead of whenever autovacuum gets to it. SQLite
        plans well without them: nothing is done there. InputError for an unknown name."""
        tables = [schema.vectors if name == "vectors" else _kind(name).table for name in names]
        if self.dialect != "postgresql" or not tables:
            return
        with _translated(), self._writer.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("ANALYZE " + ", ".join(table.name for table in tables)))

    def change_horizon(self, kind: str, org_id: str) -> tuple[int, int]:
        """(horizon, removals) for a reader about to read every `kind` record: every write stamped
        below the horizon is in what it reads next; `written_since(horizon)` later lists the
        writes it may have missed. `removals` counts deletes, so a grown value says some records
        are gone. Kinds whose writes are not stamped raise InputError."""
        _marked_kind(kind)
        with self._reading() as conn:
            return self._horizon(conn, org_id, kind)

    def written_since(
        self, kind: str, org_id: str, horizon: int, names: Sequence[str]
    ) -> tuple[list[tuple[Any, ...]], tuple[int, int]]:
        """The columns `names` of the `kind` records written (added or changed) at or after
        `horizon`, sorted by key, and the (horizon, removals) to pass next time. A record may be
        listed again by the next call (a write still in flight is not yet past the horizon);
        deleted records are never listed: a grown `removals` says that some were."""
        table = _marked_kind(kind).table
        query = _column_query(kind, org_id, names).where(table.c.revision >= horizon)
        with self._reading() as conn:
            mark = self._horizon(conn, org_id, kind)  # first: what the rows read next surely hold
            return cast(list[tuple[Any, ...]], conn.execute(query).all()), mark

    @staticmethod
    def _record(spec: _Kind, mapping: Any, include_hidden: bool) -> dict[str, Any]:
        record = {k: v for k, v in mapping.items() if k != "organisation_id" and k not in spec.internal}
        if not include_hidden:
            for name in spec.hidden:
                record.pop(name, None)
        return record

    # ------------------------------------------------------------ trees

    def unit_subtree(self, org_id: str, unit_id: str) -> list[str]:
        """`unit_id` and every unit below it, top first; NotFoundError for an unknown unit."""
        self.get("units", org_id, unit_id)
        with self._reading() as conn:
            return descendants(unit_id, self._unit_parents(conn, org_id))

    def unit_path(self, org_id: str, unit_id: str) -> list[str]:
        """The chain from the root down to `unit_id`."""
        with self._reading() as conn:
            parents = self._unit_parents(conn, org_id)
        if unit_id not in parents:
            raise NotFoundError(f"no unit {unit_id!r} in {org_id!r}")
        path = [unit_id]
        while (
            parent := parents[path[-1]][0] if parents[path[-1]] else None
        ) is not None and parent not in path:
            path.append(parent)
        return list(reversed(path))

    def goal_parents(self, org_id: str, goal_id: str) -> list[str]:
        return self.get("goals", org_id, goal_id)["parent_ids"]

    def goal_children(self, org_id: str, goal_id: str) -> list[str]:
        """Ids of the goals that name `goal_id` as a parent, sorted."""
        link = schema.goal_parents
        with self._reading() as conn:
            return list(
                conn.execute(
                    select(link.c.goal_id)
                    .where(link.c.organisation_id == org_id, link.c.parent_id == goal_id)
                    .order_by(link.c.goal_id)
                ).scalars()
            )

    def set_goal_parents(self, org_id: str, goal_id: str, parent_ids: Iterable[str]) -> None:
        """Replace a goal's parents; ConflictError naming the cycle if that would make one."""
        self.get("goals", org_id, goal_id)
        self.upsert("goals", org_id, [{"id": goal_id, "parent_ids": list(parent_ids)}])

    @staticmethod
    def _unit_parents(conn: Connection, org_id: str) -> dict[str, list[str]]:
        t = schema.units
        rows = conn.execute(select(t.c.id, t.c.parent_id).where(t.c.organisation_id == org_id))
        return {unit: [parent] if parent is not None else [] for unit, parent in rows}

    @staticmethod
    def _goal_parents(conn: Connection, org_id: str) -> dict[str, list[str]]:
        t = schema.goal_parents
        graph: dict[str, list[str]] = {}
        for goal, parent in conn.execute(
            select(t.c.goal_id, t.c.parent_id).where(t.c.organisation_id == org_id)
        ):
            graph.setdefault(goal, []).append(parent)
        return graph

    @staticmethod
    def _refuse_cycle(conn: Connection, org_id: str, what: str, parents: dict[str, list[str]]) -> None:
        cycle = find_cycle(parents)
        if cycle:
            raise ConflictError(
                f"{what} parents would form a cycle: {' -> '.join(cycle)} (a {what} cannot sit below itself)"
            )

    # ------------------------------------------------------------ mission versions

    def add_mission_version(
        self,
        org_id: str,
        text: str,
        *,
        focus_areas: Sequence[str] = (),
        exclusions: Sequence[str] = (),
        themes: Sequence[Any] = (),
        brand_attributes: Sequence[Any] = (),
        principles: Sequence[Any] = (),
        created_by: str = "cli",
        created_at: str | None = None,
        version: int | None = None,
    ) -> int:
        """Store a new mission version (it becomes the current one); returns its number."""
        t = schema.mission_versions
        with self.transaction() as conn:
            self.organisation(org_id)
            if version is None:
                newest = conn.execute(
                    select(func.max(t.c.version)).where(t.c.organisation_id == org_id)
                ).scalar()
                version = (newest or 0) + 1
            conn.execute(
                insert(t).values(
                    organisation_id=org_id,
                    version=version,
                    text=text,
                    themes=list(themes),
                    focus_areas=list(focus_areas),
                    exclusions=list(exclusions),
                    brand_attributes=list(brand_attributes),
                    principles=list(principles),
                    created_at=created_at or now_iso(),
                    created_by=created_by,
                )
            )
        return version

    def mission(self, org_id: str, version: int | None = None) -> dict[str, Any] | None:
        """The current mission version (or the one asked for) as a dict; None when there is none."""
        t = schema.mission_versions
        if version is None:  # every scored request asks for this one
            query, values = statements.current_mission(), {"org_id": org_id}
        else:
            query, values = select(t).where(t.c.organisation_id == org_id, t.c.version == version), {}
        with self._reading() as conn:
            row = conn.execute(query, values).first()
        return None if row is None else self._record(_NO_KIND, row._mapping, False)

    def mission_versions(self, org_id: str) -> list[dict[str, Any]]:
        """Every mission version, oldest first."""
        t = schema.mission_versions
        with self._reading() as conn:
            result = conn.execute(select(t).where(t.c.organisation_id == org_id).order_by(t.c.version))
            return [self._record(_NO_KIND, r._mapping, False) for r in result]

    # ------------------------------------------------------------ check-ins

    def add_checkin(self, org_id: str, goal_id: str, date: str, value: float, note: str | None = None) -> int:
        """Record progress on a goal; returns the check-in's id. NotFoundError for an unknown goal."""
        self.get("goals", org_id, goal_id)
        with self.transaction() as conn:
            result = conn.execute(
                insert(schema.checkins).values(
                    organisation_id=org_id, goal_id=goal_id, date=date, value=value, note=note
                )
            )
            return int(result.inserted_primary_key[0])

    def checkins(self, org_id: str, goal_id: str | None = None) -> list[dict[str, Any]]:
        """Check-ins, by goal then date (all goals when goal_id is None)."""
        t = schema.checkins
        query = select(t).where(t.c.organisation_id == org_id)
        if goal_id is not None:
            query = query.where(t.c.goal_id == goal_id)
        with self._reading() as conn:
            result = conn.execute(query.order_by(t.c.goal_id, t.c.date, t.c.id))
            return [self._record(_NO_KIND, r._mapping, False) for r in result]

    # ------------------------------------------------------------ verdicts

    def save_verdicts(
        self,
        org_id: str,
        record_kind: str,
        items: Iterable[tuple[str, dict[str, Any]]],
        *,
        model_id: str,
        mission_version: int | None,
        created_at: str | None = None,
    ) -> int:
        """Store verdicts ({score, tier, theme, why}) for records; returns how many were stored."""
        stamp = created_at or now_iso()
        rows = [
            {
                "organisation_id": org_id,
                "record_kind": record_kind,
                "record_id": record_id,
                "mission_version": mission_version,
                "score": float(v["score"]),
                "tier": str(v["tier"]),
                "theme": v.get("theme"),
                "why": v.get("why"),
                "model_id": model_id,
                "created_at": stamp,
                "decided_by_example": v.get("decided_by_example") is True,
                "example_id": _example_id(v.get("example_id")),
            }
            for record_id, v in items
        ]
        if rows:
            with self.transaction() as conn:
                conn.execute(statements.insert_rows(schema.verdicts), rows)
        return len(rows)

    def save_verdict_batch(
        self,
        org_id: str,
        record_kind: str,
        batch: VerdictBatch,
        *,
        model_id: str,
        mission_version: int | None,
        created_at: str | None = None,
        keep: int | None = None,
    ) -> int:
        """Store the verdicts of a whole re-score as one row (store/verdict_batches.py); they read
        back through `verdicts` and `verdict_summaries` like rows saved by `save_verdicts` at the
        same moment. Returns how many verdicts it holds.

        In the same transaction, older batches of the kind are retired: those whose records all have
        a verdict in a newer batch are marked covered (newest-verdict reads skip them), and past the
        `keep` newest (HOSHIN_VERDICT_HISTORY when None) their payloads are pruned to a summary of
        counts; see `_retire_batches`."""
        if keep is None:
            from hoshin.config import verdict_history

            keep = verdict_history()
        if keep < 1:
            raise InputError(f"keep at least the batch being stored (keep={keep})")
        if not len(batch):
            return 0
        payload = encode_batch(batch)
        stamp = created_at or now_iso()
        v = schema.verdicts
        with self.transaction() as conn:
            self.organisation(org_id)
            newest = conn.execute(select(func.max(v.c.id)).where(v.c.organisation_id == org_id)).scalar()
            inserted = conn.execute(
                insert(schema.verdict_batches).values(
                    organisation_id=org_id,
                    record_kind=record_kind,
                    mission_version=mission_version,
                    model_id=model_id,
                    created_at=stamp,
                    after_verdict=newest or 0,
                    size=len(batch),
                    payload=payload,
                    covered=False,
                    summary=summarise_batch(batch),
                )
            )
            batch_id = int(inserted.inserted_primary_key[0])
            self._retire_batches(conn, org_id, record_kind, batch_id, batch, keep)
        return len(batch)

    def _retire_batches(
        self, conn: Connection, org_id: str, record_kind: str, batch_id: int, batch: VerdictBatch, keep: int
    ) -> None:
        """After storing `batch` (id `batch_id`): mark each older batch of the kind whose records all
        have a verdict in a newer batch as covered, and prune the payloads of those past the `keep`
        newest. A pruned batch's verdicts that are still some record's newest (no newer batch holds
        the record, no newer verdict row either) are first copied into `verdicts` rows; they come
        after every batch in reading order, which is right since nothing newer exists for them.

        Looks at (decodes) only batches not covered yet: after full re-scores, the one before."""
        b = schema.verdict_batches
        stamps = conn.execute(
            select(b.c.id, b.c.created_at, b.c.after_verdict, b.c.covered, b.c.pruned_at, b.c.summary)
            .add_columns(b.c.mission_version, b.c.model_id)
            .where(b.c.organisation_id == org_id, b.c.record_kind == record_kind, b.c.id <= batch_id)
            .order_by(b.c.id)
            # PostgreSQL: a second re-score saved at the same moment waits here, then sees what this
            # one retired, so no verdict is copied twice (SQLite writes one at a time anyway).
            .with_for_update()
        ).all()
        places = _batch_places(stamps)
        newer: set[str] | None = None  # record ids of the batches newer than the one looked at
        kept = 1  # payloads kept so far, newest first: the batch just stored
        pruned_at = now_iso()
        for stamp, place in zip(reversed(stamps), reversed(places), strict=True):
            if stamp.id == batch_id or stamp.pruned_at is not None:
                continue  # the new batch itself; a pruned batch is covered
            prune = kept >= keep
            kept += 0 if prune else 1
            if stamp.covered and not prune:
                continue
            changes: dict[str, Any] = {}
            old: VerdictBatch | None = None
            if not stamp.covered:
                old = self._decoded_batch(conn, org_id, stamp.id, stamp.created_at, keep=False)
                if newer is None:
                    newer = set(batch.record_ids)
                alone = [i for i, r in enumerate(old.record_ids) if r not in newer]
                if prune and alone:
                    self._keep_as_rows(conn, org_id, record_kind, stamp, place, old, alone)
                newer.update(old.record_ids[i] for i in alone)
                if not alone:
                    changes["covered"] = True
            if prune:
                if stamp.summary is None:  # stored before summaries were kept
                    if old is None:
                        old = self._decoded_batch(conn, org_id, stamp.id, stamp.created_at, keep=False)
                    changes["summary"] = summarise_batch(old)
                changes.update(payload=b"", pruned_at=pruned_at, covered=True)
            if changes:
                conn.execute(update(b).where(b.c.id == stamp.id).values(**changes))

    def _keep_as_rows(
        self,
        conn: Connection,
        org_id: str,
        record_kind: str,
        stamp: Any,
        place: int,
        old: VerdictBatch,
        positions: list[int],
    ) -> None:
        """Copy the verdicts at `positions` of a batch about to be pruned into `verdicts` rows, except
        for records with a verdict row newer than the batch (`place`: where it sits among rows)."""
        t = schema.verdicts
        ids = [old.record_ids[i] for i in positions]
        newer_rows: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            newer_rows.update(
                conn.execute(
                    select(t.c.record_id).where(
                        t.c.organisation_id == org_id,
                        t.c.record_kind == record_kind,
                        t.c.record_id.in_(chunk),
                        t.c.id > place,
                    )
                ).scalars()
            )
        wanted = [i for i in positions if old.record_ids[i] not in newer_rows]
        if not wanted:
            return
        texts = self._texts_by_id(conn, org_id, record_kind, [old.record_ids[i] for i in wanted])
        stored = _StoredBatch(
            stamp.id, record_kind, stamp.mission_version, stamp.model_id, stamp.created_at, place, old
        )
        rows = []
        for i in wanted:
            row = stored.row(org_id, i, texts.get(old.record_ids[i], ""))
            del row["id"]
            rows.append(row)
        conn.execute(insert(t), rows)

    def _decoded_batch(
        self, conn: Connection, org_id: str, batch_id: int, created_at: str, keep: bool = True
    ) -> VerdictBatch:
        """Stored batch `batch_id`, decoded: from the decoded batches kept in the process when it is
        there, else read and decoded (and kept, unless keep=False: a batch looked at once)."""
        b = schema.verdict_batches

        def payload() -> bytes:
            return cast(bytes, conn.execute(select(b.c.payload).where(b.c.id == batch_id)).scalar_one())

        return decode_batch((self.url, org_id, batch_id, created_at), payload, keep=keep)

    def _verdict_batches(
        self, conn: Connection, org_id: str, record_kinds: Sequence[str] | None, newest_only: bool = False
    ) -> list[_StoredBatch]:
        """The organisation's verdict batches, oldest first, decoded (decoded ones are kept). Pruned
        batches are left out (they have no verdicts left); with newest_only, so are covered ones,
        which hold no record's newest verdict. Each comes with its place among the verdict rows."""
        b = schema.verdict_batches
        query = select(
            b.c.id, b.c.record_kind, b.c.mission_version, b.c.model_id, b.c.created_at, b.c.after_verdict
        ).add_columns(b.c.covered, b.c.pruned_at)
        query = query.where(b.c.organisation_id == org_id)
        if record_kinds is not None:
            query = query.where(b.c.record_kind.in_(list(record_kinds)))
        stamps = conn.execute(query.order_by(b.c.id)).all()
        found = []
        # Places are worked out over every batch, skipped ones included: a batch stored after one
        # with a later place waits for it in `_in_verdict_order`, and must still do so.
        for stamp, place in zip(stamps, _batch_places(stamps), strict=True):
            if stamp.pruned_at is not None or (newest_only and stamp.covered):
                continue

            batch = self._decoded_batch(conn, org_id, stamp.id, stamp.created_at)
            found.append(
                _StoredBatch(
                    stamp.id,
                    stamp.record_kind,
                    stamp.mission_version,
                    stamp.model_id,
                    stamp.created_at,
                    place,
                    batch,
                )
            )
        return found

    def verdict_batch_history(self, org_id: str, record_kind: str | None = None) -> list[dict[str, Any]]:
        """Every stored re-score batch, oldest first, pruned ones included: {id, record_kind,
        mission_version, model_id, created_at, size, tiers: {tier: n}, themes: {theme: n}, kept:
        whether its single verdicts are still stored}. Reads no payload, except once for a batch
        stored before counts were kept."""
        b = schema.verdict_batches
        query = select(
            b.c.id, b.c.record_kind, b.c.mission_version, b.c.model_id, b.c.created_at, b.c.size
        ).add_columns(b.c.summary, b.c.pruned_at)
        query = query.where(b.c.organisation_id == org_id)
        if record_kind is not None:
            query = query.where(b.c.record_kind == record_kind)
        out = []
        with self._reading() as conn:
            for stamp in conn.execute(query.order_by(b.c.id)).all():
                summary = stamp.summary
                if summary is None:
                    old = self._decoded_batch(conn, org_id, stamp.id, stamp.created_at, keep=False)
                    summary = summarise_batch(old)
                out.append(
                    {
                        "id": stamp.id,
                        "record_kind": stamp.record_kind,
                        "mission_version": stamp.mission_version,
                        "model_id": stamp.model_id,
                        "created_at": stamp.created_at,
                        "size": stamp.size,
                        "tiers": dict(summary["tiers"]),
                        "themes": dict(summary["themes"]),
                        "kept": stamp.pruned_at is None,
                    }
                )
        return out

    def verdicts(
        self, org_id: str, record_kind: str | None = None, latest_only: bool = True
    ) -> list[dict[str, Any]]:
        """Stored verdicts, oldest first; with latest_only, the newest one per record.

        Verdicts of a batch (`save_verdict_batch`) come as rows with id None; their `why` is
        written from the batch and the record's current text."""
        t = schema.verdicts
        query = select(t).where(t.c.organisation_id == org_id)
        if record_kind is not None:
            query = query.where(t.c.record_kind == record_kind)
        with self._reading() as conn:
            rows = [self._record(_NO_KIND, r._mapping, False) for r in conn.execute(query.order_by(t.c.id))]
            kinds = None if record_kind is None else [record_kind]
            batches = self._verdict_batches(conn, org_id, kinds, newest_only=latest_only)
            texts = self._texts_of(conn, org_id, {b.record_kind for b in batches})
        if not batches:
            found = rows
        else:
            found = []
            for source in _in_verdict_order(rows, batches, key=lambda r: r["id"]):
                if isinstance(source, _StoredBatch):
                    found.extend(source.rows(org_id, texts.get(source.record_kind, {})))
                else:
                    found.append(source)
        if latest_only:
            newest = {(v["record_kind"], v["record_id"]): v for v in found}
            found = list(newest.values())
        return found

    def newest_verdicts(
        self, org_id: str, record_kind: str, record_ids: Iterable[str]
    ) -> dict[str, dict[str, Any]]:
        """record id -> its newest verdict as `verdicts` gives it (with its `why`), for those of
        `record_ids` that have one. Reads only these records' verdict rows (a few hundred ids per
        query) and their places in the stored batches, newest batch first, and writes the sentences
        of just the verdicts returned: a page of 100 ideas builds 100 sentences, not a million."""
        wanted = sorted({i for i in record_ids if isinstance(i, str)})
        if not wanted:
            return {}
        t = schema.verdicts
        newest_rows: dict[str, dict[str, Any]] = {}
        with self._reading() as conn:
            for chunk in _chunks(wanted):
                query = select(t).where(
                    t.c.organisation_id == org_id, t.c.record_kind == record_kind, t.c.record_id.in_(chunk)
                )
                for r in conn.execute(query.order_by(t.c.id)):
                    newest_rows[r.record_id] = self._record(_NO_KIND, r._mapping, False)
            in_batches = self._newest_in_batches(conn, org_id, record_kind, wanted, newest_rows)
            texts = self._texts_by_id(conn, org_id, record_kind, list(in_batches)) if in_batches else {}
        found: dict[str, dict[str, Any]] = {}
        for record_id in wanted:
            if record_id in in_batches:
                stored, i = in_batches[record_id]
                found[record_id] = stored.row(org_id, i, texts.get(record_id, ""))
            elif record_id in newest_rows:
                found[record_id] = newest_rows[record_id]
        return found

    def _newest_in_batches(
        self,
        conn: Connection,
        org_id: str,
        record_kind: str,
        wanted: list[str],
        newest_rows: dict[str, dict[str, Any]],
    ) -> dict[str, tuple[_StoredBatch, int]]:
        """Those of `wanted` whose newest verdict is in a batch -> (that batch, its position there).
        Batches are looked at newest first and decoded only while some record is still undecided."""
        b = schema.verdict_batches
        query = (
            select(b.c.id, b.c.mission_version, b.c.model_id, b.c.created_at, b.c.after_verdict)
            .add_columns(b.c.covered)
            .where(b.c.organisation_id == org_id, b.c.record_kind == record_kind)
            .order_by(b.c.id)
        )
        stamps = conn.execute(query).all()
        # Places over every batch (`_batch_places`); covered ones (pruned ones are covered too) hold
        # no record's newest verdict and are never decoded here.
        places = _batch_places(stamps)
        undecided = set(wanted)
        found: dict[str, tuple[_StoredBatch, int]] = {}
        for (batch_id, version, model_id, created_at, after, covered), place in zip(
            reversed(stamps), reversed(places), strict=True
        ):
            if covered:
                continue
            # A record with a verdict row newer than this batch keeps that row: older batches are
            # older still.
            undecided = {r for r in undecided if r not in newest_rows or newest_rows[r]["id"] <= place}
            if not undecided:
                break

            batch = self._decoded_batch(conn, org_id, batch_id, created_at)
            stored = _StoredBatch(batch_id, record_kind, version, model_id, created_at, after, batch)
            for record_id in list(undecided):
                i = batch.position(record_id)
                if i is not None:
                    found[record_id] = (stored, i)
                    undecided.discard(record_id)
        return found

    @staticmethod
    def _texts_by_id(conn: Connection, org_id: str, record_kind: str, ids: list[str]) -> dict[str, str]:
        """id -> text of those records of a kind whose batch verdicts need their sentences."""
        table = _VERDICT_TEXTS.get(record_kind)
        out: dict[str, str] = {}
        if table is not None:
            for chunk in _chunks(sorted(ids)):
                query = select(table.c.id, table.c.text).where(
                    table.c.organisation_id == org_id, table.c.id.in_(chunk)
                )
                out.update(conn.execute(query).all())
        return out

    @staticmethod
    def _texts_of(conn: Connection, org_id: str, record_kinds: Iterable[str]) -> dict[str, dict[str, str]]:
        """record kind -> id -> text, for the kinds whose batch verdicts need their sentences."""
        out: dict[str, dict[str, str]] = {}
        for kind in record_kinds:
            table = _VERDICT_TEXTS.get(kind)
            if table is not None:
                query = select(table.c.id, table.c.text).where(table.c.organisation_id == org_id)
                out[kind] = dict(conn.execute(query).all())
        return out

    # ------------------------------------------------------------ users

    def find_user(self, username: str, org_id: str | None = None) -> dict[str, Any] | None:
        """The user (with password_hash and organisation_id) by name; None when unknown.

        Without org_id the name must be unique across organisations (a login form has no org field).
        """
        t = schema.users
        query = select(t).where(t.c.username == username)
        if org_id is not None:
            query = query.where(t.c.organisation_id == org_id)
        with self._reading() as conn:
            found = [dict(r._mapping) for r in conn.execute(query.limit(2))]
        return found[0] if len(found) == 1 else None

    def sign_in_candidates(self, username: str, org_id: str | None = None) -> list[dict[str, Any]]:
        """Every active user called `username` that has a password (only in `org_id` when given),
        by organisation. A login form names no organisation, and the same name may be taken in
        several; the password decides which of them is signing in."""
        t = schema.users
        query = select(t).where(
            t.c.username == username, t.c.active.is_(True), t.c.password_hash.is_not(None)
        )
        if org_id is not None:
            query = query.where(t.c.organisation_id == org_id)
        with self._reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(t.c.organisation_id))]

    def end_sessions(self, org_id: str, username: str) -> None:
        """Raise the user's session epoch: every session cookie issued to them so far stops working."""
        t = schema.users
        with self.transaction() as conn:
            conn.execute(
                update(t)
                .where(t.c.organisation_id == org_id, t.c.username == username)
                .values(session_epoch=t.c.session_epoch + 1)
            )

    def set_password_hash(self, org_id: str, username: str, password_hash: str) -> None:
        self.get("users", org_id, username)
        self.upsert("users", org_id, [{"username": username, "password_hash": password_hash}])

    # ------------------------------------------------------------ sign-in attempts

    def take_sign_in_attempt(self, limits: dict[str, int], now_ms: int, window_ms: int) -> dict[str, int]:
        """Count one sign-in attempt against each key of `limits` ({key: most attempts within the
        window}), unless a key already holds its most: then count nothing and return, for each
        such key, the milliseconds until its oldest attempt in the way leaves the window. Empty
        when the attempt was counted.

        One transaction, with the keys' rows locked (PostgreSQL: FOR UPDATE, in key order, so two
        processes never deadlock; SQLite: one writer at a time), so attempts made at the same
        moment through several server processes are all counted and none slips past a limit."""
        t = schema.sign_in_attempts
        since = now_ms - window_ms
        keys = sorted(limits)
        waits: dict[str, int] = {}
        with self.transaction() as conn:
            conn.execute(
                statements.add_sign_in_key(self.dialect), [{"k": key, "now": now_ms} for key in keys]
            )
            query = select(t.c.key, t.c.attempts).where(t.c.key.in_(keys)).order_by(t.c.key)
            rows = conn.execute(query.with_for_update()).all()
            recent = {key: sorted(int(at) for at in attempts if int(at) > since) for key, attempts in rows}
            for key in keys:
                held, most = recent[key], limits[key]
                if len(held) >= most:
                    waits[key] = max(1, held[len(held) - most] + window_ms - now_ms)
            if not waits:
                conn.execute(
                    update(t)
                    .where(t.c.key == bindparam("k"))
                    .values(attempts=bindparam("a"), last_at=now_ms),
                    [{"k": key, "a": [*recent[key], now_ms]} for key in keys],
                )
            # Keys nobody tried for a whole window hold nothing that still counts. Rows another
            # attempt holds locked are left to a later one: waiting for them could deadlock.
            stale = select(t.c.key).where(t.c.last_at <= since).with_for_update(skip_locked=True)
            conn.execute(delete(t).where(t.c.key.in_(stale)))
        return waits

    def forget_sign_in_attempts(self, keys: Sequence[str], at_ms: int | None = None) -> None:
        """Drop the attempt counted at `at_ms` from each key (every attempt of them when None)."""
        t = schema.sign_in_attempts
        with self.transaction() as conn:
            if at_ms is None:
                conn.execute(delete(t).where(t.c.key.in_(list(keys))))
                return
            query = select(t.c.key, t.c.attempts).where(t.c.key.in_(sorted(keys))).order_by(t.c.key)
            for key, attempts in conn.execute(query.with_for_update()).all():
                kept = [int(at) for at in attempts]
                if at_ms in kept:
                    kept.remove(at_ms)
                    conn.execute(update(t).where(t.c.key == key).values(attempts=kept))

    # ------------------------------------------------------------ audit

    def record_event(
        self,
        org_id: str,
        username: str,
        action: str,
        record_kind: str | None = None,
        record_id: str | None = None,
        detail: dict[str, Any] | None = None,
        at: str | None = None,
    ) -> None:
        """Append an audit event (inside the caller's transaction when there is one)."""
        event = {
            "organisation_id": org_id,
            "at": at or now_iso(),
            "username": username,
            "action": action,
            "record_kind": record_kind,
            "record_id": record_id,
            "detail": detail or {},
        }
        with self.transaction() as conn:
            conn.execute(statements.insert_rows(schema.audit_events), event)

    def audit_events(self, org_id: str, limit: int | None = None) -> list[dict[str, Any]]:
        """Audit events, oldest first (the newest `limit` when given)."""
        t = schema.audit_events
        query = select(t).where(t.c.organisation_id == org_id).order_by(t.c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        with self._reading() as conn:
            events = [self._record(_NO_KIND, r._mapping, False) for r in conn.execute(query)]
        for event in events:
            event.pop("id", None)
        return list(reversed(events))

    # ------------------------------------------------------------ vectors

    def vector_cache(self) -> Any:
        """A VectorCache on this store's `vectors` table (see hoshin.store.vectors)."""
        from hoshin.store.vectors import StoreVectorCache

        return StoreVectorCache(self)

    # ------------------------------------------------------------ signed-in users

    def user_with_units(
        self, username: str, org_id: str, tree_for: Collection[str] | None = None
    ) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
        """`find_user(username, org_id)` and, when that user belongs to a unit (and has one of the
        roles `tree_for`, when given), the organisation's units as {unit: [parent]} (else {}),
        read on one connection. Every request checks its user; three separate reads (user, unit,
        unit tree) cost about twice as much, and the tree is the whole organisation's."""
        query = statements.user_by_name()
        with self._reading() as conn:
            found = [dict(r._mapping) for r in conn.execute(query, {"username": username, "org_id": org_id})]
            row = found[0] if len(found) == 1 else None
            wanted = (
                row is not None and row.get("unit_id") and (tree_for is None or row.get("role") in tree_for)
            )
            parents = self._unit_parents(conn, org_id) if wanted else {}
        return row, parents


_NO_KIND = _Kind(schema.organisations)


def _column_query(kind: str, org_id: str, names: Sequence[str]) -> Any:
    """SELECT the columns `names` of the organisation's `kind` records, sorted by key; InputError
    for no names, an unknown column, or a hidden or internal one."""
    spec = _kind(kind)
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


def _marked_kind(kind: str) -> _Kind:
    """The kind's spec; InputError when its writes are not stamped (only ideas are)."""
    spec = _kind(kind)
    if not spec.marked:
        raise InputError(f"writes of {kind} are not marked; only ideas are")
    return spec


def _kind(kind: str) -> _Kind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise InputError(f"unknown record kind {kind!r}; use one of: {', '.join(RECORD_KINDS)}") from None


def _record_key(spec: _Kind, record: dict[str, Any]) -> Key:
    keys = _record_key_tuple(spec, record)
    return keys[0] if len(keys) == 1 else keys


def _record_key_tuple(spec: _Kind, record: dict[str, Any]) -> tuple[str, ...]:
    try:
        return tuple(record[k] for k in spec.key)
    except KeyError as exc:
        raise InputError(f"a record is missing its key field {exc.args[0]!r}") from None


def _key_tuple(spec: _Kind, key: Key) -> tuple[str, ...]:
    keys = (key,) if isinstance(key, str) else tuple(key)
    if len(keys) != len(spec.key):
        raise InputError(f"a key needs {len(spec.key)} part(s): {', '.join(spec.key)}")
    return keys


def _key_match(spec: _Kind, keys: tuple[str, ...]) -> list[Any]:
    return [spec.table.c[name] == value for name, value in zip(spec.key, keys, strict=True)]


def _show(key: Key) -> str:
    return repr(key) if isinstance(key, str) else "/".join(key)


def missing_record(kind: str, org_id: str, key: Key) -> NotFoundError:
    """The error `get` raises for a record that is not there; a record hidden from a user is
    answered with the very same one (service/visibility.py)."""
    return NotFoundError(f"no {kind[:-1] if kind.endswith('s') else kind} {_show(key)} in {org_id!r}")


_GOAL_BRIEF = ("id", "text", "level", "unit_id", "owner_id")


def _brief_goals(conn: Connection, org_id: str, *where: Any) -> dict[str, dict[str, Any]]:
    """The goals matching `where`, sorted by id, as dicts of _GOAL_BRIEF with their parent_ids."""
    goals, links = schema.goals, schema.goal_parents
    query = (
        select(*(goals.c[c] for c in _GOAL_BRIEF))
        .where(goals.c.organisation_id == org_id, *where)
        .order_by(goals.c.id)
    )
    found = {row[0]: dict(zip(_GOAL_BRIEF, row, strict=True)) for row in conn.execute(query)}
    for goal in found.values():
        goal["parent_ids"] = []
    for chunk in _chunks(list(found)):
        for goal_id, parent_id in conn.execute(
            select(links.c.goal_id, links.c.parent_id)
            .where(links.c.organisation_id == org_id, links.c.goal_id.in_(chunk))
            .order_by(links.c.parent_id)
        ):
            found[goal_id]["parent_ids"].append(parent_id)
    return found


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
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.execute(str(compiled), bound)
            return cursor.fetchall()
        finally:
            cursor.close()


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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


@contextmanager
def _translated() -> Iterator[None]:
    """Database errors become Hoshin's: a clash is a ConflictError, anything else a StorageError."""
    try:
        yield
    except HoshinError:
        raise
    except IntegrityError as exc:
        clash = ConflictError(f"the change clashes with stored data: {_first_line(exc.orig)}")
        raise _in_plain_words(clash, "the change clashes with stored data") from exc
    except DBAPIError as exc:
        failed = StorageError(f"database error: {_first_line(exc.orig)}")
        raise _in_plain_words(failed, "the database could not do this; the server log says why") from exc


def _in_plain_words(error: HoshinError, public: str) -> HoshinError:
    """`error` (whose message quotes the database, for the command line and the log) with the
    words a web answer may show instead: the database's own text names tables and constraints."""
    error.public = public  # type: ignore[attr-defined]
    return error


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _example_id(value: object) -> str | None:
    """The labelled idea a stored verdict names (a backup may hold anything there: only an id)."""
    return value if isinstance(value, str) and 0 < len(value) <= schema.ID else None


# Record kinds whose verdicts may come in batches -> the table holding their texts.
_VERDICT_TEXTS: dict[str, Table] = {"idea": schema.ideas}


@dataclass(frozen=True)
class _StoredBatch:
    id: int
    record_kind: str
    mission_version: int | None
    model_id: str
    created_at: str
    after_verdict: int
    batch: VerdictBatch

    def row(self, org_id: str, i: int, text: str) -> dict[str, Any]:
        """Verdict i as `rows` gives it, its sentence written for `text`."""
        batch = self.batch
        return {
            "id": None,
            "organisation_id": org_id,
            "record_kind": self.record_kind,
            "record_id": batch.record_ids[i],
            "mission_version": self.mission_version,
            "score": float(batch.score[i]),
            "tier": batch.tier_name(i),
            "theme": batch.theme(i),
            "why": batch.why(i, text),
            "model_id": self.model_id,
            "created_at": self.created_at,
            "decided_by_example": batch.decided_by_example(i),
            "example_id": batch.example_id(i),
        }

    def rows(self, org_id: str, texts: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Its verdicts as `verdicts` rows would read (id None; a record gone from the store gets
        its sentence built from an empty text)."""
        batch = self.batch
        tiers = [TIER_CODES[c] for c in batch.tier.tolist()]
        for i, (record_id, score) in enumerate(zip(batch.record_ids, batch.score.tolist(), strict=True)):
            yield {
                "id": None,
                "organisation_id": org_id,
                "record_kind": self.record_kind,
                "record_id": record_id,
                "mission_version": self.mission_version,
                "score": score,
                "tier": tiers[i],
                "theme": batch.theme(i),
                "why": batch.why(i, texts.get(record_id, "")),
                "model_id": self.model_id,
                "created_at": self.created_at,
                "decided_by_example": batch.decided_by_example(i),
                "example_id": batch.example_id(i),
            }


def _batch_places(stamps: Sequence[Any]) -> list[int]:
    """Where each batch (rows with `after_verdict`, oldest first) stands among the verdict rows, as
    `_in_verdict_order` places it: after the newest row of its time, never before an older batch."""
    places, highest = [], 0
    for stamp in stamps:
        highest = max(highest, stamp.after_verdict)
        places.append(highest)
    return places


def _in_verdict_order(rows: Sequence[Any], batches: Sequence[_StoredBatch], key: Any = None) -> Iterator[Any]:
    """Verdict rows (ordered by id) and batches merged into the order they were stored in: a batch
    comes right after the verdict row that was the newest when it was written."""
    position = key or (lambda r: r[0])
    pending = list(batches)
    for row in rows:
        while pending and pending[0].after_verdict < position(row):
            yield pending.pop(0)
        yield row
    yield from pending
