"""The knowledge and principles pages read the whole organisation; their first view must not wait
for the model (issue 24, item 6). Each test counts the texts that reach the model, not seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hoshin.data.corpora import knowledge_catalogue
from hoshin.embedding import HashingEmbedder, content_hash
from hoshin.embedding.minilm import MiniLMEmbedder
from hoshin.service import brand
from hoshin.service import knowledge as svc
from hoshin.service.catalogue_vectors import _stored
from hoshin.service.corridor import store_aligner
from hoshin.service.demo import load_demo
from hoshin.service.verdict_reasons import open_store
from knowledge.support import ORG


class ModelStandIn(HashingEmbedder):
    """Answers as the hashing double but under the packaged model's id, so the vectors shipped for
    that model apply to it; keeps every text that reaches it."""

    model_id = MiniLMEmbedder.model_id

    def __init__(self) -> None:
        super().__init__(dimensions=384)
        self.seen: list[str] = []

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed_batch(texts)


def test_every_catalogue_area_ships_with_its_vector() -> None:
    stored = _stored(MiniLMEmbedder.model_id)
    assert stored is not None, "run scripts/build_catalogue_vectors.py"
    hashes, vectors = stored
    texts = [svc._area_text(row) for row in knowledge_catalogue()]
    missing = [t for t in texts if content_hash(t) not in set(hashes)]
    assert not missing, f"catalogue rows changed since the vectors were built: {missing[:3]}"
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-2)
    assert _stored("hashing-v1") is None  # another model's vectors are never mixed in


def test_the_needs_view_embeds_no_catalogue_text(store: Any) -> None:
    model = ModelStandIn()
    rows = svc.propose_needs(store, ORG, store_aligner(store, model), limit=20)
    assert any(not r["stored"] for r in rows)  # catalogue areas are proposed ...
    catalogue = {svc._area_text(row) for row in knowledge_catalogue()}
    assert not catalogue & set(model.seen)  # ... from the shipped vectors, not the model


def test_the_scored_demo_leaves_nothing_to_embed_for_the_principles_and_needs_views(tmp_path: Path) -> None:
    repo = open_store(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    try:
        model = ModelStandIn()
        load_demo(repo, None, "tests", score=True, aligner=store_aligner(repo, model))
        model.seen.clear()
        view = store_aligner(repo, model)  # as the web app's: the store's vector cache
        assert brand.all_principle_flags(repo, ORG, view)
        svc.propose_needs(repo, ORG, view, limit=20)
        assert model.seen == []
    finally:
        repo.close()


@pytest.mark.model
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_shipped_vectors_are_the_models(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("onnxruntime")
    monkeypatch.setenv("HOSHIN_EMBEDDER", "minilm")
    from hoshin.embedding import create_embedder

    hashes, vectors = _stored(MiniLMEmbedder.model_id)  # type: ignore[misc]
    rows = knowledge_catalogue()[:: len(knowledge_catalogue()) // 8]
    fresh = create_embedder().embed([svc._area_text(r) for r in rows])
    index = {h: i for i, h in enumerate(hashes)}
    shipped = vectors[[index[content_hash(svc._area_text(r))] for r in rows]]
    assert np.min(np.sum(fresh * shipped, axis=1)) > 0.99


def test_a_second_view_of_an_unchanged_organisation_ranks_and_judges_nothing_again(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hoshin.service.batch as batch
    from hoshin.service.knowledge import _NEEDS

    _NEEDS.clear()
    brand._FLAGS.clear()
    ranks, judged = [], []
    rank, flags = batch.rank_knowledge, brand.principle_flags
    monkeypatch.setattr(batch, "rank_knowledge", lambda *a, **k: ranks.append(1) or rank(*a, **k))
    monkeypatch.setattr(brand, "principle_flags", lambda *a, **k: judged.append(1) or flags(*a, **k))
    aligner = store_aligner(store, HashingEmbedder())
    first = svc.propose_needs(store, ORG, aligner, limit=5)
    first[0]["demand"].append("changed by a caller")  # a caller's copy, not the kept ranking
    assert svc.propose_needs(store, ORG, aligner, limit=5)[0]["demand"] != first[0]["demand"]
    brand.all_principle_flags(store, ORG, aligner)
    brand.all_principle_flags(store, ORG, aligner)
    assert (len(ranks), len(judged)) == (1, 1)
    # Any edit the views depend on gives a fresh answer, whoever made it.
    store.upsert("goals", ORG, [{"id": "G-NEW", "text": "Qualify a new refrigerant supplier", "level": 1}])
    svc.propose_needs(store, ORG, aligner, limit=5)
    brand.all_principle_flags(store, ORG, aligner)
    assert (len(ranks), len(judged)) == (2, 2)
