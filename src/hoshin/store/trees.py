"""Parent links of the unit tree and the goal tree: reading them, and walking them (cycle detection,
subtree walks; these two are pure functions, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, select

from hoshin.errors import ConflictError
from hoshin.store import schema

__all__ = ["descendants", "find_cycle", "goal_parent_links", "refuse_cycle", "unit_parents"]


def unit_parents(conn: Connection, org_id: str) -> dict[str, list[str]]:
    """unit id -> [its parent] (or [] for a root), every unit of the organisation."""
    t = schema.units
    rows = conn.execute(select(t.c.id, t.c.parent_id).where(t.c.organisation_id == org_id))
    return {unit: [parent] if parent is not None else [] for unit, parent in rows}


def goal_parent_links(conn: Connection, org_id: str) -> dict[str, list[str]]:
    """goal id -> its parent ids, for every goal of the organisation that has a parent."""
    t = schema.goal_parents
    graph: dict[str, list[str]] = {}
    for goal, parent in conn.execute(select(t.c.goal_id, t.c.parent_id).where(t.c.organisation_id == org_id)):
        graph.setdefault(goal, []).append(parent)
    return graph


def refuse_cycle(what: str, parents: Mapping[str, Iterable[str]]) -> None:
    """ConflictError naming the cycle when the `what` (unit, goal) parents make one."""
    cycle = find_cycle(parents)
    if cycle:
        raise ConflictError(
            f"{what} parents would form a cycle: {' -> '.join(cycle)} (a {what} cannot sit below itself)"
        )


def find_cycle(parents: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in the graph child -> parents, as [a, b, ..., a], or None when there is none.

    Iterative depth-first search, so a ten-thousand-deep chain does not hit Python's recursion limit.
    """
    graph = {node: [p for p in ps if p is not None] for node, ps in parents.items()}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in sorted(graph):
        if state.get(start):
            continue
        path: list[str] = [start]
        stack = [iter(graph.get(start, ()))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            seen = state.get(step)
            if seen == 1:
                return path[path.index(step) :] + [step]
            if seen is None:
                state[step] = 1
                path.append(step)
                stack.append(iter(graph.get(step, ())))
    return None


def descendants(root: str, parents: Mapping[str, Iterable[str]]) -> list[str]:
    """`root` and everything below it (children, their children, ...), root first, each once."""
    children: dict[str, list[str]] = {}
    for child, ps in parents.items():
        for parent in ps:
            if parent is not None:
                children.setdefault(parent, []).append(child)
    found = [root]
    seen = {root}
    for node in found:  # grows while we walk: a breadth-first walk without a queue object
        for child in sorted(children.get(node, ())):
            if child not in seen:
                seen.add(child)
                found.append(child)
    return found
