"""Importing ideas end to end (parse, embed, score, store) against the raw model (target ≥ 0.8 x raw).

Usage:  python bench/bench_import.py [--n 2000] [--embedder minilm|hashing] [--path cli|jobs|both]
        python bench/bench_import.py --n 100000        # the issue's full size (hours with MiniLM here)

In one run, over the same `--n` distinct idea texts (idea_texts from bench_triage_throughput.py):

1. raw     the embedding backend alone, `create_embedder().embed(texts)`, model load excluded
2. cli     the whole `hoshin import ideas FILE` process on a CSV of the ideas, into a fresh SQLite
           database holding the demo organisation (so there is a mission and every idea is scored):
           interpreter start, model load, reading and checking the rows, one write, embedding,
           scoring and storing one verdict per idea
3. jobs    the same through `hoshin jobs import ideas FILE` (inline, no queue), into its own fresh
           demo database

Each gets a rate in ideas/s and a ratio to raw, by wall time and by CPU time (which other users'
load on the shared cores distorts less). After each import it opens the database and checks that
every idea is stored and has a verdict. The last line, RESULT {...}, is for bench/run_all.py.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_triage_throughput import hoshin_executable, idea_texts, report, scratch_dir  # noqa: E402

TARGET_RATIO = 0.8


def write_csv(path: Path, texts: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "source"])
        writer.writerows([f"bench-{n}", text, "employee"] for n, text in enumerate(texts))


def run_hoshin(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system of the child) of one hoshin process, and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([hoshin_executable(), *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(
            f"hoshin {' '.join(args[:3])} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu, done.stderr + done.stdout


def scored_count(url: str, n: int) -> tuple[int, int]:
    """(stored bench ideas, bench ideas with a verdict) in the database."""
    from hoshin.service.verdict_reasons import open_store

    store = open_store(url)
    try:
        org = store.default_organisation()
        ideas = {key for key in store.keys("ideas", org) if key.startswith("bench-")}
        verdicts = {v["record_id"] for v in store.verdicts(org, "idea")} & ideas
    finally:
        if hasattr(store, "close"):
            store.close()
    return len(ideas), len(verdicts)


def time_import(path_kind: str, source: Path, work: Path, env: dict[str, str], n: int) -> dict[str, float]:
    """Load the demo into a fresh database, then time one import of `source` into it."""
    url = f"sqlite:///{work / f'{path_kind}.sqlite3'}"
    run_hoshin(["demo", "--db", url], env)  # not timed: it gives the import a mission to score against
    command = ["import", "ideas", str(source), "--db", url]
    if path_kind == "jobs":
        command = ["jobs", *command]
    wall, cpu, output = run_hoshin(command, env)
    stored, scored = scored_count(url, n)
    if stored != n or scored != n:
        raise SystemExit(f"{path_kind}: {stored} of {n} ideas stored, {scored} scored\n{output[-1000:]}")
    return {"wall": wall, "cpu": cpu}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=2000, help="how many ideas (default 2000; the issue says 100000)"
    )
    parser.add_argument(
        "--embedder", default=None, help="minilm or hashing (default: HOSHIN_EMBEDDER or minilm)"
    )
    parser.add_argument(
        "--path", choices=["cli", "jobs", "both"], default="both", help="which import to time"
    )
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")

    from hoshin.embedding import create_embedder

    backend = (args.embedder or os.environ.get("HOSHIN_EMBEDDER") or "minilm").lower()
    work = scratch_dir("hoshin-bench-import-")
    env = dict(os.environ, HOSHIN_HOME=str(work / "home"), HOSHIN_EMBEDDER=backend)
    os.environ["HOSHIN_HOME"] = env["HOSHIN_HOME"]  # the raw model's cache folder, if it keeps one
    texts = idea_texts(args.n)
    source = work / "ideas.csv"
    write_csv(source, texts)

    inner = create_embedder(backend)
    inner.embed(["warm up the model"])  # loading is not what raw measures
    started, cpu = time.perf_counter(), time.process_time()
    inner.embed(texts)
    raw = {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    raw_rate = args.n / raw["wall"]

    timings = {"raw": raw}
    for kind in ("cli", "jobs") if args.path == "both" else (args.path,):
        timings[kind] = time_import(kind, source, work, env, args.n)

    print(f"backend {inner.model_id}, {args.n} ideas, CSV {source.stat().st_size / 1024:.0f} KiB")
    print(f"{'':22} {'wall':>9}  {'rate':>15}  {'ratio':>6}  {'CPU':>9}  {'CPU ratio':>9}")
    result: dict[str, object] = {"n": args.n, "backend": inner.model_id, "target_ratio": TARGET_RATIO}
    labels = {"raw": "raw model", "cli": "hoshin import", "jobs": "hoshin jobs import"}
    for name, t in timings.items():
        rate = args.n / t["wall"]
        ratio, cpu_ratio = raw["wall"] / t["wall"], raw["cpu"] / t["cpu"] if t["cpu"] else 0.0
        print(
            f"{labels[name]:22} {t['wall']:8.2f}s  {rate:9.1f} idea/s  {ratio:6.3f}  "
            f"{t['cpu']:8.2f}s  {cpu_ratio:9.3f}"
        )
        result[f"{name}_rate"] = round(rate, 2)
        if name != "raw":
            result[f"{name}_ratio"] = round(ratio, 3)
            result[f"{name}_cpu_ratio"] = round(cpu_ratio, 3)
    ratios = {name: raw["wall"] / t["wall"] for name, t in timings.items() if name != "raw"}
    best = max(ratios.values())
    verdict = "met" if best >= TARGET_RATIO else "MISSED"
    print(f"raw rate {raw_rate:.1f} ideas/s; the imports include process start and model load")
    print(f"target >= {TARGET_RATIO} x raw: {verdict} (best path {best:.2f}x)")
    result["met"] = verdict == "met"
    report(result)


if __name__ == "__main__":
    main()
