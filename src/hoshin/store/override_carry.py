"""Reviewers' tiers follow a mission version whose corridor is unchanged.

A reviewer's tier is tied to the mission version it was given under (ideas.override_version) and
teaches only that version: a new statement or corridor may make the tier wrong. A version that keeps
the statement, corridor and themes (a principle or brand-attribute edit, a part-of removal, themes
derived again by new rules) asks the same question of every idea, so the tiers given under the
version before go on teaching it.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, update

from hoshin.store import schema
from hoshin.store.change_marks import write_revision

__all__ = ["carry_overrides"]


def carry_overrides(conn: Connection, org_id: str, before: int, after: int) -> int:
    """Tie reviewers' tiers given under mission version `before` to `after`, inside the caller's
    transaction; returns how many. The ideas are stamped with a revision, as every write of ideas
    is, so kept indexes of ideas see the change."""
    ideas = schema.ideas
    where = (ideas.c.organisation_id == org_id) & (ideas.c.override_version == before)
    count = int(conn.execute(select(func.count()).select_from(ideas).where(where)).scalar_one())
    if count:
        revision = write_revision(conn, org_id, "ideas")
        conn.execute(update(ideas).where(where).values(override_version=after, revision=revision))
    return count
