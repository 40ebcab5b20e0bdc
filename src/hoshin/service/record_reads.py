"""Reading stored records for the REST routes and the pages, so no adapter talks to the store.

Each function takes the store and the organisation id, like every other service function, and
returns plain dicts; a record that does not exist raises NotFoundError (the store's own message).
Changes go through `service/editing.py`; what a user may see through `service/visibility.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hoshin.service.auth import Principal
from hoshin.service.visibility import sight_of

__all__ = [
    "by_ids",
    "keys",
    "organisation",
    "record",
    "rows",
    "unit_ids",
    "visible_rows",
]


def record(store: Any, org: str, kind: str, key: str) -> dict[str, Any]:
    """One stored record of `kind`; NotFoundError when there is none."""
    found: dict[str, Any] = store.get(kind, org, key)
    return found


def rows(store: Any, org: str, kind: str) -> list[dict[str, Any]]:
    """Every record of `kind`, in the store's order."""
    found: list[dict[str, Any]] = store.rows(kind, org)
    return found


def keys(store: Any, org: str, kind: str) -> list[str]:
    """The ids of every record of `kind`, sorted."""
    return sorted(store.keys(kind, org))


def by_ids(store: Any, org: str, kind: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The records of `kind` among `ids` that exist, by id."""
    wanted = list(ids)
    return store.by_ids(kind, org, wanted) if wanted else {}


def unit_ids(store: Any, org: str) -> list[str]:
    """The ids of the organisation's units (for the unit fields of forms)."""
    return [unit["id"] for unit in store.rows("units", org)]


def organisation(store: Any, org: str) -> dict[str, Any]:
    found: dict[str, Any] = store.organisation(org)
    return found


def visible_rows(store: Any, org: str, user: Principal, kind: str) -> list[dict[str, Any]]:
    """The records of `kind` that `user` may read (a unit manager: their units' goals, people and
    units), filtered before any paging so that pages stay full."""
    return sight_of(user).only(kind, store.rows(kind, org))
