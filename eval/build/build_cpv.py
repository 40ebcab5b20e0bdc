"""Build the CPV 2008 development sets (corridor and cascade) from the vocabulary's main codes.

    python eval/build/build_cpv.py RAW_XML [OUT_DIR]

RAW_XML: the CPV 2008 main vocabulary as records with a "code" field (the eight-digit code without
its check digit; leading zeros may be missing) and a "name" field (the English title), such as the
Odoo data file of the OCA product_code_cpv module (see eval/sets/README.md). OUT_DIR defaults to
eval/sets/cpv.

The CPV hierarchy is read from the code: the first two digits are the division, three the group,
four the class, five the category, and each further significant digit one level deeper.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree import Node, Tree, cascade_case, corridor_cases, write_jsonl  # noqa: E402

SEED = 20261207
RECORD = re.compile(
    r'<field name="code">\s*(\d+)\s*</field>\s*<field name="description">.*?</field>\s*'
    r'<field name="name">(.*?)</field>',
    re.S,
)


def significant(code: str) -> int:
    return max(2, len(code.rstrip("0")))


def read(path: str) -> Tree:
    titles = {}
    for code, name in RECORD.findall(open(path, encoding="utf-8").read()):
        code = code.zfill(8)
        if code.startswith("00"):  # not a CPV code (there is no division 00): a stray record
            continue
        titles[code] = html.unescape(name).strip()
    nodes = []
    for code in sorted(titles):
        depth = significant(code)
        parent = None
        for d in range(depth - 1, 1, -1):
            cand = code[:d].ljust(8, "0")
            if cand in titles and cand != code:
                parent = cand
                break
        # level: 0 division, 1 group, 2 class, 3 category, 4+ finer
        nodes.append(Node(code, titles[code], depth - 2, parent))
    return Tree(nodes)


def main() -> None:
    tree = read(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1] / "sets" / "cpv"
    # Corridor: the mission is a group (three digits); grade 2 = codes below it, 1 = codes below
    # another group of the same division, 0 = codes of another division.
    cases = corridor_cases(
        tree,
        mission_level=1,
        item_filter=lambda n: n.level >= 2,
        near_level=0,
        n_cases=40,
        seed=SEED,
        prefix="cpv-",
    )
    write_jsonl(out / "corridor-cpv-groups.jsonl", cases)
    write_jsonl(
        out / "cascade-cpv.jsonl",
        [
            cascade_case(tree, case_id="cpv-groups-to-divisions", parent_level=0, child_level=1, seed=SEED),
            cascade_case(
                tree,
                case_id="cpv-classes-to-groups",
                parent_level=1,
                child_level=2,
                seed=SEED,
                max_children=400,
            ),
        ],
    )


if __name__ == "__main__":
    main()
