"""Build the CPC services development sets (corridor and cascade) from the classification's structure.

    python eval/build/build_cpc.py RAW_JSON [OUT_DIR]

RAW_JSON: a JSON Schema whose "oneOf" entries each carry "@level" (0 section, 1 division, 2 group,
3 class, 4 subclass), "@classId" and "#text" (the CPC title); such a file is the product-category
schema of the TIDAS SDK (see eval/sets/README.md). Only the services sections 5 to 9 are used: the
goods sections of the CPC follow the Harmonized System, which this project keeps apart from its
yardsticks. OUT_DIR defaults to eval/sets/cpc.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree import Node, Tree, cascade_case, corridor_cases, write_jsonl  # noqa: E402

SEED = 20261207
SERVICE_SECTIONS = set("56789")


def read(path: str) -> Tree:
    entries = json.load(open(path, encoding="utf-8"))["oneOf"]
    nodes = {}
    for e in entries:
        p = e["properties"]
        level, code, title = int(p["@level"]["const"]), p["@classId"]["const"], p["#text"]["const"].strip()
        if code[0] not in SERVICE_SECTIONS or code in nodes:
            continue
        nodes[code] = Node(code, title, level, code[:level] if level else None)
    return Tree(nodes.values())


def main() -> None:
    tree = read(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1] / "sets" / "cpc"
    # Corridor: the mission is a group (three digits); grade 2 = its classes and subclasses,
    # 1 = classes and subclasses of another group in the same division, 0 = another division.
    cases = corridor_cases(
        tree,
        mission_level=2,
        item_filter=lambda n: n.level >= 3,
        near_level=1,
        n_cases=40,
        seed=SEED,
        prefix="cpc-",
    )
    write_jsonl(out / "corridor-cpc-services.jsonl", cases)
    write_jsonl(
        out / "cascade-cpc-services.jsonl",
        [
            cascade_case(
                tree,
                case_id="cpc-classes-to-groups",
                parent_level=2,
                child_level=3,
                seed=SEED,
                max_children=400,
            ),
        ],
    )


if __name__ == "__main__":
    main()
