"""bench/bench_pgvector.py runs end to end at a tiny size and reports sane numbers (not speed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_pgvector.py"


def test_bench_reports_timing_and_recall(pgvector_server_url: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--n", "3000", "--queries", "10", "--url", pgvector_server_url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    [line] = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    result = json.loads(line.removeprefix("RESULT "))
    assert result["n"] == 3000 and result["data"] == "clustered"
    assert result["median_ms"] > 0 and result["recall_at_k"] >= 0.95
