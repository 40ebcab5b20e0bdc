"""The hand-written acceptance cases: every one must pass."""

from __future__ import annotations

from typing import Any

from hoshin.service.alignment import Aligner
from hoshin.service.batch import rank_knowledge, triage

Result = tuple[str, bool, str]


def _corridor(aligner: Aligner, case: dict[str, Any]) -> list[Result]:
    rows, expect = [], {}
    for tier in ("core", "adjacent", "off"):
        for n, text in enumerate(case.get(tier, [])):
            rows.append({"id": f"{tier}{n}", "text": text})
            expect[f"{tier}{n}"] = tier
    out = {r["id"]: r for r in triage(aligner, case["mission"], rows)}
    results = []
    for rid, tier in expect.items():
        got = out[rid]["tier"]
        ok = got == tier if tier != "adjacent" else got != "core"
        results.append(
            (
                f"corridor [{case['mission'][:30]}] {tier}: {out[rid]['text'][:50]}",
                ok,
                f"got {got} ({out[rid]['score']})",
            )
        )
    return results


def _knowledge(aligner: Aligner, case: dict[str, Any]) -> list[Result]:
    needed, not_needed = case["needed"], case["not_needed"]
    rows = [{"id": f"n{i}", "name": t, "description": ""} for i, t in enumerate(needed)]
    rows += [{"id": f"x{i}", "name": t, "description": ""} for i, t in enumerate(not_needed)]
    out = rank_knowledge(aligner, case["mission"], rows)
    position = {r["id"]: i for i, r in enumerate(out)}
    worst_needed = max(position[f"n{i}"] for i in range(len(needed)))
    best_unneeded = min(position[f"x{i}"] for i in range(len(not_needed)))
    return [
        (
            f"knowledge [{case['mission'][:30]}] needed areas above unneeded",
            worst_needed < best_unneeded,
            f"order: {[r['name'] for r in out]}",
        )
    ]


def cascade_rows(case: dict[str, Any]) -> list[dict[str, str]]:
    """The acceptance cascade case's goals as the rows `cascade check` and `cascade link` read."""
    return [
        {
            "id": g["id"],
            "text": g["text"],
            "level": str(g["level"]),
            "parent_id": g.get("parent_hint", ""),
            "unit": g.get("unit", ""),
        }
        for g in case["goals"]
    ]


def _cascade(aligner: Aligner, case: dict[str, Any]) -> list[Result]:
    from hoshin.service.cascade import check_goals

    rows = cascade_rows(case)
    out = {
        r["id"]: {i["kind"] for i in r["issues"]}
        for r in check_goals(aligner, case["mission"], rows)
        if "issues" in r
    }
    results = []
    for goal in case["goals"]:
        if goal.get("expected"):
            ok = goal["expected"] in out[goal["id"]]
            results.append(
                (f"cascade {goal['id']} is {goal['expected']}", ok, f"got {sorted(out[goal['id']])}")
            )
        for key, kind in (("duplicate_of", "duplicate"), ("conflicts_with", "conflict")):
            if goal.get(key):
                ok = kind in out[goal["id"]] and kind in out[goal[key]]
                results.append(
                    (f"cascade {goal['id']}/{goal[key]} {kind}", ok, f"got {sorted(out[goal['id']])}")
                )
    return results


def _brand(aligner: Aligner, case: dict[str, Any]) -> list[Result]:
    from hoshin.service.texts import check_brand

    rows = [{"id": f"c{i}", "text": t} for i, t in enumerate(case["consistent"])]
    rows += [{"id": f"x{i}", "text": t} for i, t in enumerate(case["inconsistent"])]
    out = {r["id"]: r for r in check_brand(case["mission"], rows, aligner.embedder)}
    results = []
    for row in rows:
        got = out[row["id"]]["tier"]
        ok = got == "core" if row["id"].startswith("c") else got != "core"
        results.append(
            (
                f"brand {'consistent' if row['id'].startswith('c') else 'inconsistent'}: {row['text'][:40]}",
                ok,
                f"got {got}",
            )
        )
    return results


def _components(aligner: Aligner, cases: list[dict[str, Any]]) -> list[Result]:
    from hoshin.service.texts import analyze_missions

    rows = [{"id": str(i), "text": c["mission"]} for i, c in enumerate(cases)]
    out = {r["id"]: r["components"] for r in analyze_missions(rows, aligner.embedder)}
    results = []
    for i, case in enumerate(cases):
        found = {name for name, v in out[str(i)].items() if v["present"]}
        ok = set(case["present"]) <= found and not (set(case["absent"]) & found)
        results.append((f"mission components [{case['mission'][:30]}]", ok, f"found {sorted(found)}"))
    return results


def run_acceptance(aligner: Aligner, data: dict[str, Any]) -> list[Result]:
    results: list[Result] = []
    for case in data.get("corridor", []):
        results += _corridor(aligner, case)
    for case in data.get("knowledge", []):
        results += _knowledge(aligner, case)
    if "cascade" in data:
        results += _cascade(aligner, data["cascade"])
    if "brand" in data:
        results += _brand(aligner, data["brand"])
    if data.get("mission_components"):
        results += _components(aligner, data["mission_components"])
    return results
