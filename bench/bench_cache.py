"""The vector cache: a second triage over the same texts embeds nothing (target: 0 misses).

Usage:  python bench/bench_cache.py [--n 2000] [--embedder minilm|hashing]

Two triage calls over the same `--n` idea texts, as two separate CLI runs would make them: each run
gets its own `CachedEmbedder` on the same SQLite cache file in a fresh HOSHIN_HOME. The first run
starts from an empty cache; the second must find every vector there (`CachedEmbedder.misses == 0`)
and return the same verdicts. Both times are printed; the model load is not counted in either.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_triage_throughput import EXCLUDE, FOCUS, MISSION, fresh_home, idea_rows, report  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="how many idea texts (default 2000)")
    parser.add_argument("--embedder", default=None, help="minilm or hashing (default: HOSHIN_EMBEDDER)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")

    from hoshin.config import cache_dir
    from hoshin.embedding import CachedEmbedder, SqliteVectorCache, create_embedder
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    fresh_home("hoshin-bench-cache-")
    rows = idea_rows(args.n)
    inner = create_embedder(args.embedder)
    inner.embed(["warm up the model"])
    path = cache_dir() / "vectors.sqlite3"

    runs = []
    for _ in range(2):
        cache = SqliteVectorCache(path)
        embedder = CachedEmbedder(inner, cache)
        started = time.perf_counter()
        out = triage(Aligner(embedder), MISSION, rows, FOCUS, EXCLUDE)
        runs.append((time.perf_counter() - started, embedder.misses, out))
        cache.close()
    (first_s, first_misses, first_out), (second_s, second_misses, second_out) = runs
    same = [(r["id"], r["score"], r["tier"]) for r in first_out] == [
        (r["id"], r["score"], r["tier"]) for r in second_out
    ]
    print(f"backend: {inner.model_id}, {args.n} distinct texts, cache file {path}")
    print(f"first run   {first_s:8.2f} s  {first_misses:7d} texts embedded (empty cache)")
    speedup = first_s / second_s
    print(f"second run  {second_s:8.2f} s  {second_misses:7d} texts embedded  ({speedup:.1f}x faster)")
    print(f"same verdicts on both runs: {'yes' if same else 'NO'}")
    print("target: the second run embeds nothing (0 misses)")
    report(
        {
            "benchmark": "cache",
            "backend": inner.model_id,
            "n": args.n,
            "first_s": round(first_s, 3),
            "second_s": round(second_s, 3),
            "first_misses": first_misses,
            "second_misses": second_misses,
            "same_verdicts": same,
        }
    )
    if second_misses != 0 or not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
