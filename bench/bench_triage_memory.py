"""Peak memory of one triage call over 100,000 texts, against the size of their vectors.

Usage:  python bench/bench_triage_memory.py [--n 100000] [--model] [--no-cache]

By default the texts are embedded with the hashing backend (HOSHIN_EMBEDDER=hashing): the real model
would need 6 to 40 minutes for 100,000 texts on 2 shared CPU cores (measured rates 41-268 texts/s),
beyond the 10 minutes `make bench` may take. It is built 384 wide, like the real model, so the
vectors weigh the same. `--model` uses MiniLM (slow on CPU; fine on a GPU).

Measured in this process (Linux):
- baseline: resident memory after the backend is loaded and warmed, the idea rows already built
  and the packaged data (mission vectors, background) already read, i.e. just before the call;
- peak: `resource.getrusage(RUSAGE_SELF).ru_maxrss` after the call (the process's high-water mark);
- overhead = peak - baseline - n x dimensions x 4 bytes (the float32 vectors themselves).
bench/run_all.py also runs this script under `/usr/bin/time -v` when present, which reports the same
high-water mark from outside the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_triage_throughput import EXCLUDE, FOCUS, MISSION, fresh_home, idea_rows, report  # noqa: E402

MIB = 1024 * 1024
MODEL_DIMENSIONS = 384  # all-MiniLM-L6-v2


def current_rss() -> int:
    """Resident memory of this process now, in bytes (from /proc; Linux only)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        resident_pages = int(handle.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    """The process's resident high-water mark so far, in bytes (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="how many idea texts (default 100000)")
    parser.add_argument("--model", action="store_true", help="embed with MiniLM, not hashing")
    parser.add_argument("--no-cache", action="store_true", help="no vector cache (HOSHIN_CACHE=off)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    if not os.path.exists("/proc/self/statm"):
        raise SystemExit("this benchmark reads /proc/self/statm and needs Linux")

    fresh_home("hoshin-bench-memory-")

    from hoshin.config import cache_dir
    from hoshin.embedding import CachedEmbedder, HashingEmbedder, SqliteVectorCache, create_embedder
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    rows = idea_rows(args.n)
    inner = create_embedder("minilm") if args.model else HashingEmbedder(dimensions=MODEL_DIMENSIONS)
    inner.embed(["warm up the model"])  # load the model before the baseline
    # The CLI's configuration: the backend wrapped in the on-disk vector cache (empty here);
    # --no-cache shows how much of the peak the cache's copies of the vectors account for.
    if args.no_cache:
        aligner = Aligner(inner)
    else:
        aligner = Aligner(CachedEmbedder(inner, SqliteVectorCache(cache_dir() / "vectors.sqlite3")))
    aligner.background  # noqa: B018 - read the packaged background corpus before the baseline
    dimensions = aligner.embedder.dimensions
    baseline = current_rss()
    peak_before = peak_rss()

    started = time.perf_counter()
    out = triage(aligner, MISSION, rows, FOCUS, EXCLUDE)
    elapsed = time.perf_counter() - started
    peak = peak_rss()
    if len(out) != args.n:
        raise SystemExit(f"triage returned {len(out)} rows for {args.n} inputs")

    vectors_used = args.n * dimensions * 4
    overhead = peak - baseline - vectors_used
    print(
        f"backend: {aligner.embedder.model_id} ({dimensions} dimensions), {args.n} distinct texts, "
        f"vector cache {'off' if args.no_cache else 'on (empty SQLite file)'}"
    )
    if not args.model:
        print("note: hashing backend used; MiniLM takes 6-40 min for 100k texts on 2 shared cores (--model)")
    print(f"triage call           {elapsed:8.1f} s")
    print(f"baseline RSS          {baseline / MIB:8.1f} MiB  (backend loaded, rows built, before the call)")
    print(f"peak before the call  {peak_before / MIB:8.1f} MiB")
    print(f"peak RSS              {peak / MIB:8.1f} MiB")
    print(f"vectors ({dimensions} dims)   {vectors_used / MIB:8.1f} MiB  (n x {dimensions} x 4 bytes)")
    print(
        f"overhead              {overhead / MIB:8.1f} MiB  = peak - baseline - vectors; "
        f"{overhead / vectors_used:.1f}x the vectors"
    )
    report(
        {
            "benchmark": "triage_memory",
            "backend": aligner.embedder.model_id,
            "cache": not args.no_cache,
            "n": args.n,
            "seconds": round(elapsed, 2),
            "baseline_mib": round(baseline / MIB, 1),
            "peak_mib": round(peak / MIB, 1),
            "vectors_mib": round(vectors_used / MIB, 1),
            "overhead_mib": round(overhead / MIB, 1),
            "overhead_x_vectors": round(overhead / vectors_used, 2),
        }
    )


if __name__ == "__main__":
    main()
