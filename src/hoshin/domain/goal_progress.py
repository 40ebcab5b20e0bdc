"""Goal progress and its roll-up through the goal tree (pure: numbers in, numbers out).

A goal's own progress is how far its metric has moved from `start` towards `target`, clipped to
0..1; a metric that should fall (target below start) counts the same way. A goal with sub-goals
takes the mean of its sub-goals' progress instead, so an objective reads what its key results
say rather than a number someone typed once. A goal that serves several parents counts fully
towards each of them. Goals with neither a usable metric nor measured sub-goals have no progress
(None), and they are left out of their parents' mean rather than counted as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Progress", "metric_progress", "roll_up"]


@dataclass(frozen=True)
class Progress:
    """`value` 0..1 or None; `source` says where it came from: metric, children or none."""

    value: float | None
    source: str
    measured_children: int = 0


def metric_progress(start: float | None, target: float | None, current: float | None) -> float | None:
    """Share of the way from start to target, 0..1; None when the metric cannot say."""
    if start is None or target is None or current is None:
        return None
    span = target - start
    if span == 0:
        # A target equal to the start is met as long as the value holds there (or beyond).
        return 1.0 if current == target else 0.0
    return min(1.0, max(0.0, (current - start) / span))


def roll_up(own: Mapping[str, float | None], parents: Mapping[str, Sequence[str]]) -> dict[str, Progress]:
    """Progress of every goal in `own` (goal id -> its metric progress or None).

    `parents` maps a goal id to the ids of the goals it serves; ids not in `own` are ignored.
    The tree is expected to be acyclic (the store refuses cycles); a cycle that slipped in anyway
    is cut where it is found rather than looping.
    """
    children: dict[str, list[str]] = {goal: [] for goal in own}
    for goal, above in parents.items():
        if goal not in own:
            continue
        for parent in dict.fromkeys(above):
            if parent in children and parent != goal:
                children[parent].append(goal)
    done: dict[str, Progress] = {}
    visiting: set[str] = set()

    def visit(goal: str) -> Progress:
        if goal in done:
            return done[goal]
        visiting.add(goal)
        values = []
        for child in children[goal]:
            if child in visiting:
                continue  # a cycle: ignore the back edge
            value = visit(child).value
            if value is not None:
                values.append(value)
        visiting.discard(goal)
        if values:
            result = Progress(sum(values) / len(values), "children", len(values))
        elif (metric := own[goal]) is not None:
            result = Progress(float(metric), "metric")
        else:
            result = Progress(None, "none")
        done[goal] = result
        return result

    # Iterative deepening would avoid Python's recursion limit on absurdly deep trees; goal trees
    # are three levels deep, so plain recursion is clear and sufficient.
    for goal in own:
        visit(goal)
    return done
