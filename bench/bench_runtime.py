"""The packaged model under its two CPU runtimes, torch and onnxruntime, side by side.

Usage:  python bench/bench_runtime.py [--n 2000] [--single 200] [--threads 1] [--rounds 2]

For each runtime it measures, in this order and alternating rounds so that load on a shared machine
hits both alike: the model load (first call included), one text per call (what a server sees), `--n`
texts in one call (what an import or a batch triage sees), and the largest difference between the
two runtimes' vectors. Then it times a whole `hoshin corridor triage` process over 20 new texts with
each runtime (no vector cache), the start-up cost a person running the CLI feels.

Prints one table and a RESULT {...} line. The onnx export must exist or is made first (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_triage_throughput import hoshin_executable, idea_texts  # noqa: E402


def build(runtime: str):  # type: ignore[no-untyped-def]
    if runtime == "onnx":
        from hoshin.embedding.minilm_onnx import OnnxMiniLMEmbedder

        return OnnxMiniLMEmbedder()
    from hoshin.embedding.minilm import MiniLMEmbedder

    return MiniLMEmbedder(device="cpu")


def one_round(runtime: str, texts: list[str], single: int, tag: str) -> dict[str, object]:
    started = time.perf_counter()
    embedder = build(runtime)
    embedder.embed([f"load {tag}"])
    load = time.perf_counter() - started
    started = time.perf_counter()
    for n, text in enumerate(texts[:single]):
        embedder.embed([f"{text} {tag}{n}"])
    per_text_ms = (time.perf_counter() - started) / single * 1000
    started = time.perf_counter()
    vectors = embedder.embed(texts)
    rate = len(texts) / (time.perf_counter() - started)
    return {"load_s": load, "single_ms": per_text_ms, "batch_per_s": rate, "vectors": vectors}


def cli_seconds(runtime: str, mission: str) -> float:
    with tempfile.TemporaryDirectory() as work:
        rows = Path(work) / "ideas.csv"
        rows.write_text(
            "id,text\n" + "".join(f"{n},{t} {uuid.uuid4().hex[:6]}\n" for n, t in enumerate(idea_texts(20))),
            encoding="utf-8",
        )
        env = dict(os.environ, HOSHIN_RUNTIME=runtime, HOSHIN_CACHE="off", HOSHIN_HOME=work)
        command = [hoshin_executable(), "corridor", "triage", "--mission", mission, "--input", str(rows)]
        started = time.perf_counter()
        done = subprocess.run(command + ["--format", "json"], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"hoshin corridor triage failed: {done.stderr[-1000:]}")
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="texts in the one-call batch (default 2000)")
    parser.add_argument("--single", type=int, default=200, help="one-text calls timed (default 200)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads per model call (default 1)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; best kept (default 2)")
    args = parser.parse_args(argv)
    if min(args.n, args.single, args.threads, args.rounds) < 1:
        parser.error("--n, --single, --threads and --rounds must be positive")
    os.environ["HOSHIN_CPU_THREADS"] = str(args.threads)
    from hoshin.embedding.minilm_onnx import OnnxMiniLMEmbedder

    OnnxMiniLMEmbedder().embed(["make sure the export exists before anything is timed"])
    texts = idea_texts(args.n)
    best: dict[str, dict[str, object]] = {}
    for round_no in range(args.rounds):
        for runtime in ("torch", "onnx"):
            got = one_round(runtime, texts, args.single, f"r{round_no}")
            kept = best.setdefault(runtime, got)
            for key, better in (("load_s", min), ("single_ms", min), ("batch_per_s", max)):
                kept[key] = better(kept[key], got[key])  # type: ignore[type-var]
    diff = float(np.abs(best["torch"]["vectors"] - best["onnx"]["vectors"]).max())  # type: ignore[operator]
    mission = "To produce reliable refrigerators."
    cli = {
        runtime: min(cli_seconds(runtime, mission) for _ in range(args.rounds))
        for runtime in ("torch", "onnx")
    }

    print(f"{args.threads} thread(s), best of {args.rounds} alternating rounds")
    print(
        f"| runtime | model load | one text per call | {args.n} texts in one call | CLI run, 20 new texts |"
    )
    print("|---|---|---|---|---|")
    for runtime in ("torch", "onnx"):
        r = best[runtime]
        print(
            f"| {runtime} | {r['load_s']:.2f} s | {r['single_ms']:.1f} ms | {r['batch_per_s']:.0f} /s "
            f"| {cli[runtime]:.2f} s |"
        )
    print(f"largest difference between the two runtimes' vectors: {diff:.1e}")
    result = {
        runtime: {k: round(float(v), 4) for k, v in best[runtime].items() if k != "vectors"}
        | {"cli_s": round(cli[runtime], 3)}
        for runtime in ("torch", "onnx")
    }
    print("RESULT " + json.dumps(result | {"max_abs_diff": diff, "threads": args.threads}))


if __name__ == "__main__":
    main()
