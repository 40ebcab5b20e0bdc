"""The load and import benchmarks run at a tiny size on the hashing backend and report sane numbers.

Smoke tests: they prove the scripts still start a server, submit, import and report; never how fast.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run_script(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HOSHIN_EMBEDDER="hashing")
    return subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, env=env, timeout=300
    )


def result_of(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1, done.stdout
    return json.loads(lines[0][len("RESULT ") :])


def test_load_submits_ideas_without_errors_and_reports_percentiles() -> None:
    done = run_script(
        "bench_load.py", "--clients", "4", "--seconds", "30", "--per-client", "3", "--profile", "2"
    )
    result = result_of(done)
    # each client stops after 3 ideas, so the count is exact even on a slow machine
    assert result["requests"] == 12 and result["errors"] == 0
    assert result["backend"] == "hashing" and result["database"] == "sqlite"
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["throughput"] > 0
    assert result["met"] == (result["p95_ms"] < 200)
    # the profile names the arrival scoring step
    assert "2 sequential submissions" in done.stdout and "score_new_ideas" in done.stdout


def test_load_rejects_a_bad_client_count() -> None:
    done = run_script("bench_load.py", "--clients", "0")
    assert done.returncode == 2 and "--clients" in done.stderr


def test_import_times_both_paths_against_the_raw_model() -> None:
    result = result_of(run_script("bench_import.py", "--n", "40"))
    assert result["n"] == 40 and result["backend"].startswith("hashing")
    assert result["raw_rate"] > 0 and result["cli_rate"] > 0 and result["jobs_rate"] > 0
    assert result["cli_ratio"] == pytest.approx(result["cli_rate"] / result["raw_rate"], abs=1e-3)
    assert result["met"] == (max(result["cli_ratio"], result["jobs_ratio"]) >= 0.8)


def test_import_rejects_an_empty_size() -> None:
    done = run_script("bench_import.py", "--n", "0")
    assert done.returncode == 2 and "--n" in done.stderr


@pytest.mark.postgres
def test_load_runs_against_postgresql(postgres_url: str) -> None:
    result = result_of(
        run_script(
            "bench_load.py", "--db", postgres_url, "--clients", "3", "--seconds", "30", "--per-client", "2"
        )
    )
    assert result["database"] == "postgresql"
    assert result["requests"] == 6 and result["errors"] == 0
