"""Helpers shared by the corridor tests."""

from __future__ import annotations

from typing import Any


def state(org: Any) -> dict[str, Any]:
    """Everything a corridor action could change (vectors aside: a shared, content-addressed cache)."""
    store = org.store
    return {
        "ideas": store.rows("ideas", org.id),
        "verdicts": store.verdicts(org.id, latest_only=False),
        "missions": store.mission_versions(org.id),
        "audit": store.audit_events(org.id),
    }
