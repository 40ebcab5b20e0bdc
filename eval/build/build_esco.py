"""Build the ESCO v1.1.1 development sets (knowledge ranking and parent linking).

    python eval/build/build_esco.py RAW_DIR [OUT_DIR]

RAW_DIR holds the English CSV files of the official ESCO v1.1.1 download: occupations_en.csv,
skills_en.csv, ISCOGroups_en.csv (the "classification - en - csv" archive) and
occupationSkillRelations.csv (the relations archive). OUT_DIR defaults to eval/sets/esco.

knowledge-esco.jsonl: for 100 occupations (title and description as the mission), 36 ESCO
knowledge concepts to rank. Importance 3 = an essential knowledge link of the occupation, 2 = an
optional link, 1 = a knowledge concept that no occupation of the same ISCO unit group links to (half
drawn from concepts used in the same ISCO major group, half from all others). With gain =
importance - 1 this gives gains 2 / 1 / 0.

cascade-esco.jsonl: occupations (titles) to their ISCO-08 unit group, and ISCO-08 unit groups to
their minor group (titles only).
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree import Node, Tree, cascade_case, write_jsonl  # noqa: E402

SEED = 20261207
N_CASES = 100
N_AREAS = 36
MAX_ESSENTIAL = 10
MAX_OPTIONAL = 8


def rows(folder: Path, name: str) -> list[dict]:
    with open(folder / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def short(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def knowledge_cases(folder: Path, rng: random.Random) -> list[dict]:
    occupations = {
        o["conceptUri"]: o for o in rows(folder, "occupations_en.csv") if o["status"] == "released"
    }
    concepts = {
        s["conceptUri"]: s
        for s in rows(folder, "skills_en.csv")
        if s["skillType"] == "knowledge" and s["status"] == "released" and s["description"].strip()
    }
    links: dict[str, dict[str, str]] = defaultdict(dict)  # occupation -> concept -> essential/optional
    for r in rows(folder, "occupationSkillRelations.csv"):
        if r["occupationUri"] in occupations and r["skillUri"] in concepts:
            links[r["occupationUri"]][r["skillUri"]] = r["relationType"]
    by_unit: dict[str, set[str]] = defaultdict(set)
    by_major: dict[str, set[str]] = defaultdict(set)
    for occ, linked in links.items():
        isco = occupations[occ]["iscoGroup"]
        by_unit[isco].update(linked)
        by_major[isco[:1]].update(linked)
    used = sorted(set().union(*by_unit.values()))

    eligible = []
    for occ in sorted(links):
        kinds = list(links[occ].values())
        if kinds.count("essential") >= 4 and kinds.count("optional") >= 2:
            eligible.append(occ)
    chosen = sorted(rng.sample(eligible, N_CASES), key=lambda u: occupations[u]["code"])

    cases = []
    for occ in chosen:
        o = occupations[occ]
        linked = links[occ]
        essential = sorted(c for c, k in linked.items() if k == "essential")
        optional = sorted(c for c, k in linked.items() if k == "optional")
        essential = rng.sample(essential, min(MAX_ESSENTIAL, len(essential)))
        optional = rng.sample(optional, min(MAX_OPTIONAL, len(optional)))
        banned = by_unit[o["iscoGroup"]]
        near = sorted(by_major[o["iscoGroup"][:1]] - banned)
        far = sorted(set(used) - banned - set(near))
        n_neg = N_AREAS - len(essential) - len(optional)
        negatives = rng.sample(near, min(len(near), n_neg // 2))
        negatives += rng.sample(far, n_neg - len(negatives))
        importance = {c: 3.0 for c in essential} | {c: 2.0 for c in optional} | {c: 1.0 for c in negatives}
        order = sorted(importance)
        rng.shuffle(order)
        label = o["preferredLabel"].strip()
        cases.append(
            {
                "id": f"esco-{o['code']}",
                "mission": f"{label[:1].upper()}{label[1:]}: {' '.join(o['description'].split())}",
                "areas": [
                    {
                        "id": short(c),
                        "name": concepts[c]["preferredLabel"].strip(),
                        "description": " ".join(concepts[c]["description"].split()),
                    }
                    for c in order
                ],
                "importance": {short(c): importance[c] for c in order},
            }
        )
    return cases


def isco_tree(folder: Path) -> Tree:
    nodes = []
    for g in rows(folder, "ISCOGroups_en.csv"):
        code = g["code"].strip()
        nodes.append(Node(code, g["preferredLabel"].strip(), len(code) - 1, code[:-1] or None))
    codes = {n.code for n in nodes}
    for o in rows(folder, "occupations_en.csv"):
        if o["status"] == "released" and o["iscoGroup"] in codes and len(o["iscoGroup"]) == 4:
            nodes.append(Node("occ-" + o["code"], o["preferredLabel"].strip(), 4, o["iscoGroup"]))
    return Tree(nodes)


def main() -> None:
    folder = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1] / "sets" / "esco"
    write_jsonl(out / "knowledge-esco.jsonl", knowledge_cases(folder, random.Random(SEED)))
    tree = isco_tree(folder)
    write_jsonl(
        out / "cascade-esco-isco.jsonl",
        [
            cascade_case(
                tree,
                case_id="esco-occupations-to-isco-unit-groups",
                parent_level=3,
                child_level=4,
                seed=SEED,
                max_children=400,
            ),
            cascade_case(
                tree, case_id="isco-unit-groups-to-minor-groups", parent_level=2, child_level=3, seed=SEED
            ),
        ],
    )


if __name__ == "__main__":
    main()
