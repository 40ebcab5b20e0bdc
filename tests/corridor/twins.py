"""Ideas the duplicate tests add to the shared `org` (hashing embedder: cosine = shared words)."""

from __future__ import annotations

from typing import Any

TWIN = "Solar panels on the factory roof to power the foaming line and the assembly hall"
TWINS = [
    {"id": "I-3", "text": TWIN, "unit_id": "U-RD", "tags": ["solar"], "links": ["G-RD"]},
    {
        "id": "I-4",
        "text": "Put solar panels on the factory roof to power the foaming line and the assembly hall",
        "unit_id": "U-RD-LAB",
        "tags": ["energy", "solar"],
        "links": ["G-1"],
    },
]


def add_twins(org: Any) -> None:
    org.store.upsert("ideas", org.id, [dict(i) for i in TWINS])


def state(org: Any) -> dict[str, Any]:
    store = org.store
    return {
        "ideas": store.rows("ideas", org.id),
        "verdicts": store.verdicts(org.id, latest_only=False),
        "audit": store.audit_events(org.id),
    }
