"""Storing a whole re-score as one batch, and retiring the batches it replaces (covering, pruning).

See store/verdict_batches.py for the rules: newest-verdict reads skip covered batches, and past
HOSHIN_VERDICT_HISTORY batches per organisation and kind a batch keeps only its summary.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from hoshin.errors import InputError
from hoshin.store import schema
from hoshin.store.base import chunks, now_iso
from hoshin.store.engine import inserted_id
from hoshin.store.verdict_batches import VerdictBatch
from hoshin.store.verdict_batches import encode as encode_batch
from hoshin.store.verdict_batches import summarise as summarise_batch
from hoshin.store.verdicts import StoredBatch, Verdicts, batch_places

__all__ = ["VerdictRetention"]


class VerdictRetention(Verdicts):
    """Save a re-score's batch; mark covered and prune older batches; tell each batch's history."""

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
            batch_id = inserted_id(inserted)
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
        places = batch_places(stamps)
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
        for chunk in chunks(sorted(set(ids))):
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
        reasons = self._writer_of_reasons()
        texts = self._texts_by_id(conn, org_id, record_kind, [old.record_ids[i] for i in wanted])
        stored = StoredBatch(
            stamp.id, record_kind, stamp.mission_version, stamp.model_id, stamp.created_at, place, old
        )
        rows = []
        for i in wanted:
            row = stored.row(org_id, i, texts.get(old.record_ids[i], ""), reasons)
            del row["id"]
            rows.append(row)
        conn.execute(insert(t), rows)

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
