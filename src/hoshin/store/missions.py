"""Mission versions: each change of an organisation's mission is a new numbered version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select

from hoshin.store import schema, statements
from hoshin.store.base import now_iso
from hoshin.store.kinds import NO_KIND
from hoshin.store.organisations import Organisations
from hoshin.store.override_carry import carry_overrides

__all__ = ["Missions"]


class Missions(Organisations):
    """Add and read mission versions."""

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
        theme_rules: int | None = None,
        removed_parts: Sequence[Any] = (),
    ) -> int:
        """Store a new mission version (it becomes the current one); returns its number.
        `theme_rules`: the generation of the theme rules that derived `themes`, THEMES_BY_HAND when
        people gave them, None when not known (domain.mission.THEME_RULES_VERSION).
        `removed_parts`: the part-of entries a strategist removed, `{code, removed_by, removed_at}`
        (service/part_of_removals.py)."""
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
                    theme_rules=theme_rules,
                    removed_parts=list(removed_parts),
                )
            )
        return version

    def carry_overrides(self, org_id: str, before: int, after: int) -> int:
        """Tie reviewers' tiers given under mission version `before` to `after` (a version that
        keeps the statement, corridor and themes); returns how many (store/override_carry.py)."""
        with self.transaction() as conn:
            return carry_overrides(conn, org_id, before, after)

    def mission(self, org_id: str, version: int | None = None) -> dict[str, Any] | None:
        """The current mission version (or the one asked for) as a dict; None when there is none."""
        t = schema.mission_versions
        if version is None:  # every scored request asks for this one
            query, values = statements.current_mission(), {"org_id": org_id}
        else:
            query, values = select(t).where(t.c.organisation_id == org_id, t.c.version == version), {}
        with self._reading() as conn:
            row = conn.execute(query, values).first()
        return None if row is None else _version(self._record(NO_KIND, row._mapping, False))

    def mission_versions(self, org_id: str) -> list[dict[str, Any]]:
        """Every mission version, oldest first."""
        t = schema.mission_versions
        with self._reading() as conn:
            result = conn.execute(select(t).where(t.c.organisation_id == org_id).order_by(t.c.version))
            return [_version(self._record(NO_KIND, r._mapping, False)) for r in result]


def _version(record: dict[str, Any]) -> dict[str, Any]:
    """A stored version as callers read it: one stored before migration 13 removed no entry."""
    if record.get("removed_parts") is None:
        record["removed_parts"] = []
    return record
