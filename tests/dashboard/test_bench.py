"""The dashboard benchmark runs at a tiny size, so the script cannot rot unnoticed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "bench_dashboard.py"


def test_dashboard_benchmark_runs_and_reports_a_result() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--units", "5", "--goals", "40", "--ideas", "20", "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1].removeprefix("RESULT "))
    assert result["benchmark"] == "dashboard" and result["goals"] == 40 and result["median_s"] > 0
