"""The knowledge catalogue's vectors, shipped with the package and handed to the vector cache.

The /knowledge page ranks every catalogue area against the mission. Embedding the ~430 catalogue
texts took 9-14 s on the first view of a new database (2 busy cores); the texts never change
between releases, so their vectors are computed once, when the catalogue is edited
(scripts/build_catalogue_vectors.py), and stored beside it. Each vector is stored under the content
hash of the exact text embedded, so a catalogue row edited since has no stored vector and is simply
embedded as before; another model (the hashing test double) uses none of them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from hoshin.embedding import CachedEmbedder, Embedder

__all__ = ["seed_catalogue_vectors"]

VECTORS_FILE = "catalogue-vectors.npz"


def seed_catalogue_vectors(embedder: Embedder) -> int:
    """Put the shipped catalogue vectors that `embedder`'s cache lacks into it; how many were put.

    Only a cached embedder of the model they were made with takes them; any other gets nothing
    (it embeds the catalogue itself). Once written, the cache holds them like any other vector."""
    if not isinstance(embedder, CachedEmbedder):
        return 0
    stored = _stored(embedder.model_id)
    if stored is None:
        return 0
    hashes, vectors = stored
    known = embedder.cache.get_many(embedder.model_id, hashes)
    missing = [(h, vectors[i]) for i, h in enumerate(hashes) if h not in known]
    if missing:
        embedder.cache.put_many(embedder.model_id, missing)
    return len(missing)


@lru_cache(maxsize=4)
def _stored(model_id: str) -> tuple[list[str], np.ndarray] | None:
    path = resources.files("hoshin.data").joinpath(VECTORS_FILE)
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        data = np.load(handle)
        if str(data["model_id"]) != model_id:
            return None
        # float16 on disk (half the size); the cache and the engine work in float32.
        return [str(h) for h in data["hashes"]], np.asarray(data["vectors"], dtype=np.float32)
