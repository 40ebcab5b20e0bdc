"""Change marks: how a reader that keeps records in memory (the kept index of ideas) follows writes.

Writes of a marked kind (only ideas) stamp the rows they write with a revision, and deletes are
counted per organisation and kind in `schema.change_marks`. A reader asks for the horizon before
reading everything, then later for the rows written since it (`written_since`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, select, text

from hoshin.store import schema, statements
from hoshin.store.base import StoreBase
from hoshin.store.kinds import column_query, marked_spec

__all__ = ["ChangeMarks", "write_revision"]


def write_revision(conn: Connection, org_id: str, kind: str) -> Any:
    """The revision a writing transaction stamps on the `kind` rows it writes. PostgreSQL: the
    transaction's own id, which takes no lock, so concurrent submissions never wait on each other
    for it (an expression evaluated in the writing statement: no extra round trip);
    `change_horizon` then tells readers which ids are surely finished. SQLite has one writer at a
    time: a counter in change_marks, advanced in the transaction. Also used by writers outside the
    store class (the theme-rules upgrade moves reviewers' tiers on ideas)."""
    if conn.dialect.name == "postgresql":
        return statements.TRANSACTION_ID
    return ChangeMarks._bump_mark(conn, org_id, kind, removal=False)


class ChangeMarks(StoreBase):
    """Stamps for marked writes, and the reads that follow them."""

    def _stamp(self, conn: Connection, org_id: str, kind: str) -> Any:
        """The revision this writing transaction stamps on the rows it writes (`write_revision`)."""
        return write_revision(conn, org_id, kind)

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

    def change_horizon(self, kind: str, org_id: str) -> tuple[int, int]:
        """(horizon, removals) for a reader about to read every `kind` record: every write stamped
        below the horizon is in what it reads next; `written_since(horizon)` later lists the
        writes it may have missed. `removals` counts deletes, so a grown value says some records
        are gone. Kinds whose writes are not stamped raise InputError."""
        marked_spec(kind)
        with self._reading() as conn:
            return self._horizon(conn, org_id, kind)

    def written_since(
        self, kind: str, org_id: str, horizon: int, names: Sequence[str]
    ) -> tuple[list[tuple[Any, ...]], tuple[int, int]]:
        """The columns `names` of the `kind` records written (added or changed) at or after
        `horizon`, sorted by key, and the (horizon, removals) to pass next time. A record may be
        listed again by the next call (a write still in flight is not yet past the horizon);
        deleted records are never listed: a grown `removals` says that some were."""
        table = marked_spec(kind).table
        query = column_query(kind, org_id, names).where(table.c.revision >= horizon)
        with self._reading() as conn:
            mark = self._horizon(conn, org_id, kind)  # first: what the rows read next surely hold
            return cast(list[tuple[Any, ...]], conn.execute(query).all()), mark
