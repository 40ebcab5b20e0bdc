"""The corridor at a million ideas: re-scoring, duplicate search, memory, and the cost of int8.

Usage:  python bench/bench_corridor_scale.py [--n 1000000] [--queries 200] [--check 20000]

Four measurements, each against its target:

1. re-score: every stored idea against a changed corridor from stored vectors, with
   `domain.nearest.align_stored` (the hubness of each idea kept from its first scoring, because it
   does not depend on the mission). Target < 5 s. The plain `domain.alignment.align`, which
   recomputes hubness, is timed on `--check` ideas and scaled up for comparison, and the two are
   checked to give the same z (max difference < 1e-4).
2. duplicate candidates for one new idea among n stored ones (`NearestIndex.search`, k=10): median
   over `--queries` queries, half of them rewordings of a stored idea (cosine about 0.8) whose twin
   must come first. Target median < 50 ms.
3. memory of the index (int8 codes, scales, sign bits). Target <= 0.5 GB for 1,000,000 x 384.
4. quality: each demo idea as a query against the others, exact float32 cosine vs the int8 index:
   share of identical top-1, the worst loss of exact cosine where the top-1 differs (a near tie
   swapped), and mean overlap of the top 10 (target: loss < 0.01, overlap >= 0.95).

Stored vectors are synthetic (mixtures of background vectors plus noise, so they sit where real
texts sit); the mission, corridor and background come from the configured embedder
(HOSHIN_EMBEDDER; the hashing backend makes this a plumbing run).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib import resources

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_triage_throughput import report  # noqa: E402

from hoshin.domain.alignment import align  # noqa: E402
from hoshin.domain.calibration import hubness  # noqa: E402
from hoshin.domain.nearest import NearestIndex, align_stored  # noqa: E402
from hoshin.embedding import create_embedder  # noqa: E402
from hoshin.service.alignment import Aligner  # noqa: E402

DIMENSIONS = 384  # all-MiniLM-L6-v2
GB = 1024**3


def unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


def synthetic(background: np.ndarray, n: int, rng: np.random.Generator, chunk: int = 100_000) -> np.ndarray:
    """n unit vectors, each a blend of two background texts plus noise."""
    out = np.empty((n, background.shape[1]), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        a = background[rng.integers(0, len(background), m)]
        b = background[rng.integers(0, len(background), m)]
        noise = rng.standard_normal((m, background.shape[1]), dtype=np.float32) * 0.04
        out[start : start + m] = unit(a + 0.6 * b + noise)
    return out


def demo() -> dict:
    return json.loads(resources.files("hoshin.data").joinpath("demo/organisation.json").read_text("utf-8"))


def rescore(aligner: Aligner, n: int, check: int, rng: np.random.Generator) -> dict:
    org = demo()
    mission = org["mission"]
    background = aligner.background
    changed = aligner.mission_model(
        mission["text"], mission["focus_areas"][:-1] + ["ice makers"], mission["exclusions"] + ["furniture"]
    )
    prepared = aligner.prepare(changed)
    items = synthetic(background, n, rng)
    started = time.perf_counter()
    hub = hubness(items, background, aligner.params.hub_k)
    hub_s = time.perf_counter() - started
    started = time.perf_counter()
    fast = align_stored(items, hub, prepared, background, aligner.params)
    rescore_s = time.perf_counter() - started
    sample = min(check, n)
    started = time.perf_counter()
    plain = align(items[:sample], prepared, background, aligner.params, use_feedback=False)
    plain_s = (time.perf_counter() - started) * n / sample
    same = align_stored(
        items[:sample], hub[:sample], prepared, background, aligner.params, use_feedback=False
    )
    return {
        "n": n,
        "rescore_s": round(rescore_s, 2),
        "rescore_ok": rescore_s < 5.0,
        "hubness_once_s": round(hub_s, 2),
        "plain_align_estimate_s": round(plain_s, 1),
        "max_z_difference": float(np.abs(plain.z - same.z).max()),
        "tiers_core": int((fast.z >= aligner.thresholds.core).sum()),
    }


def search(n: int, queries: int, rng: np.random.Generator) -> dict:
    stored = unit(rng.standard_normal((n, DIMENSIONS), dtype=np.float32))
    ids = [f"I{i}" for i in range(n)]
    started = time.perf_counter()
    index = NearestIndex(ids, stored)
    build_s = time.perf_counter() - started
    targets = rng.integers(0, n, queries)
    timings, twins_first = [], 0
    for q, target in enumerate(targets):
        if q % 2 == 0:  # a rewording: cosine about 0.8 to its stored twin
            query = unit(stored[target][None] + 0.75 * unit(rng.standard_normal((1, DIMENSIONS))))[0]
        else:
            query = unit(rng.standard_normal((1, DIMENSIONS)))[0]
        started = time.perf_counter()
        found = index.search(query, k=10)
        timings.append(time.perf_counter() - started)
        if q % 2 == 0:
            twins_first += found[0][0] == ids[target]
    median_ms = float(np.median(timings) * 1000)
    return {
        "search_median_ms": round(median_ms, 2),
        "search_p95_ms": round(float(np.percentile(timings, 95) * 1000), 2),
        "search_ok": median_ms < 50,
        "twins_found_first": f"{twins_first}/{(queries + 1) // 2}",
        "index_build_s": round(build_s, 2),
        "index_gb": round(index.nbytes / GB, 3),
        "index_gb_per_million": round(index.nbytes / GB * 1_000_000 / n, 3),
        "memory_ok": index.nbytes * 1_000_000 / n <= 0.5 * GB,
    }


def quality(aligner: Aligner) -> dict:
    texts = [i["text"] for i in demo()["ideas"]]
    vectors = aligner.embed(texts)
    ids = [str(i) for i in range(len(texts))]
    index = NearestIndex(ids, vectors)
    same_top1, overlap, loss = 0, [], []
    for i, query in enumerate(vectors):
        exact = vectors @ query
        exact[i] = -np.inf
        exact_top = [str(j) for j in np.argsort(-exact, kind="stable")[:10]]
        got = [x for x, _ in index.search(query, k=11) if x != str(i)][:10]
        same_top1 += got[0] == exact_top[0]
        overlap.append(len(set(got) & set(exact_top)) / 10)
        # A swapped top-1 matters only if it is worse: exact cosine of the best minus that of the pick.
        loss.append(float(exact[int(exact_top[0])] - exact[int(got[0])]))
    return {
        "quality_ideas": len(texts),
        "quality_top1_same": round(same_top1 / len(texts), 3),
        "quality_top1_cosine_loss_max": round(max(loss), 4),
        "quality_top10_overlap": round(float(np.mean(overlap)), 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="stored ideas (default 1000000)")
    parser.add_argument("--queries", type=int, default=200, help="duplicate searches to time")
    parser.add_argument("--check", type=int, default=20_000, help="ideas scored by the plain align too")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    aligner = Aligner(create_embedder())
    result = {"backend": aligner.embedder.model_id}
    result.update(rescore(aligner, args.n, args.check, rng))
    print(
        f"re-score {args.n:,} stored ideas: {result['rescore_s']} s (target < 5 s; "
        f"plain align would take about {result['plain_align_estimate_s']} s; hubness once: "
        f"{result['hubness_once_s']} s; max z difference {result['max_z_difference']:.1e})"
    )
    result.update(search(args.n, args.queries, rng))
    print(
        f"duplicate search among {args.n:,}: median {result['search_median_ms']} ms, "
        f"p95 {result['search_p95_ms']} ms (target < 50 ms); twins first {result['twins_found_first']}"
    )
    per_million = result["index_gb_per_million"]
    print(f"index memory: {result['index_gb']} GB ({per_million} GB per million; target <= 0.5)")
    result.update(quality(aligner))
    print(
        f"int8 vs exact on {result['quality_ideas']} demo ideas: top-1 same {result['quality_top1_same']}, "
        f"worst top-1 cosine loss {result['quality_top1_cosine_loss_max']}, "
        f"top-10 overlap {result['quality_top10_overlap']}"
    )
    report(result)


if __name__ == "__main__":
    main()
