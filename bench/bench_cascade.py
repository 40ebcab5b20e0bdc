"""The goal cascade at scale: checks over 10,000 goals in 500 units with vectors cached (target
< 10 s), and the manager view of a unit with 50 goals (target < 300 ms per page).

Usage:  python bench/bench_cascade.py [--goals 10000] [--units 500] [--embedder minilm|hashing]

A synthetic organisation is written to a fresh SQLite store: one company unit, divisions below
it, teams below those; company objectives, unit goals and key results with distinct texts and
parent links. The first check run embeds every goal (vectors land in the store's cache, not
timed as the target); the timed run uses a new engine on the same store, so every vector comes
from the cache and the checks themselves are measured. The manager view is then timed as a signed-
in strategist loading /goals/manager for the unit with the most goals (`--unit-goals`, 50 by default),
with the check results of the unchanged goals reused.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_triage_throughput import fresh_home, report  # noqa: E402

MISSION = (
    "We make reliable, energy-saving refrigerators for families across Europe, built to last and to be "
    "repaired, with refrigerants and materials that care for the planet."
)
VERBS = ["Cut", "Raise", "Halve", "Double", "Improve", "Reduce", "Extend", "Qualify", "Launch", "Measure"]
OBJECTS = [
    "compressor failures",
    "door seal leaks",
    "energy use of the cooling circuit",
    "warranty returns",
    "spare part delivery time",
    "first-pass yield at assembly",
    "foam insulation thickness",
    "repair manual coverage",
    "supplier audit findings",
    "dealer training hours",
    "fan motor power",
    "refrigerant charge",
    "noise of the cabinet",
    "service visit count",
    "recycled plastic share",
]
WHERE = [
    "in Germany",
    "in Poland",
    "in the Nordics",
    "in Italy",
    "in France",
    "at the Ostrava plant",
    "in the lab",
    "for built-in models",
    "for 60 cm models",
    "for freezers",
]
# Made-up code words make each goal's text its own, as real goals are (templated texts alone would
# all read as duplicates of each other and flood the checks with issues no real tree has).
SYLLABLES = [
    "al",
    "bor",
    "cen",
    "dra",
    "eth",
    "fal",
    "gor",
    "hin",
    "ilk",
    "jun",
    "kas",
    "lum",
    "mor",
    "nes",
    "ost",
    "pra",
    "qui",
    "ros",
    "sil",
    "tam",
    "ulm",
    "vor",
    "wen",
    "yar",
    "zed",
]


def code_word(n: int) -> str:
    """A distinct pronounceable word for every n (three syllables: 15,625 of them)."""
    a, b, c = n % 25, (n // 25) % 25, (n // 625) % 25
    return (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c]).capitalize()


PASSWORD = "bench-password"
SECRET = "b7Xq-2mVt9LpZr4KwYs8NcH1dFg6JaE3uQo5iTe0"


def build(repo, org: str, goals: int, units: int, seed: int = 7, unit_goals: int = 50) -> str:  # noqa: ANN001
    """Write the organisation; returns the id of the unit with the most goals, which is given
    `unit_goals` goals (more goals of other teams moved into it) when it has fewer."""
    from hoshin.store import hash_password

    rng = random.Random(seed)
    repo.create_organisation(org, "Bench Appliances")
    divisions = max(1, units // 25)
    unit_rows = [{"id": "U-CO", "name": "Company", "parent_id": None}]
    unit_rows += [{"id": f"U-D{d}", "name": f"Division {d}", "parent_id": "U-CO"} for d in range(divisions)]
    teams = [f"U-T{t}" for t in range(max(0, units - 1 - divisions))]
    unit_rows += [
        {"id": t, "name": f"Team {t}", "parent_id": f"U-D{n % divisions}"} for n, t in enumerate(teams)
    ]
    repo.upsert("units", org, unit_rows)
    owners = teams or [u["id"] for u in unit_rows]
    n_top = max(1, goals // 200)
    n_mid = max(1, (goals - n_top) * 2 // 5)
    n_kr = max(0, goals - n_top - n_mid)
    rows = []
    for i in range(n_top):
        rows.append(
            {
                "id": f"C{i}",
                "text": f"{VERBS[i % 10]} {OBJECTS[i % 15]} across Europe by {20 + i}% ({code_word(i)})",
                "unit_id": "U-CO",
                "level": 1,
                "start": 0,
                "target": 100,
                "current": rng.randint(0, 100),
            }
        )
    for i in range(n_mid):
        unit = owners[i % len(owners)]
        rows.append(
            {
                "id": f"M{i}",
                "text": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(WHERE)} "
                f"via {words(i + 1000)}",
                "unit_id": unit,
                "level": 2,
                "parent_ids": [f"C{rng.randrange(n_top)}"],
            }
        )
    for i in range(n_kr):
        parent = rng.randrange(n_mid)
        rows.append(
            {
                "id": f"K{i}",
                "text": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} to {rng.randint(1, 999)} "
                f"in {words(i + 6000)}",
                "unit_id": rows[n_top + parent]["unit_id"],
                "level": 3,
                "parent_ids": [f"M{parent}"],
                "start": 0,
                "target": 10,
                "current": rng.randint(0, 12),
            }
        )
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["unit_id"]] = counts.get(r["unit_id"], 0) + 1
    busiest = max((u for u in counts if u != "U-CO"), key=lambda u: counts[u], default="U-CO")
    # The manager-view target is for a unit of 50 goals: top the busiest team up with key results
    # of other teams (a key result may sit in another unit than its parent goal).
    for r in rows:
        if counts[busiest] >= unit_goals:
            break
        if r["level"] == 3 and r["unit_id"] != busiest:
            counts[r["unit_id"]] -= 1
            r["unit_id"] = busiest
            counts[busiest] += 1
    repo.upsert("goals", org, rows)
    repo.upsert(
        "users",
        org,
        [
            {
                "username": "bench-strategist",
                "role": "strategist",
                "password_hash": hash_password(PASSWORD),
                "active": True,
            }
        ],
    )
    repo.add_mission_version(org, MISSION, created_by="bench")
    return busiest


def words(n: int) -> str:
    """Four code words, different for every n, so that goals built on one template still differ."""
    return " ".join(code_word(k * 3907 + n * (2 * k + 1)) for k in range(4))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goals", type=int, default=10_000, help="how many goals (default 10000)")
    parser.add_argument("--units", type=int, default=500, help="how many units (default 500)")
    parser.add_argument("--pages", type=int, default=10, help="manager-view page loads to time (default 10)")
    parser.add_argument(
        "--unit-goals",
        type=int,
        default=50,
        help="goals of the unit whose manager view is timed (default 50)",
    )
    parser.add_argument("--embedder", default=None, help="minilm or hashing (default: HOSHIN_EMBEDDER)")
    args = parser.parse_args(argv)
    if args.goals < 10 or args.units < 3 or args.pages < 1:
        parser.error("use at least 10 goals, 3 units and 1 page load")
    if args.embedder:
        os.environ["HOSHIN_EMBEDDER"] = args.embedder

    from fastapi.testclient import TestClient

    from hoshin.app import create_app
    from hoshin.service import goals as service
    from hoshin.service.corridor import store_aligner
    from hoshin.service.verdict_reasons import open_store

    home = fresh_home("hoshin-bench-cascade-")
    url = f"sqlite:///{home / 'bench.sqlite3'}"
    repo = open_store(url)
    org = "bench"
    unit = build(repo, org, args.goals, args.units, unit_goals=args.unit_goals)
    unit_goals = sum(1 for g in repo.rows("goals", org) if g.get("unit_id") == unit)

    started = time.perf_counter()
    service.run_checks(repo, org, store_aligner(repo))
    first_s = time.perf_counter() - started
    aligner = store_aligner(repo)  # a new engine: vectors come from the store's cache only
    started = time.perf_counter()
    report_ = service.run_checks(repo, org, aligner, refresh=True)
    checks_s = time.perf_counter() - started
    misses = getattr(aligner.embedder, "misses", None)
    flagged = sum(1 for found in report_.issues.values() if found)

    app = create_app(url, secret=SECRET)
    client = TestClient(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "bench-strategist", "password": PASSWORD, "csrf_token": token})
    app.state.aligner = aligner  # the app's engine, as after its first request
    first_page = client.get(f"/goals/manager?unit={unit}")
    assert first_page.status_code == 200, first_page.text[:500]
    times = []
    for _ in range(args.pages):
        started = time.perf_counter()
        page = client.get(f"/goals/manager?unit={unit}")
        times.append(time.perf_counter() - started)
        assert page.status_code == 200
    page_ms = statistics.median(times) * 1000

    print(f"backend: {aligner.embedder.model_id}; {args.goals} goals in {args.units} units")
    print(f"first check run (embeds every goal) {first_s:8.2f} s")
    print(f"checks with vectors cached          {checks_s:8.2f} s  ({misses} texts embedded; target < 10 s)")
    print(f"goals with issues                   {flagged:8d}")
    print(f"manager view of {unit} ({unit_goals} goals) {page_ms:8.1f} ms median of {args.pages}", end="")
    print(" (target < 300 ms)")
    report(
        {
            "goals": args.goals,
            "units": args.units,
            "backend": aligner.embedder.model_id,
            "first_s": round(first_s, 3),
            "checks_s": round(checks_s, 3),
            "cached_misses": misses,
            "flagged": flagged,
            "unit_goals": unit_goals,
            "manager_ms": round(page_ms, 1),
        }
    )
    repo.close()


if __name__ == "__main__":
    main()
