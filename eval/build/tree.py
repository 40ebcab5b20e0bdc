"""Turn a coded hierarchy (code, title, parent) into corridor and cascade sets.

Used by the per-source build scripts in this folder. Everything is deterministic: inputs are
sorted by code and sampling uses a seeded random.Random, so the same raw file gives the same JSONL.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Node:
    code: str
    title: str
    level: int
    parent: str | None
    children: list[str] = field(default_factory=list)


class Tree:
    def __init__(self, nodes: Iterable[Node]) -> None:
        self.nodes: dict[str, Node] = {}
        for n in nodes:
            self.nodes[n.code] = n
        for n in sorted(self.nodes.values(), key=lambda n: n.code):
            if n.parent is not None:
                self.nodes[n.parent].children.append(n.code)

    def at(self, level: int) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.level == level), key=lambda n: n.code)

    def ancestor(self, code: str, level: int) -> str | None:
        n = self.nodes[code]
        while n.level > level and n.parent is not None:
            n = self.nodes[n.parent]
        return n.code if n.level == level else None

    def descendants(self, code: str) -> list[str]:
        out, stack = [], list(self.nodes[code].children)
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self.nodes[c].children)
        return sorted(out)


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def corridor_cases(
    tree: Tree,
    *,
    mission_level: int,
    item_filter: Callable[[Node], bool],
    near_level: int,
    n_cases: int,
    seed: int,
    n_core: int = 8,
    n_adjacent: int = 8,
    n_items: int = 40,
    min_core: int = 4,
    min_adjacent: int = 4,
    mission_filter: Callable[[Node], bool] = lambda n: True,
    prefix: str = "",
) -> list[dict]:
    """One case per sampled mission node.

    grade 2: items below the mission node; grade 1: items below the same ancestor at `near_level`
    but not below the mission node; grade 0: items below another ancestor at `near_level`.
    Items whose title equals the mission's title are left out (they would be a trivial match), and
    no title appears twice in a case.
    """
    rng = random.Random(seed)
    items = [n for n in sorted(tree.nodes.values(), key=lambda n: n.code) if item_filter(n)]
    by_near: dict[str, list[Node]] = {}
    for n in items:
        a = tree.ancestor(n.code, near_level)
        if a is not None:
            by_near.setdefault(a, []).append(n)
    candidates = []
    for m in tree.at(mission_level):
        if not mission_filter(m):
            continue
        near = tree.ancestor(m.code, near_level)
        below = set(tree.descendants(m.code))
        core = [n for n in by_near.get(near, []) if n.code in below and norm(n.title) != norm(m.title)]
        adjacent = [n for n in by_near.get(near, []) if n.code not in below and n.code != m.code]
        enough_core = len({norm(n.title) for n in core}) >= min_core
        if enough_core and len({norm(n.title) for n in adjacent}) >= min_adjacent:
            candidates.append((m, near, core, adjacent))
    rng.shuffle(candidates)
    cases = []
    for m, near, core, adjacent in sorted(candidates[:n_cases], key=lambda c: c[0].code):
        seen = {norm(m.title)}
        chosen: list[tuple[Node, int]] = []
        others = [n for a, ns in sorted(by_near.items()) if a != near for n in ns]
        for pool, k, grade in ((core, n_core, 2), (adjacent, n_adjacent, 1), (others, None, 0)):
            pool = list(pool)
            rng.shuffle(pool)
            want = n_items - len(chosen) if k is None else k
            taken = 0
            for n in pool:
                if taken >= want:
                    break
                if norm(n.title) in seen:
                    continue
                seen.add(norm(n.title))
                chosen.append((n, grade))
                taken += 1
        rng.shuffle(chosen)
        cases.append(
            {
                "id": f"{prefix}{m.code}",
                "mission": m.title,
                "items": [{"id": f"i{i}", "text": n.title, "grade": g} for i, (n, g) in enumerate(chosen)],
            }
        )
    return cases


def cascade_case(
    tree: Tree,
    *,
    case_id: str,
    parent_level: int,
    child_level: int,
    seed: int,
    max_children: int | None = None,
    keep: Callable[[Node], bool] = lambda n: True,
) -> dict:
    """Children at `child_level` to be linked to their ancestor at `parent_level`; all nodes at
    `parent_level` (under `keep`) are the candidate parents. A child whose title equals its
    parent's title is left out (trivial), and so is a child whose title repeats another child's."""
    rng = random.Random(seed)
    parents = [p for p in tree.at(parent_level) if keep(p)]
    pids = {p.code for p in parents}
    children, seen = [], set()
    for c in tree.at(child_level):
        a = tree.ancestor(c.code, parent_level)
        if a not in pids or norm(c.title) == norm(tree.nodes[a].title) or norm(c.title) in seen:
            continue
        seen.add(norm(c.title))
        children.append((c, a))
    if max_children is not None and len(children) > max_children:
        children = sorted(rng.sample(children, max_children), key=lambda x: x[0].code)
    return {
        "id": case_id,
        "parents": [{"id": p.code, "text": p.title} for p in parents],
        "children": [{"id": c.code, "text": c.title, "parent": a} for c, a in children],
    }


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {path} ({len(rows)} lines, {path.stat().st_size / 1024:.0f} KiB)")
