"""Every benchmark script runs at a tiny size on the hashing backend, exits 0 and reports sane numbers.

These are smoke tests: they prove `make bench` will not crash, never how fast anything is.
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


def test_throughput_reports_raw_service_and_cli_rates() -> None:
    result = result_of(run_script("bench_triage_throughput.py", "--n", "60"))
    assert result["n"] == 60 and result["backend"] == "hashing-v1"
    assert result["raw_rate"] > 0 and result["service_rate"] > 0 and result["cli_rate"] > 0
    assert result["service_ratio"] == pytest.approx(result["service_rate"] / result["raw_rate"], rel=1e-2)
    # every idea reached the model once, plus the mission model's own texts
    assert result["service_embedded"] > 60 and result["repeat"] == 2


def test_cache_second_run_embeds_nothing_and_agrees() -> None:
    result = result_of(run_script("bench_cache.py", "--n", "40"))
    assert result["first_misses"] >= 40
    assert result["second_misses"] == 0
    assert result["same_verdicts"] is True


def test_memory_reports_peak_above_baseline() -> None:
    result = result_of(run_script("bench_triage_memory.py", "--n", "300"))
    assert result["n"] == 300 and result["cache"] is True
    assert result["vectors_mib"] == pytest.approx(300 * 384 * 4 / 2**20, abs=0.1)
    assert result["peak_mib"] >= result["baseline_mib"] > 0


def test_memory_without_cache_says_so() -> None:
    result = result_of(run_script("bench_triage_memory.py", "--n", "300", "--no-cache"))
    assert result["cache"] is False
    assert result["peak_mib"] >= result["baseline_mib"] > 0


def test_cli_startup_proves_help_does_not_load_torch() -> None:
    result = result_of(run_script("bench_cli_startup.py", "--runs", "1"))
    assert result["imports_torch"] is False
    assert result["median_s"] > 0


@pytest.mark.model
def test_runtime_bench_compares_torch_and_onnx_on_the_same_texts() -> None:
    result = result_of(run_script("bench_runtime.py", "--n", "30", "--single", "3", "--rounds", "1"))
    assert result["max_abs_diff"] < 1e-4
    for runtime in ("torch", "onnx"):
        assert result[runtime]["batch_per_s"] > 0 and result[runtime]["cli_s"] > 0


def test_run_all_quick_prints_the_summary_table() -> None:
    done = run_script("run_all.py", "--quick", "--embedder", "hashing", "--only", "bench_cache.py")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Summary (--quick sizes)" in done.stdout
    assert "cache, 2nd run (100 texts)" in done.stdout


@pytest.mark.parametrize(
    ("script", "args"),
    [
        ("bench_triage_throughput.py", ("--n", "0")),
        ("bench_cache.py", ("--n", "-5")),
        ("bench_triage_memory.py", ("--n", "0")),
        ("bench_cli_startup.py", ("--runs", "0")),
        ("bench_runtime.py", ("--single", "0")),
        ("bench_triage_throughput.py", ("--n", "ten")),
    ],
)
def test_bad_sizes_are_refused_with_a_usage_error(script: str, args: tuple[str, ...]) -> None:
    done = run_script(script, *args)
    assert done.returncode == 2
    assert "error:" in done.stderr and "RESULT" not in done.stdout


def test_more_texts_than_the_fragments_allow_is_refused() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from bench_triage_throughput import idea_texts
    finally:
        sys.path.remove(str(BENCH))
    texts = idea_texts(5000)
    assert len(set(texts)) == 5000
    assert idea_texts(50) == idea_texts(50)
    with pytest.raises(ValueError, match="n must be between"):
        idea_texts(10**7)


# ---- the load and import benchmarks (issues 8 and 4) ----


def test_load_submits_ideas_without_errors_and_reports_percentiles() -> None:
    done = run_script(
        "bench_load.py", "--clients", "4", "--seconds", "30", "--per-client", "3", "--profile", "2"
    )
    result = result_of(done)
    # each client stops after 3 ideas, so the count is exact even on a slow machine
    assert result["requests"] == 12 and result["errors"] == 0
    assert result["backend"] == "hashing" and result["database"] == "sqlite"
    assert result["workers"] == (2 if (os.cpu_count() or 1) >= 2 else 1)  # `hoshin serve`'s default
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["p99_ms"]
    assert result["throughput"] > 0
    assert result["met"] == (result["p95_ms"] < 200)
    # the profile names the arrival scoring step
    assert "2 sequential submissions" in done.stdout and "score_new_ideas" in done.stdout


def test_load_with_busy_loops_reports_what_they_took_and_stops_them() -> None:
    done = run_script(
        "bench_load.py", "--clients", "2", "--seconds", "30", "--per-client", "2", "--contend", "1"
    )
    result = result_of(done)
    assert result["requests"] == 4 and result["errors"] == 0
    assert result["busy_loops"] == 1 and result["busy_loop_cores"] > 0
    assert "1 busy loops competing" in done.stdout
    # No loop outlives the benchmark.
    assert [pid for pid in _process_ids() if b"while True: pass" in _arguments(pid)] == []


def _process_ids() -> list[str]:
    return [entry.name for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def _arguments(pid: str) -> list[bytes]:
    try:
        return Path("/proc", pid, "cmdline").read_bytes().split(b"\0")
    except OSError:  # the process ended meanwhile
        return []


@pytest.mark.parametrize(("option", "value"), [("--clients", "0"), ("--contend", "-1")])
def test_load_rejects_a_bad_count(option: str, value: str) -> None:
    done = run_script("bench_load.py", option, value)
    assert done.returncode == 2 and option in done.stderr


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


def test_rescore_app_scores_every_seeded_idea_and_reads_the_inbox_back() -> None:
    result = result_of(run_script("bench_rescore_app.py", "--n", "300", "--runs", "1"))
    assert result["n"] == 300 and result["database"] == "sqlite"
    assert result["first_pass"]["scored"] == 300 and result["runs"][0]["scored"] == 300
    assert "align" in result["runs"][0]["phases"]
    assert result["all_current"] is True and result["core_page_whys"] == result["core_page_rows"]


@pytest.mark.model
def test_gpu_comparison_agrees_exactly_when_both_sides_are_the_cpu() -> None:
    # The comparison the GPU check prints (vectors, tiers, scores), run where a CPU is all there is.
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_gpu_embedding.py"), "--n", "40", "--against", "cpu"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = result_of(done)
    assert result["against"] == "cpu" and result["n"] == 40 and result["ok"] is True
    assert result["min_cosine"] == pytest.approx(1.0) and result["same_tiers"] == 1.0
    assert result["max_score_gap"] == 0.0


def test_gpu_comparison_refuses_a_size_of_zero() -> None:
    done = run_script("bench_gpu_embedding.py", "--n", "0")
    assert done.returncode == 2 and "--n and --batch-size must be at least 1" in done.stderr


def test_first_view_times_each_page_twice_on_a_fresh_demo() -> None:
    result = result_of(run_script("bench_first_view.py", "--pages", "/", "/knowledge", "/principles"))
    assert set(result["views"]) == {"/", "/knowledge", "/principles"}
    assert all(first > 0 and second > 0 for first, second in result["views"].values())
    assert result["demo_load_s"] > 0


def test_stream_reports_cli_rate_peak_memory_and_agreement() -> None:
    done = run_script("bench_triage_stream.py", "--n", "120", "--raw-n", "50", "--compare")
    result = result_of(done)
    assert result["n"] == 120 and result["backend"] == "hashing"
    assert result["cli_rate"] > 0 and result["raw_rate"] > 0 and result["peak_mib"] > 0
    assert result["cli_ratio"] == pytest.approx(result["cli_rate"] / result["raw_rate"], rel=1e-6)
    assert result["identical_tiers"] == 1.0  # one chunk: exactly the one-batch verdicts


def test_examples_benchmark_reports_both_runs_and_their_ratio() -> None:
    result = result_of(run_script("bench_triage_examples.py", "--n", "40", "--repeat", "1"))
    assert result["n"] == 40 and result["plain_s"] > 0 and result["examples_s"] > 0
    # The two times are printed to 0.01 s and the ratio to 0.001, and a run of 40 texts takes well
    # under a second: the ratio of the printed times may be off by their rounding, no more.
    plain, taught = result["plain_s"], result["examples_s"]
    rounding = 0.005 / plain + 0.005 * taught / plain**2 + 0.0005
    assert result["ratio"] == pytest.approx(taught / plain, abs=rounding)
