"""Found, missed and false alarms of `cascade check` on the demo organisation's goals.

Usage:  python eval/eval_cascade_checks.py [--embedder minilm|hashing] [--show]

The planted cases come from src/hoshin/data/demo/PLANTED.md (section "Goals"). A finding is a
(goal id, issue kind) pair; one for a goal and kind not planted counts as a false alarm. A weak
parent counts as found only when the suggestion names the parent PLANTED.md says it belongs under.
--show prints every issue with its detail.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib import resources

from hoshin.embedding import create_embedder
from hoshin.service.alignment import Aligner
from hoshin.service.cascade import check_goals

# Case names used in PLANTED.md -> the issue kind `cascade check` reports for them.
CASE_KINDS = {
    "off-mission goal": "off-mission",
    "duplicate goal pair": "duplicate",
    "conflict goal pair": "conflict",
    "orphan goal": "orphan",
    "weak parent goal": "weak-parent",
    "weak unit": "weak-unit",
}


def planted_cases() -> list[tuple[str, str, str]]:
    """(kind, id, note) for every planted goal case."""
    text = resources.files("hoshin.data").joinpath("demo/PLANTED.md").read_text("utf-8")
    section = text.split("## Goals", 1)[1].split("\n## ", 1)[0]
    out = []
    for line in section.splitlines():
        match = re.match(r"- \*\*(.+?)\*\*: (.+?) — (.*)", line.strip())
        if not match or match.group(1) not in CASE_KINDS:
            continue
        for goal_id in re.findall(r"`([^`]+)`", match.group(2)):
            out.append((CASE_KINDS[match.group(1)], goal_id, match.group(3)))
    return out


def demo_rows() -> tuple[dict, list[dict[str, str]]]:
    org = json.loads(resources.files("hoshin.data").joinpath("demo/organisation.json").read_text("utf-8"))
    rows = [
        {
            "id": g["id"],
            "text": g["text"],
            "level": str(g["level"]),
            "parent_id": ";".join(g["parent_ids"]),
            "unit": g["unit_id"],
        }
        for g in org["goals"]
    ]
    return org["mission"], rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=None, help="minilm (default) or hashing")
    parser.add_argument("--show", action="store_true", help="print every issue with its detail")
    args = parser.parse_args()
    mission, rows = demo_rows()
    aligner = Aligner(create_embedder(args.embedder))
    result = check_goals(aligner, mission["text"], rows, mission["focus_areas"], mission["exclusions"])
    summary = result[-1]
    reported = {(issue["kind"], row["id"]): issue["detail"] for row in result[:-1] for issue in row["issues"]}
    reported.update({("weak-unit", unit): "" for unit in summary["weak_units"]})

    found, missed = [], []
    for kind, goal_id, note in planted_cases():
        detail = reported.get((kind, goal_id))
        belongs = re.search(r"belongs under `([^`]+)`", note)
        ok = detail is not None and (kind != "weak-parent" or not belongs or belongs.group(1) in detail)
        (found if ok else missed).append((kind, goal_id))
    planted = {(k, g) for k, g, _ in planted_cases()}
    false_alarms = sorted(key for key in reported if key not in planted)

    print(f"{len(rows)} goals, {len(planted)} planted findings\n")
    for label, items in (("found", found), ("missed", missed), ("false alarms", false_alarms)):
        print(f"{label} ({len(items)}):")
        for kind, goal_id in items:
            print(f"  {kind:<12} {goal_id}")
    allowed = len(rows) // 20
    print(f"\nfalse alarms allowed: {allowed} (one per 20 goals)")
    print(f"uncovered themes: {summary['uncovered_themes']}")
    if args.show:
        print()
        for (kind, goal_id), detail in sorted(reported.items(), key=lambda kv: kv[0][1]):
            print(f"{goal_id:<10} {kind:<12} {detail}")
    return 0 if not missed and len(false_alarms) <= allowed else 1


if __name__ == "__main__":
    sys.exit(main())
