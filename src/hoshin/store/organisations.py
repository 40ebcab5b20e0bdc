"""Organisations: the tenants of one database; every record belongs to exactly one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from hoshin.errors import ConflictError, InputError, NotFoundError
from hoshin.store import schema
from hoshin.store.base import StoreBase, now_iso

__all__ = ["Organisations"]


class Organisations(StoreBase):
    """Create, read and delete organisations."""

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
