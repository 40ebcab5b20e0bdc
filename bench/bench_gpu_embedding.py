"""GPU embedding against the CPU: the same vectors within float tolerance, the same tiers, and the speed.

Usage:  python bench/bench_gpu_embedding.py [--n 20000] [--batch-size 256] [--against cuda]

On a machine where torch sees CUDA, it embeds the same `--n` idea texts with the MiniLM backend on
the CPU and on the GPU (`MiniLMEmbedder(device=...)`, which runs the model in half precision on
CUDA), and prints:

- texts/s on each device (model load excluded) and the ratio;
- the agreement of the vectors: the smallest and the mean cosine between a text's CPU and GPU
  vectors (target: smallest >= 0.999), and the largest difference in any coordinate;
- the agreement of the verdicts: `corridor triage` of the texts against a mission on each device's
  vectors, the share of identical tiers (target >= 0.99) and the largest score difference.

Without CUDA it says so and exits 0 (nothing to compare). `--against cpu` compares the CPU with
itself, which checks the comparison on any machine (everything must agree exactly). The last
line, starting with RESULT, is a JSON summary.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_triage_throughput import MISSION, idea_texts, report  # noqa: E402


def timed_embed(device: str, texts: list[str], batch_size: int) -> tuple[np.ndarray, float]:
    from hoshin.embedding.minilm import MiniLMEmbedder

    embedder = MiniLMEmbedder(device=device, batch_size=batch_size)
    embedder.embed_batch(texts[:8])  # load the model and warm the device up, outside the timing
    started = time.perf_counter()
    vectors = embedder.embed_batch(texts)
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    return vectors, time.perf_counter() - started


class FixedVectors:
    """An embedder answering from vectors computed beforehand, so that triage runs on exactly the
    vectors one device produced (the mission and background are embedded on the CPU for both)."""

    def __init__(self, fallback, known: dict[str, np.ndarray]) -> None:  # noqa: ANN001
        self.fallback = fallback
        self.known = known
        self.model_id = fallback.model_id
        self.dimensions = fallback.dimensions

    def embed(self, texts, progress=None) -> np.ndarray:  # noqa: ANN001
        missing = [t for t in texts if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.fallback.embed(missing), strict=True))
        return np.stack([self.known[t] for t in texts]) if texts else np.zeros((0, self.dimensions))


def tiers_on(vectors: np.ndarray, texts: list[str], cpu_embedder) -> list[dict]:  # noqa: ANN001
    from hoshin.service.alignment import Aligner
    from hoshin.service.batch import triage

    aligner = Aligner(FixedVectors(cpu_embedder, dict(zip(texts, vectors, strict=True))))
    rows = [{"id": str(n), "text": t} for n, t in enumerate(texts)]
    return triage(aligner, MISSION, rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="texts to embed on each device (default 20000)")
    parser.add_argument("--batch-size", type=int, default=256, help="texts per model call (default 256)")
    parser.add_argument("--against", default="cuda", help="device to compare with the CPU (default cuda)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.batch_size < 1:
        parser.error("--n and --batch-size must be at least 1")

    import torch

    if args.against.startswith("cuda") and not torch.cuda.is_available():
        print("torch sees no CUDA device here: nothing to compare (run this on a machine with a GPU)")
        report({"cuda": False})
        return
    texts = idea_texts(args.n)
    cpu, cpu_s = timed_embed("cpu", texts, args.batch_size)
    gpu, gpu_s = timed_embed(args.against, texts, args.batch_size)
    cosine = (cpu * gpu).sum(axis=1)
    name = torch.cuda.get_device_name(0) if args.against.startswith("cuda") else args.against
    print(f"{args.n:,} texts on the CPU and on {name}")
    rates = f"CPU {args.n / cpu_s:,.0f} texts/s, {args.against} {args.n / gpu_s:,.0f} texts/s"
    print(f"{rates} ({cpu_s / gpu_s:.1f} x)")
    print(
        f"vectors: cosine CPU vs {args.against} smallest {cosine.min():.5f}, mean {cosine.mean():.5f}; "
        f"largest coordinate difference {np.abs(cpu - gpu).max():.5f}"
    )
    from hoshin.embedding.minilm import MiniLMEmbedder

    sample = min(len(texts), 5_000)
    cpu_embedder = MiniLMEmbedder(device="cpu")
    on_cpu = tiers_on(cpu[:sample], texts[:sample], cpu_embedder)
    on_gpu = tiers_on(gpu[:sample], texts[:sample], cpu_embedder)
    same = sum(a["tier"] == b["tier"] for a, b in zip(on_cpu, on_gpu, strict=True)) / sample
    score_gap = max(abs(a["score"] - b["score"]) for a, b in zip(on_cpu, on_gpu, strict=True))
    print(f"triage of {sample:,} texts: {same:.2%} identical tiers, largest score difference {score_gap:.4f}")
    report(
        {
            "cuda": args.against.startswith("cuda"),
            "against": args.against,
            "n": args.n,
            "cpu_texts_per_s": round(args.n / cpu_s, 1),
            "gpu_texts_per_s": round(args.n / gpu_s, 1),
            "speedup": round(cpu_s / gpu_s, 2),
            "min_cosine": round(float(cosine.min()), 5),
            "mean_cosine": round(float(cosine.mean()), 5),
            "same_tiers": round(same, 4),
            "max_score_gap": round(score_gap, 4),
            "ok": bool(cosine.min() >= 0.999 and same >= 0.99),
        }
    )


if __name__ == "__main__":
    main()
