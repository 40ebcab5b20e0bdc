"""Precompute the background corpus's vectors for the default model and store them in the package.

Run after editing src/hoshin/data/background.txt:  .venv/bin/python scripts/build_background_vectors.py
Without this file Hoshin still works (it embeds the corpus on first use and caches it); a test
fails when the stored vectors no longer match the corpus.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hoshin.data.corpora import background_texts
from hoshin.embedding.minilm import MiniLMEmbedder
from hoshin.service.alignment import _digest

texts = background_texts()
embedder = MiniLMEmbedder()
vectors = embedder.embed(texts).astype(np.float16)
target = Path(__file__).resolve().parents[1] / "src" / "hoshin" / "data" / "background-vectors.npz"
np.savez_compressed(target, vectors=vectors, model_id=embedder.model_id, digest=_digest(tuple(texts)))
print(f"wrote {target} ({len(texts)} texts, {target.stat().st_size // 1024} KiB)")
