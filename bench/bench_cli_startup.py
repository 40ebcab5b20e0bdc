"""Start time of `hoshin --help` (median of 10 runs, target < 0.5 s) and proof it never imports torch.

Usage:  python bench/bench_cli_startup.py [--runs 10]

Each run is a fresh process of the installed `hoshin` command, timed from spawn to exit. A separate
run under `python -X importtime` lists every module `hoshin --help` imports; the benchmark fails if
torch (or another heavy library of the embedding stack) is among them, and shows the slowest imports
so whoever trims start-up knows where to look.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_triage_throughput import hoshin_executable, report  # noqa: E402

TARGET_S = 0.5
# Libraries `--help` has no reason to load; each costs from a few hundred ms to seconds.
HEAVY = ("torch", "sentence_transformers", "transformers", "scipy", "sklearn")
HELP_VIA_PYTHON = "import sys; sys.argv = ['hoshin', '--help']; from hoshin.cli import main; main()"


def time_runs(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall seconds and CPU seconds (user + system) of `runs` fresh processes of `command`.

    CPU time is reported beside wall time because on a shared machine a process can wait for a core
    far longer than it computes; CPU time is what Hoshin itself controls.
    """
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return times, cpu


def imported_modules() -> list[tuple[str, int]]:
    """(module, cumulative microseconds) for every import `hoshin --help` makes."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", HELP_VIA_PYTHON],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"python -X importtime of hoshin --help failed: {done.stderr[-2000:]}")
    modules = []
    for line in done.stderr.splitlines():
        # "import time:   self [us] | cumulative | imported package"
        if not line.startswith("import time:") or "imported package" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        modules.append((name.strip(), int(cumulative)))
    return modules


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="how many timed runs (default 10)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    times, cpu = time_runs([hoshin_executable(), "--help"], args.runs)
    median, cpu_median = statistics.median(times), statistics.median(cpu)
    # A bare interpreter start on the same machine: what no change to Hoshin can remove.
    bare = statistics.median(time_runs([sys.executable, "-c", "pass"], args.runs)[0])
    modules = imported_modules()
    names = {name for name, _ in modules}
    heavy = sorted(h for h in HEAVY if h in names)
    top_level = [(n, us) for n, us in modules if "." not in n]
    by_name = dict(modules)
    cli_import_ms = by_name.get("hoshin.cli", 0) / 1000
    slowest = sorted(top_level, key=lambda item: -item[1])[:6]

    print(
        f"hoshin --help, {args.runs} runs: median {median:.3f} s, min {min(times):.3f} s, "
        f"max {max(times):.3f} s; CPU time median {cpu_median:.3f} s"
    )
    print(f"bare python start: median {bare:.3f} s; hoshin's own share {median - bare:.3f} s")
    print(f"target: median < {TARGET_S} s -> {'met' if median < TARGET_S else 'MISSED'}")
    print(f"modules imported: {len(names)}; heavy ones: {', '.join(heavy) if heavy else 'none (no torch)'}")
    print(f"importing hoshin.cli: {cli_import_ms:.0f} ms cumulative")
    print(
        "slowest top-level imports (cumulative): " + ", ".join(f"{n} {us / 1000:.0f} ms" for n, us in slowest)
    )
    report(
        {
            "benchmark": "cli_startup",
            "runs": args.runs,
            "median_s": round(median, 4),
            "cpu_median_s": round(cpu_median, 4),
            "bare_python_s": round(bare, 4),
            "target_s": TARGET_S,
            "imports_torch": "torch" in names,
            "heavy_imports": heavy,
        }
    )
    if heavy:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
