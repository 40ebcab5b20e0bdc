"""The audit log: one event per change, written in the same transaction as the change itself.

Because the event and the change commit together, the log can neither miss a change that happened
nor record one that was rolled back. Actions are spelled like the permission policy's
(``"goal.update"``), so the log and the policy speak the same language.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_PAGE", "list_events", "record_event"]

MAX_PAGE = 500


def record_event(
    store: Any,
    organisation_id: str,
    username: str,
    action: str,
    record_kind: str | None = None,
    record_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one event; call it inside the `store.transaction()` that makes the change."""
    store.record_event(organisation_id, username, action, record_kind, record_id, _jsonable(detail or {}))


def list_events(
    store: Any,
    organisation_id: str,
    *,
    record_kind: str | None = None,
    record_id: str | None = None,
    username: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The organisation's events, newest first, optionally filtered; at most MAX_PAGE of them."""
    limit = max(1, min(limit, MAX_PAGE))
    filtered = record_kind or record_id or username
    # Without filters the store can cut the page itself; with them, filter the newest MAX_PAGE * 10.
    events = store.audit_events(organisation_id, limit=limit if not filtered else MAX_PAGE * 10)
    events.reverse()
    picked = [
        e
        for e in events
        if (not record_kind or e.get("record_kind") == record_kind)
        and (not record_id or e.get("record_id") == record_id)
        and (not username or e.get("username") == username)
    ]
    return picked[:limit]


def _jsonable(value: Any) -> Any:
    """Detail values as JSON can hold them (dates and other objects become text)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
