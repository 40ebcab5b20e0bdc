"""The audit trail: who changed what, when, appended in the transaction of the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hoshin.store import schema, statements
from hoshin.store.base import StoreBase, now_iso
from hoshin.store.kinds import NO_KIND

__all__ = ["Audit"]


class Audit(StoreBase):
    """Append and read audit events."""

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
            events = [self._record(NO_KIND, r._mapping, False) for r in conn.execute(query)]
        for event in events:
            event.pop("id", None)
        return list(reversed(events))
