"""The scale benchmark runs (tiny size, plumbing) and int8 costs no ranking quality on the demo ideas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_corridor_scale.py"


def test_bench_reports_every_measurement() -> None:
    env = dict(os.environ, HOSHIN_EMBEDDER="hashing")
    done = subprocess.run(
        [sys.executable, str(BENCH), "--n", "3000", "--queries", "10", "--check", "500"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    assert result["n"] == 3000 and result["max_z_difference"] < 1e-4
    assert result["twins_found_first"] == "5/5" and result["memory_ok"] is True
    assert result["quality_top10_overlap"] > 0.9


@pytest.mark.model
def test_int8_index_ranks_demo_ideas_like_exact_cosine() -> None:
    from hoshin.domain.nearest import NearestIndex
    from hoshin.embedding import create_embedder
    from hoshin.service.demo import demo_path

    org = json.loads(demo_path().read_text(encoding="utf-8"))
    vectors = create_embedder("minilm").embed([i["text"] for i in org["ideas"]])
    index = NearestIndex([str(i) for i in range(len(vectors))], vectors)
    overlaps, losses = [], []
    for i, query in enumerate(vectors):
        exact = vectors @ query
        exact[i] = -np.inf
        best = np.argsort(-exact)[:10]
        got = [int(x) for x, _ in index.search(query, k=11) if x != str(i)][:10]
        overlaps.append(len(set(got) & set(best.tolist())) / 10)
        losses.append(exact[best[0]] - exact[got[0]])
    assert np.mean(overlaps) >= 0.95 and max(losses) < 0.01
