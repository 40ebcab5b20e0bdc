"""bench/bench_cascade.py runs at a tiny size on the hashing backend and reports sane numbers
(a smoke test: it proves the benchmark works, never how fast anything is)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_cascade.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOSHIN_EMBEDDER="hashing")
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_the_cascade_benchmark_reports_checks_from_cache_and_the_manager_view() -> None:
    done = _run("--goals", "60", "--units", "6", "--pages", "2")
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1
    result = json.loads(lines[0][len("RESULT ") :])
    assert (result["goals"], result["units"], result["backend"]) == (60, 6, "hashing-v1")
    assert result["cached_misses"] == 0  # the timed run found every vector in the store
    assert result["checks_s"] > 0 and result["manager_ms"] > 0 and result["unit_goals"] > 0


def test_the_cascade_benchmark_refuses_sizes_too_small_to_mean_anything() -> None:
    done = _run("--goals", "3")
    assert done.returncode == 2 and "at least 10 goals" in done.stderr
