"""Verdicts: stored one per row (`save_verdicts`) or a whole re-score per batch (store/verdict_batches.py),
read back as one history in the order they were stored.

A batch sits among the verdict rows right after the row that was the newest when it was stored
(its `after_verdict`), so "the newest verdict of a record" means the same whichever way it was
stored. Keeping and pruning batches is store/verdict_retention.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, select

from hoshin.errors import ConfigError
from hoshin.store import schema, statements
from hoshin.store.base import chunks, now_iso
from hoshin.store.kinds import NO_KIND
from hoshin.store.organisations import Organisations
from hoshin.store.verdict_batches import TIER_CODES, BatchReasons, VerdictBatch
from hoshin.store.verdict_batches import decode as decode_batch

__all__ = ["VERDICT_TEXTS", "StoredBatch", "Verdicts", "batch_places", "in_verdict_order"]


class Verdicts(Organisations):
    """Store verdict rows; read the newest or every verdict, rows and batches merged."""

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
            rows = [self._record(NO_KIND, r._mapping, False) for r in conn.execute(query.order_by(t.c.id))]
            kinds = None if record_kind is None else [record_kind]
            batches = self._verdict_batches(conn, org_id, kinds, newest_only=latest_only)
            texts = self._texts_of(conn, org_id, {b.record_kind for b in batches})
        if not batches:
            found = rows
        else:
            found = []
            for source in in_verdict_order(rows, batches, key=lambda r: r["id"]):
                if isinstance(source, StoredBatch):
                    found.extend(
                        source.rows(org_id, texts.get(source.record_kind, {}), self._writer_of_reasons())
                    )
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
            for chunk in chunks(wanted):
                query = select(t).where(
                    t.c.organisation_id == org_id, t.c.record_kind == record_kind, t.c.record_id.in_(chunk)
                )
                for r in conn.execute(query.order_by(t.c.id)):
                    newest_rows[r.record_id] = self._record(NO_KIND, r._mapping, False)
            in_batches = self._newest_in_batches(conn, org_id, record_kind, wanted, newest_rows)
            texts = self._texts_by_id(conn, org_id, record_kind, list(in_batches)) if in_batches else {}
        found: dict[str, dict[str, Any]] = {}
        for record_id in wanted:
            if record_id in in_batches:
                stored, i = in_batches[record_id]
                found[record_id] = stored.row(org_id, i, texts.get(record_id, ""), self._writer_of_reasons())
            elif record_id in newest_rows:
                found[record_id] = newest_rows[record_id]
        return found

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
        for source in in_verdict_order(rows, batches):
            if isinstance(source, StoredBatch):
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
        for source in in_verdict_order(rows, batches):
            if isinstance(source, StoredBatch):
                batch = source.batch
                tiers = [TIER_CODES[c] for c in batch.tier.tolist()]
                themes = [batch.row_names[r] for r in batch.row.tolist()]
                found.update(zip(batch.record_ids, zip(batch.score.tolist(), tiers, themes, strict=True)))
            else:
                _, record_id, score, tier, theme = source
                found[record_id] = (score, tier, theme)
        return found

    def _newest_in_batches(
        self,
        conn: Connection,
        org_id: str,
        record_kind: str,
        wanted: list[str],
        newest_rows: dict[str, dict[str, Any]],
    ) -> dict[str, tuple[StoredBatch, int]]:
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
        places = batch_places(stamps)
        undecided = set(wanted)
        found: dict[str, tuple[StoredBatch, int]] = {}
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
            stored = StoredBatch(batch_id, record_kind, version, model_id, created_at, after, batch)
            for record_id in list(undecided):
                i = batch.position(record_id)
                if i is not None:
                    found[record_id] = (stored, i)
                    undecided.discard(record_id)
        return found

    def _verdict_batches(
        self, conn: Connection, org_id: str, record_kinds: Sequence[str] | None, newest_only: bool = False
    ) -> list[StoredBatch]:
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
        for stamp, place in zip(stamps, batch_places(stamps), strict=True):
            if stamp.pruned_at is not None or (newest_only and stamp.covered):
                continue

            batch = self._decoded_batch(conn, org_id, stamp.id, stamp.created_at)
            found.append(
                StoredBatch(
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

    def _writer_of_reasons(self) -> BatchReasons:
        """The sentence writer this store was opened with (for verdicts stored in batches)."""
        if self._reasons is None:
            raise ConfigError(
                "this store was opened without a writer of verdict sentences, and verdicts stored in "
                "batches have none: open it with hoshin.service.verdict_reasons.open_store"
            )
        return self._reasons

    def _decoded_batch(
        self, conn: Connection, org_id: str, batch_id: int, created_at: str, keep: bool = True
    ) -> VerdictBatch:
        """Stored batch `batch_id`, decoded: from the decoded batches kept in the process when it is
        there, else read and decoded (and kept, unless keep=False: a batch looked at once)."""
        b = schema.verdict_batches

        def payload() -> bytes:
            return cast(bytes, conn.execute(select(b.c.payload).where(b.c.id == batch_id)).scalar_one())

        return decode_batch((self.url, org_id, batch_id, created_at), payload, keep=keep)

    @staticmethod
    def _texts_by_id(conn: Connection, org_id: str, record_kind: str, ids: list[str]) -> dict[str, str]:
        """id -> text of those records of a kind whose batch verdicts need their sentences."""
        table = VERDICT_TEXTS.get(record_kind)
        out: dict[str, str] = {}
        if table is not None:
            for chunk in chunks(sorted(ids)):
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
            table = VERDICT_TEXTS.get(kind)
            if table is not None:
                query = select(table.c.id, table.c.text).where(table.c.organisation_id == org_id)
                out[kind] = dict(conn.execute(query).all())
        return out


# Record kinds whose verdicts may come in batches -> the table holding their texts.
VERDICT_TEXTS: dict[str, Table] = {"idea": schema.ideas}


@dataclass(frozen=True)
class StoredBatch:
    id: int
    record_kind: str
    mission_version: int | None
    model_id: str
    created_at: str
    after_verdict: int
    batch: VerdictBatch

    def row(self, org_id: str, i: int, text: str, reasons: BatchReasons) -> dict[str, Any]:
        """Verdict i as `rows` gives it, its sentence written for `text` by `reasons`."""
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
            "why": batch.why(i, text, reasons),
            "model_id": self.model_id,
            "created_at": self.created_at,
            "decided_by_example": batch.decided_by_example(i),
            "example_id": batch.example_id(i),
        }

    def rows(self, org_id: str, texts: dict[str, str], reasons: BatchReasons) -> Iterator[dict[str, Any]]:
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
                "why": batch.why(i, texts.get(record_id, ""), reasons),
                "model_id": self.model_id,
                "created_at": self.created_at,
                "decided_by_example": batch.decided_by_example(i),
                "example_id": batch.example_id(i),
            }


def batch_places(stamps: Sequence[Any]) -> list[int]:
    """Where each batch (rows with `after_verdict`, oldest first) stands among the verdict rows, as
    `_in_verdict_order` places it: after the newest row of its time, never before an older batch."""
    places, highest = [], 0
    for stamp in stamps:
        highest = max(highest, stamp.after_verdict)
        places.append(highest)
    return places


def in_verdict_order(rows: Sequence[Any], batches: Sequence[StoredBatch], key: Any = None) -> Iterator[Any]:
    """Verdict rows (ordered by id) and batches merged into the order they were stored in: a batch
    comes right after the verdict row that was the newest when it was written."""
    position = key or (lambda r: r[0])
    pending = list(batches)
    for row in rows:
        while pending and pending[0].after_verdict < position(row):
            yield pending.pop(0)
        yield row
    yield from pending


def _example_id(value: object) -> str | None:
    """The labelled idea a stored verdict names (a backup may hold anything there: only an id)."""
    return value if isinstance(value, str) and 0 < len(value) <= schema.ID else None
