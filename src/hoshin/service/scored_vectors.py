"""Many texts' vectors, as int8 codes, and their hubness, for a full re-score in one go.

A text's hubness (its mean cosine to its nearest background texts) depends on its vector, the
background corpus and `EngineParams.hub_k`, never on the mission. The store's vector cache keeps it
beside the vector (store/vectors.py), so a re-score in a fresh process (`hoshin corridor rescore`,
a restarted server) reads both instead of computing every idea's hubness again. Texts read without
a hub get it computed and written back once; texts with no vector at all are embedded as always.

The result is what `Aligner.embed_scored` followed by `hubness` gives: every hub is computed from
the vector as its int8 codes give it back, which is how the engine scores it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from hoshin.domain.calibration import hubness
from hoshin.domain.quantised import QuantisedVectors, quantise, through_int8
from hoshin.embedding.base import content_hash
from hoshin.embedding.cache import CachedEmbedder
from hoshin.store.vectors import StoreVectorCache, hub_basis

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner

__all__ = ["scored_vectors"]

log = logging.getLogger(__name__)


def scored_vectors(aligner: Aligner, texts: Sequence[str]) -> tuple[QuantisedVectors, np.ndarray]:
    """int8 codes of the texts' vectors as the engine scores them, and their hubness (float32)."""
    embedder = aligner.embedder
    background, k = aligner.background, aligner.params.hub_k
    cache = embedder.cache if isinstance(embedder, CachedEmbedder) else None
    if not isinstance(cache, StoreVectorCache):  # no store to keep hubs in: compute them all
        vectors = aligner.embed_scored(texts)
        return quantise(vectors), hubness(vectors, background, k).astype(np.float32)
    basis = hub_basis(background, k)
    hashes = [content_hash(t) for t in texts]
    out = QuantisedVectors.empty(len(texts), embedder.dimensions)
    hub = np.empty(len(texts), dtype=np.float32)
    missing: list[np.ndarray] = []
    computed: list[np.ndarray] = []  # rows whose hub has to be stored
    for start, block, found, stored_hub in cache.vectors_with_hubs(
        embedder.model_id, hashes, embedder.dimensions, basis
    ):
        rows = np.arange(start, start + len(block))
        through_int8(block)  # as embed_scored gives them (rows not found stay zero)
        need = found & np.isnan(stored_hub)
        if need.all():
            stored_hub = hubness(block, background, k)
        elif need.any():
            stored_hub[need] = hubness(block[need], background, k)
        computed.append(rows[need])
        missing.append(rows[~found])
        hub[start : start + len(block)] = stored_hub
        out.put(slice(start, start + len(block)), quantise(block))
    absent = np.concatenate(missing) if missing else np.empty(0, dtype=np.int64)
    if len(absent):
        # Not stored yet: embedded as any text is (the embedder stores the vector).
        fresh = aligner.embed_scored([texts[n] for n in absent.tolist()])
        hub[absent] = hubness(fresh, background, k)
        out.put(absent, quantise(fresh))
        computed.append(absent)
    _store_hubs(cache, embedder.model_id, basis, hashes, hub, computed)
    return out, hub


def _store_hubs(
    cache: StoreVectorCache,
    model_id: str,
    basis: str,
    hashes: list[str],
    hub: np.ndarray,
    computed: list[np.ndarray],
) -> None:
    rows = np.concatenate(computed).tolist() if computed else []
    if not rows:
        return
    items = list({hashes[n]: float(hub[n]) for n in rows}.items())  # a repeated text once
    try:
        cache.flush()  # vectors embedded just now may wait in the write-behind buffer
        cache.put_hubs(model_id, basis, items)
    except Exception as exc:  # noqa: BLE001 - a cache write must never fail a re-score
        log.warning("could not store the hubness of %d vectors yet (%s)", len(items), exc)
