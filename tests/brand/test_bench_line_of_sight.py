"""The line-of-sight benchmark runs at a tiny size and reports its numbers (a smoke test, not a timing)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_line_of_sight.py"


def test_bench_reports_page_times() -> None:
    env = dict(os.environ, HOSHIN_EMBEDDER="hashing")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--goals", "300", "--runs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    assert result["goals"] == 300 and result["runs"] == 2
    assert 0 < result["median_ms"] <= result["max_ms"]
