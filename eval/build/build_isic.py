"""Build the ISIC Rev.5 development sets (corridor and cascade) from the classification's structure.

    python eval/build/build_isic.py RAW_JSON [OUT_DIR]

RAW_JSON: a JSON Schema whose "oneOf" entries each carry "@level" (0 section, 1 division, 2 group,
3 class), "@classId" and "#text" (the ISIC Rev.5 title), in the classification's order; such a file
is the ISIC process-category schema of the TIDAS SDK (see eval/sets/README.md). OUT_DIR defaults to
eval/sets/isic.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree import Node, Tree, cascade_case, corridor_cases, write_jsonl  # noqa: E402

SEED = 20261207


def read(path: str) -> Tree:
    entries = json.load(open(path, encoding="utf-8"))["oneOf"]
    nodes, section = [], None
    for e in entries:
        p = e["properties"]
        level, code, title = int(p["@level"]["const"]), p["@classId"]["const"], p["#text"]["const"].strip()
        if level == 0:
            section, parent = code, None
        elif level == 1:
            parent = section
        else:
            parent = code[:level]
        nodes.append(Node(code, title, level, parent))
    return Tree(nodes)


def main() -> None:
    tree = read(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1] / "sets" / "isic"
    # Corridor: the mission is a division; grade 2 = its groups and classes, 1 = groups and classes
    # of another division in the same section, 0 = those of another section.
    cases = corridor_cases(
        tree,
        mission_level=1,
        item_filter=lambda n: n.level >= 2,
        near_level=0,
        n_cases=40,
        seed=SEED,
        prefix="isic-",
    )
    write_jsonl(out / "corridor-isic-divisions.jsonl", cases)
    write_jsonl(
        out / "cascade-isic.jsonl",
        [
            cascade_case(tree, case_id="isic-classes-to-groups", parent_level=2, child_level=3, seed=SEED),
            cascade_case(tree, case_id="isic-groups-to-divisions", parent_level=1, child_level=2, seed=SEED),
        ],
    )


if __name__ == "__main__":
    main()
