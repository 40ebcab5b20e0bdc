"""What a reviewer's examples cost: `corridor triage` with `--examples` against without (target < 1.2x).

Usage:  python bench/bench_triage_examples.py [--n 10000] [--embedder minilm|hashing] [--repeat 2]

Both runs are whole `hoshin corridor triage` processes over the same `--n` idea texts (the generator
of bench_triage_throughput.py), each with a fresh, empty vector cache, so each embeds every text
once; the runs take turns `--repeat` times and each keeps its best round (shared machines drift).
The examples are nine ideas of our own, three per tier. It prints both times, wall and CPU, and
their ratio; the last line, RESULT, is the JSON summary bench/run_all.py reads.
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

from bench_triage_throughput import MISSION, hoshin_executable, idea_rows, report, scratch_dir  # noqa: E402

TARGET_RATIO = 1.2
EXAMPLES = [
    ("A quieter compressor mount for our fridges", "core"),
    ("Door gaskets that keep their seal for fifteen years", "core"),
    ("Low-GWP refrigerant in every new model", "core"),
    ("A display cooler for bakery counters", "adjacent"),
    ("Repair kits sold through kitchen studios", "adjacent"),
    ("Energy labels printed on recycled card", "adjacent"),
    ("Sponsoring a cycling team", "off"),
    ("A payroll system for the head office", "off"),
    ("A cookbook of summer desserts", "off"),
]


def write_inputs(work: Path, n: int) -> tuple[Path, Path]:
    ideas, examples = work / "ideas.csv", work / "examples.csv"
    with ideas.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text"])
        writer.writeheader()
        writer.writerows(idea_rows(n))
    with examples.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "tier"])
        writer.writerows(EXAMPLES)
    return ideas, examples


def time_run(
    work: Path, ideas: Path, examples: Path | None, backend: str, round_: int
) -> tuple[float, float]:
    """Wall and CPU seconds of one triage process with an empty cache of its own."""
    home = work / f"home-{'ex' if examples else 'plain'}-{round_}"
    env = dict(os.environ, HOSHIN_HOME=str(home), HOSHIN_EMBEDDER=backend)
    command = [hoshin_executable(), "corridor", "triage", "-m", MISSION, "-i", str(ideas)]
    if examples is not None:
        command += ["--examples", str(examples)]
    command += ["--format", "jsonl", "--output", str(work / "out.jsonl")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"hoshin corridor triage failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="how many idea texts (default 10000)")
    parser.add_argument("--embedder", default=None, help="minilm or hashing (default: HOSHIN_EMBEDDER)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds (default 2)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be at least 1")
    backend = (args.embedder or os.environ.get("HOSHIN_EMBEDDER") or "minilm").lower()
    work = scratch_dir("hoshin-bench-examples-")
    ideas, examples = write_inputs(work, args.n)
    plain, taught = [], []
    for round_ in range(args.repeat):
        plain.append(time_run(work, ideas, None, backend, round_))
        taught.append(time_run(work, ideas, examples, backend, round_))
    (plain_s, plain_cpu), (taught_s, taught_cpu) = min(plain), min(taught)
    ratio, cpu_ratio = taught_s / plain_s, taught_cpu / plain_cpu
    print(
        f"{args.n} texts, {backend}: without examples {plain_s:.1f} s (CPU {plain_cpu:.1f} s), "
        f"with {len(EXAMPLES)} examples {taught_s:.1f} s (CPU {taught_cpu:.1f} s): "
        f"{ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target < {TARGET_RATIO}x)"
    )
    report(
        {
            "n": args.n,
            "backend": backend,
            "plain_s": round(plain_s, 2),
            "examples_s": round(taught_s, 2),
            "ratio": round(ratio, 3),
            "cpu_ratio": round(cpu_ratio, 3),
            "target_ratio": TARGET_RATIO,
        }
    )


if __name__ == "__main__":
    main()
