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


def run_acceptance(aligner: Aligner, data: dict[str, Any]) -> list[Result]:
    results: list[Result] = []
    for case in data.get("corridor", []):
        results += _corridor(aligner, case)
    for case in data.get("knowledge", []):
        results += _knowledge(aligner, case)
    return results
