"""Big inputs through `corridor triage` as a user runs it: texts/s, peak memory, and the model's own rate.

Usage:  python bench/bench_triage_stream.py [--n 20000] [--embedder minilm|hashing] [--runs 1]
                                            [--format jsonl] [--order best|input] [--raw-n 5000]
                                            [--compare] [--precisions fp32,int8]

Writes `--n` idea rows to a CSV (distinct texts: the shared generator's, with a numbered variant
past its 207,360 combinations), then:

1. raw      the embedding backend alone on the first `--raw-n` of the same texts, in this process,
            model load excluded (`create_embedder().embed(texts)`, no cache)
2. cli      `hoshin corridor triage --input F --format jsonl --output OUT` as a subprocess with a
            fresh HOSHIN_HOME (cold vector cache), `--runs` times; wall time from spawn to exit and
            the child's own peak resident memory and CPU time (os.wait4, as /usr/bin/time -v reads them)

It prints texts/s of each, the CLI's ratio to the raw model by wall time and by CPU time (texts per
CPU second: other people's load on a shared machine distorts it far less), and the peak RSS.
`--compare` then triages the same rows in this process as one batch (`service.batch.triage`, vectors
from the last run's cache) and reports how many tiers the CLI's chunked run gave identically and the
largest score difference: the price of fixing the batch context on a sample (service/batch.py).
`--precisions fp32,int8` times both builds of MiniLM (HOSHIN_PRECISION) in the same run, alternating
raw and CLI per precision and round, and prints each one's rates beside the other's (the int8 build's
CLI against the fp32 raw model is the issue's "end to end vs. the model" for the shipped default).
The last line, starting with RESULT, is the JSON summary bench/run_all.py reads.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_triage_throughput import (  # noqa: E402
    ACTIONS,
    EXCLUDE,
    FOCUS,
    MISSION,
    PURPOSES,
    QUALIFIERS,
    SUBJECTS,
    hoshin_executable,
    idea_texts,
    report,
    scratch_dir,
)

COMBINATIONS = len(ACTIONS) * len(SUBJECTS) * len(QUALIFIERS) * len(PURPOSES)
RSS_LIMIT_MIB = 1536  # the bound: 1.5 GB whatever the input size


def texts(n: int) -> Iterator[str]:
    """`n` distinct idea texts; past the generator's combinations each round gets a variant number."""
    base = idea_texts(min(n, COMBINATIONS))
    for i in range(n):
        round_, k = divmod(i, len(base))
        yield base[k] if round_ == 0 else f"{base[k][:-1]} (variant {round_})."


def write_input(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i, text in enumerate(texts(n)):
            writer.writerow([f"idea-{i}", text])


def time_raw(backend: str, sample: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of the bare backend over `sample` (loaded and warmed first)."""
    from hoshin.embedding import create_embedder

    embedder = create_embedder(backend)
    embedder.embed(sample[:8])  # loads (and on first use builds) the model
    started, cpu = time.perf_counter(), time.process_time()
    embedder.embed(sample)
    return time.perf_counter() - started, time.process_time() - cpu


def run_cli(source: Path, work: Path, backend: str, fmt: str, order: str) -> dict:
    """One CLI process over `source` with a cold cache: wall s, CPU s, peak RSS MiB, output path."""
    home = work / f"home-{time.monotonic_ns()}"
    target = work / f"out.{fmt}"
    env = dict(os.environ, HOSHIN_HOME=str(home), HOSHIN_EMBEDDER=backend)
    command = [hoshin_executable(), "corridor", "triage", "--mission", MISSION, "--input", str(source)]
    for focus in FOCUS:
        command += ["--focus", focus]
    for exclusion in EXCLUDE:
        command += ["--exclude", exclusion]
    command += ["--format", fmt, "--output", str(target), "--order", order]
    errors = work / "stderr.txt"
    with errors.open("w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"hoshin corridor triage failed ({child.returncode}): {errors.read_text()[-2000:]}")
    return {
        "wall_s": elapsed,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "output": target,
        "home": home,
    }


def count_rows(path: Path, fmt: str) -> int:
    if fmt == "json":
        return len(json.loads(path.read_text(encoding="utf-8")))
    with path.open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)
    return lines - 1 if fmt == "csv" else lines


def compare_with_one_batch(source: Path, output: Path, home: Path, backend: str) -> dict:
    """The CLI's verdicts (jsonl) against `triage` over all rows as one batch."""
    os.environ.update(HOSHIN_HOME=str(home), HOSHIN_EMBEDDER=backend)
    from hoshin.io.tables import TableSpec, read_table
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    rows = read_table(source, TableSpec(required=("id", "text")))
    whole = {r["id"]: r for r in triage(Aligner(), MISSION, rows, FOCUS, EXCLUDE)}
    with output.open(encoding="utf-8") as handle:
        streamed = {r["id"]: r for r in map(json.loads, handle)}
    same = sum(whole[k]["tier"] == streamed[k]["tier"] for k in whole)
    gaps = [abs(whole[k]["score"] - streamed[k]["score"]) for k in whole]
    return {
        "identical_tiers": same / len(whole),
        "changed_tiers": len(whole) - same,
        "max_score_diff": max(gaps),
        "median_score_diff": statistics.median(gaps),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="rows in the input (default 20000)")
    parser.add_argument("--embedder", default=None, help="minilm or hashing (default: HOSHIN_EMBEDDER)")
    parser.add_argument("--runs", type=int, default=1, help="CLI runs; the median is reported (default 1)")
    parser.add_argument("--format", default="jsonl", choices=("jsonl", "csv", "json"), help="output format")
    parser.add_argument("--order", default="best", choices=("best", "input"), help="output order")
    parser.add_argument("--raw-n", type=int, default=None, help="texts for the raw rate (min(n, 5000))")
    parser.add_argument("--compare", action="store_true", help="verdicts against one unchunked batch")
    parser.add_argument(
        "--precisions",
        default=None,
        help="comma list of HOSHIN_PRECISION values to time in one run (fp32,int8)",
    )
    args = parser.parse_args(argv)
    backend = (args.embedder or os.environ.get("HOSHIN_EMBEDDER") or "minilm").lower()

    work = scratch_dir("hoshin-bench-stream-")
    os.environ["HOSHIN_HOME"] = str(work / "home-raw")
    source = work / "ideas.csv"
    write_input(source, args.n)
    raw_n = min(args.n, args.raw_n if args.raw_n is not None else 5000)
    precisions = [p.strip() for p in args.precisions.split(",")] if args.precisions else [None]
    per: dict[str, dict] = {}
    for round_ in range(args.runs):
        for precision in precisions:
            if precision is not None:
                os.environ["HOSHIN_PRECISION"] = precision
            label = precision or os.environ.get("HOSHIN_PRECISION", "default")
            entry = per.setdefault(label, {"raw": [], "runs": []})
            raw_wall, raw_cpu = time_raw(backend, list(texts(raw_n)))
            entry["raw"].append((raw_wall, raw_cpu))
            print(
                f"[{label}] raw model ({backend}, {raw_n} texts): {raw_n / raw_wall:.1f} texts/s, "
                f"{raw_n / max(raw_cpu, 1e-9):.1f} per CPU second"
            )
            run = run_cli(source, work, backend, args.format, args.order)
            produced = count_rows(run["output"], args.format)
            if produced != args.n:
                raise SystemExit(f"the CLI wrote {produced} rows for {args.n} inputs")
            entry["runs"].append(run)
            print(
                f"[{label}] cli run {round_ + 1}: {run['wall_s']:.1f} s, "
                f"{args.n / run['wall_s']:.1f} texts/s, CPU {run['cpu_s']:.1f} s "
                f"({args.n / max(run['cpu_s'], 1e-9):.1f} per CPU second), "
                f"peak RSS {run['peak_mib']:.0f} MiB"
            )
    summaries = {}
    for label, entry in per.items():
        raw_wall = min(w for w, _ in entry["raw"])
        raw_cpu = min(c for _, c in entry["raw"])
        runs = entry["runs"]
        wall = statistics.median(r["wall_s"] for r in runs)
        cpu = statistics.median(r["cpu_s"] for r in runs)
        peak = max(r["peak_mib"] for r in runs)
        raw_rate, raw_cpu_rate = raw_n / raw_wall, raw_n / max(raw_cpu, 1e-9)
        summaries[label] = {
            "raw_rate": raw_rate,
            "raw_cpu_rate": raw_cpu_rate,
            "cli_rate": args.n / wall,
            "cli_cpu_rate": args.n / max(cpu, 1e-9),
            "cli_ratio": args.n / wall / raw_rate,
            "cli_cpu_ratio": args.n / max(cpu, 1e-9) / raw_cpu_rate,
            "peak_mib": peak,
        }
        print(
            f"[{label}] cli median of {len(runs)}: {args.n / wall:.1f} texts/s = "
            f"{args.n / wall / raw_rate:.2f} x raw (CPU {summaries[label]['cli_cpu_ratio']:.2f} x); "
            f"peak RSS {peak:.0f} MiB (limit {RSS_LIMIT_MIB})"
        )
    last = list(summaries)[-1]
    peak = max(s["peak_mib"] for s in summaries.values())
    result = {
        "n": args.n,
        "backend": backend,
        "format": args.format,
        "order": args.order,
        "raw_n": raw_n,
        **summaries[last],
        "peak_mib": peak,
        "rss_limit_mib": RSS_LIMIT_MIB,
        "runs": args.runs,
    }
    if len(summaries) > 1:
        result["precisions"] = summaries
        first = list(summaries)[0]
        ratio = summaries[last]["cli_rate"] / summaries[first]["raw_rate"]
        cpu_ratio = summaries[last]["cli_cpu_rate"] / summaries[first]["raw_cpu_rate"]
        result[f"cli_{last}_vs_raw_{first}"] = ratio
        result[f"cli_{last}_vs_raw_{first}_cpu"] = cpu_ratio
        print(
            f"cli [{last}] against the raw model [{first}]: {ratio:.2f} x by wall time, "
            f"{cpu_ratio:.2f} x by CPU time"
        )
    runs = per[last]["runs"]
    if args.compare:
        if args.format != "jsonl":
            raise SystemExit("--compare reads the CLI's output as jsonl: use --format jsonl")
        found = compare_with_one_batch(source, runs[-1]["output"], runs[-1]["home"], backend)
        result.update(found)
        print(
            f"against one batch: {found['identical_tiers']:.2%} identical tiers "
            f"({found['changed_tiers']} changed), score difference max {found['max_score_diff']:.4f}, "
            f"median {found['median_score_diff']:.4f}"
        )
    report(result)
    if peak > RSS_LIMIT_MIB:
        print(f"peak RSS {peak:.0f} MiB is over {RSS_LIMIT_MIB} MiB")


if __name__ == "__main__":
    main()
