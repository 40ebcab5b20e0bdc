"""Precompute the knowledge catalogue's vectors for the default model and store them in the package.

Run after editing src/hoshin/data/knowledge_catalogue.csv:
    .venv/bin/python scripts/build_catalogue_vectors.py
The /knowledge page ranks the whole catalogue against the mission; without this file the first view
on a new database embeds about 430 texts (seconds on a CPU). Each vector is stored under the content
hash of the exact text the page embeds, so a row edited since is simply embedded again; a test fails
when a catalogue row has no stored vector.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hoshin.data.corpora import knowledge_catalogue
from hoshin.embedding import content_hash
from hoshin.embedding.minilm import MiniLMEmbedder
from hoshin.service.knowledge import _area_text

texts = [_area_text(row) for row in knowledge_catalogue()]
embedder = MiniLMEmbedder()
vectors = embedder.embed(texts).astype(np.float16)
hashes = np.array([content_hash(t) for t in texts])
target = Path(__file__).resolve().parents[1] / "src" / "hoshin" / "data" / "catalogue-vectors.npz"
np.savez_compressed(target, vectors=vectors, hashes=hashes, model_id=embedder.model_id)
print(f"wrote {target} ({len(texts)} texts, {target.stat().st_size // 1024} KiB)")
