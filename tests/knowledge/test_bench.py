"""The coverage benchmark runs at a tiny size, reuses its vector cache and reports its numbers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_knowledge_coverage.py"


def test_coverage_benchmark_smoke() -> None:
    env = dict(os.environ, HOSHIN_EMBEDDER="hashing")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--people", "200", "--areas", "30", "--skills", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    result = json.loads(line[len("RESULT ") :])
    assert result["people"] == 200 and result["areas"] == 30 and result["skills"] == 600
    assert result["re_embedded"] == 0 and result["cached_s"] > 0


def test_coverage_benchmark_refuses_bad_sizes() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--areas", "1"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "--areas" in done.stderr
