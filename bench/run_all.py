"""Run every Hoshin benchmark and print one summary table (`make bench`).

Usage:  python bench/run_all.py [--quick] [--embedder minilm|hashing]

Default sizes finish in under 10 minutes on 2 CPU cores with the real model; `--quick` shrinks
them to about a minute (seconds with `--embedder hashing`). Each benchmark runs in its own process
(so one's memory never counts against another's) and prints its full report; the table at the end
collects the numbers.
The throughput benchmark's full-size run (10,000 texts) is `bench/bench_triage_throughput.py` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (script, arguments at default size, arguments with --quick)
PLAN = [
    ("bench_cli_startup.py", ["--runs", "10"], ["--runs", "3"]),
    ("bench_triage_throughput.py", ["--n", "2000"], ["--n", "200"]),
    ("bench_cache.py", ["--n", "1000"], ["--n", "100"]),
    ("bench_triage_memory.py", ["--n", "100000"], ["--n", "2000"]),
    ("bench_triage_examples.py", ["--n", "10000"], ["--n", "300", "--repeat", "1"]),
    (
        "bench_triage_stream.py",
        ["--n", "20000", "--compare", "--precisions", "fp32,int8"],
        ["--n", "500", "--compare"],
    ),
    ("bench_mission_analysis.py", ["--count", "600"], ["--count", "20"]),
    ("bench_dashboard.py", [], ["--goals", "1000", "--units", "50", "--ideas", "500"]),
    ("bench_cascade.py", ["--goals", "10000"], ["--goals", "500", "--units", "30"]),
    ("bench_line_of_sight.py", ["--goals", "10000"], ["--goals", "1000"]),
    ("bench_corridor_scale.py", ["--n", "1000000"], ["--n", "20000"]),
    ("bench_rescore_app.py", ["--n", "1000000", "--skip-inbox"], ["--n", "20000"]),
    ("bench_knowledge_coverage.py", [], ["--people", "500", "--areas", "60"]),
    ("bench_load.py", ["--seconds", "20"], ["--clients", "10", "--seconds", "5"]),
    ("bench_import.py", ["--n", "2000"], ["--n", "200"]),
    ("bench_first_view.py", [], ["--pages", "/", "/knowledge", "/principles"]),
    ("bench_gpu_embedding.py", ["--n", "20000"], ["--n", "500"]),
]


def run_one(script: str, args: list[str], embedder: str | None) -> tuple[dict | None, int, float]:
    """Run one benchmark, echoing its output; returns its RESULT summary, exit code and wall seconds."""
    command = [sys.executable, str(HERE / script), *args]
    if embedder and script in (
        "bench_triage_throughput.py",
        "bench_cache.py",
        "bench_mission_analysis.py",
        "bench_load.py",
        "bench_import.py",
        "bench_triage_stream.py",
    ):
        command += ["--embedder", embedder]
    time_v = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    measure_outside = script == "bench_triage_memory.py" and time_v is not None
    if measure_outside:
        command = [time_v, "-v", *command]
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    result = None
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line)
    stderr = done.stderr
    if measure_outside:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
        if found and result is not None:
            result["time_v_peak_mib"] = round(int(found.group(1)) / 1024, 1)
            print(f"/usr/bin/time -v: maximum resident set size {result['time_v_peak_mib']} MiB")
        stderr = stderr.split("\tCommand being timed:")[0]
    if done.returncode != 0 and stderr.strip():
        print(stderr.strip()[-3000:])
    print(f"--- exit {done.returncode}, {elapsed:.1f} s", flush=True)
    return result, done.returncode, elapsed


def summary_rows(results: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    """(benchmark, measured, target, verdict) for the table."""
    rows = []
    startup = results.get("bench_cli_startup.py")
    if startup:
        measured = f"{startup['median_s']:.3f} s median (CPU {startup['cpu_median_s']:.3f} s)"
        fast = startup["median_s"] < startup["target_s"]
        rows.append(("hoshin --help start", measured, "< 0.5 s", "met" if fast else "MISSED"))
        rows.append(
            (
                "--help imports torch",
                "yes" if startup["imports_torch"] else "no",
                "no",
                "MISSED" if startup["heavy_imports"] else "met",
            )
        )
    tp = results.get("bench_triage_throughput.py")
    if tp:
        rows.append((f"raw model ({tp['n']} texts)", f"{tp['raw_rate']:.1f} texts/s", "-", "-"))
        measured = f"{tp['service_rate']:.1f}/s = {tp['service_ratio']:.2f}x"
        measured += f" (CPU {tp['service_cpu_ratio']:.2f}x)"
        rows.append(
            (
                "triage service / raw",
                measured,
                "≥ 0.9x",
                "met" if tp["service_ratio"] >= tp["target_ratio"] else "MISSED",
            )
        )
        if "cli_ratio" in tp:
            measured = f"{tp['cli_rate']:.1f}/s = {tp['cli_ratio']:.2f}x (CPU {tp['cli_cpu_ratio']:.2f}x)"
            rows.append(
                (
                    "triage CLI process / raw",
                    measured,
                    "≥ 0.9x",
                    "met" if tp["cli_ratio"] >= tp["target_ratio"] else "MISSED",
                )
            )
    cache = results.get("bench_cache.py")
    if cache:
        measured = f"{cache['second_misses']} misses; {cache['first_s']:.2f} s -> {cache['second_s']:.2f} s"
        ok = cache["second_misses"] == 0 and cache["same_verdicts"]
        rows.append((f"cache, 2nd run ({cache['n']} texts)", measured, "0 misses", "met" if ok else "MISSED"))
    memory = results.get("bench_triage_memory.py")
    if memory:
        peak = memory.get("time_v_peak_mib", memory["peak_mib"])
        rows.append(
            (
                f"memory, {memory['n']} texts ({memory['backend']})",
                f"peak {peak:.0f} MiB = baseline {memory['baseline_mib']:.0f} + vectors "
                f"{memory['vectors_mib']:.0f} + overhead {memory['overhead_mib']:.0f}",
                "report",
                f"overhead {memory['overhead_x_vectors']:.1f}x vectors",
            )
        )
    stream = results.get("bench_triage_stream.py")
    if stream:
        measured = (
            f"{stream['cli_rate']:.1f}/s = {stream['cli_ratio']:.2f}x raw "
            f"(CPU {stream['cli_cpu_ratio']:.2f}x), peak RSS {stream['peak_mib']:.0f} MiB"
        )
        if "identical_tiers" in stream:
            measured += f", {stream['identical_tiers']:.2%} tiers as one batch"
        ok = stream["peak_mib"] < stream["rss_limit_mib"]
        rows.append(
            (f"triage CLI, {stream['n']} rows streamed", measured, "RSS < 1.5 GB", "met" if ok else "MISSED")
        )
        for precision, each in stream.get("precisions", {}).items():
            rows.append(
                (
                    f"triage CLI, {stream['n']} rows, {precision}",
                    f"{each['cli_rate']:.1f}/s (raw {each['raw_rate']:.1f}/s), "
                    f"{each['cli_cpu_rate']:.0f} per CPU s, peak RSS {each['peak_mib']:.0f} MiB",
                    ">= 600/s (issue 26)",
                    "met" if each["cli_rate"] >= 600 else "not met",
                )
            )
    taught = results.get("bench_triage_examples.py")
    if taught:
        measured = (
            f"{taught['examples_s']:.1f} s vs {taught['plain_s']:.1f} s = {taught['ratio']:.2f}x "
            f"(CPU {taught['cpu_ratio']:.2f}x)"
        )
        verdict = "met" if taught["ratio"] < taught["target_ratio"] else "MISSED"
        rows.append(
            (f"triage with examples, {taught['n']} texts", measured, f"< {taught['target_ratio']}x", verdict)
        )
    rescore = results.get("bench_rescore_app.py")
    if rescore:
        first = rescore["first_pass"]["seconds"]
        measured = (
            f"{rescore['rescore_s']:.2f} s median after a corridor change "
            f"(first pass in a fresh process {first:.1f} s, {rescore['database']})"
        )
        rows.append(
            (
                f"in-app re-score of {rescore['n']:,} ideas",
                measured,
                "< 5 s for 1,000,000",
                "met" if rescore["rescore_ok"] else "MISSED",
            )
        )
    load = results.get("bench_load.py")
    if load:
        measured = (
            f"p95 {load['p95_ms']:.0f} ms, {load['errors']} errors, "
            f"{load['throughput']:.1f}/s ({load['clients']} clients, {load['database']})"
        )
        verdict = "met" if load["met"] else "MISSED"
        rows.append(("idea POST under load", measured, "p95 < 200 ms, 0 errors", verdict))
    imported = results.get("bench_import.py")
    if imported:
        for path, label in (("cli", "hoshin import"), ("jobs", "hoshin jobs import")):
            if f"{path}_ratio" in imported:
                measured = (
                    f"{imported[f'{path}_rate']:.1f}/s = {imported[f'{path}_ratio']:.2f}x "
                    f"(CPU {imported[f'{path}_cpu_ratio']:.2f}x)"
                )
                verdict = "met" if imported[f"{path}_ratio"] >= imported["target_ratio"] else "MISSED"
                rows.append((f"{label} ({imported['n']}) / raw", measured, "≥ 0.8x", verdict))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: about a minute")
    parser.add_argument("--embedder", default=None, help="minilm or hashing for the model benchmarks")
    parser.add_argument("--only", action="append", default=[], help="run only this script (repeatable)")
    args = parser.parse_args(argv)

    results: dict[str, dict] = {}
    failures: list[str] = []
    durations: list[tuple[str, float]] = []
    for script, full, quick in PLAN:
        if args.only and script not in args.only:
            continue
        if not (HERE / script).exists():
            print(f"\n=== {script}: not there, skipped")
            continue
        result, code, elapsed = run_one(script, quick if args.quick else full, args.embedder)
        durations.append((script, elapsed))
        if result is not None:
            results[script] = result
        if code != 0:
            failures.append(f"{script} (exit {code})")

    rows = summary_rows(results)
    print("\nSummary" + (" (--quick sizes)" if args.quick else ""))
    if rows:
        header = ("benchmark", "measured", "target", "verdict")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print("wall time: " + ", ".join(f"{s.removesuffix('.py')} {t:.0f} s" for s, t in durations))
    if failures:
        print("failed: " + ", ".join(failures))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
