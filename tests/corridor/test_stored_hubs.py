"""Each cached vector keeps its hubness beside it: a re-score in a fresh process reads the hubs
the last one stored instead of computing them, gives the verdicts it always gave, and computes
again only hubs stored on another basis (background corpus, k)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select, update

import hoshin.service.corridor_state as corridor_state
import hoshin.service.scored_vectors as scored_vectors
from hoshin.domain.calibration import hubness
from hoshin.domain.quantised import quantise, through_int8
from hoshin.domain.text import strip_words
from hoshin.embedding import HashingEmbedder, content_hash
from hoshin.service.alignment import Aligner
from hoshin.service.corridor import score_ideas, store_aligner
from hoshin.store import schema
from hoshin.store.vectors import hub_basis

from .test_rescore_batch import assert_same, eager, seed, stored


def fresh_process(org: Any) -> Any:
    """What a newly started process has: nothing kept from earlier passes, a new engine."""
    corridor_state.forget_stored(org.store, org.id)
    corridor_state.forget_states(org.store, org.id)
    return store_aligner(org.store, HashingEmbedder())


def vector_rows(org: Any, aligner: Any) -> dict[str, tuple[np.ndarray, float | None, str | None]]:
    """The vector cache's rows of the texts the last pass scored (as embedded, without the
    boilerplate words), by idea id."""
    kept = corridor_state.kept_ideas(org.store, org.id, aligner)
    assert kept is not None
    by_hash: dict[str, list[str]] = {}
    for idea_id, text in zip(kept.ids, kept.texts, strict=True):
        by_hash.setdefault(content_hash(strip_words(text, kept.drop)), []).append(idea_id)
    t = schema.vectors
    with org.store._reading() as conn:
        rows = conn.execute(
            select(t.c.content_hash, t.c.vector, t.c.hub, t.c.hub_basis).where(
                t.c.model_id == aligner.embedder.model_id, t.c.content_hash.in_(list(by_hash))
            )
        ).all()
    return {
        idea_id: (np.frombuffer(v, dtype=np.float32), hub, basis)
        for h, v, hub, basis in rows
        for idea_id in by_hash[h]
    }


def own_hashes(org: Any, aligner: Any, ids: list[str]) -> list[str]:
    """Vector cache keys of these ideas' texts as the last pass embedded them."""
    kept = corridor_state.kept_ideas(org.store, org.id, aligner)
    wanted = set(ids)
    return [
        content_hash(strip_words(t, kept.drop))
        for i, t in zip(kept.ids, kept.texts, strict=True)
        if i in wanted
    ]


def true_hub(aligner: Any, vector: np.ndarray) -> float:
    rounded = through_int8(vector.reshape(1, -1).copy())
    return float(hubness(rounded, aligner.background, aligner.params.hub_k)[0])


def count_hubness(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Rows each hubness call of the re-score's vector read computes."""
    calls: list[int] = []

    def counted(vectors: np.ndarray, *args: Any, **kwargs: Any) -> np.ndarray:
        calls.append(len(vectors))
        return hubness(vectors, *args, **kwargs)

    monkeypatch.setattr(scored_vectors, "hubness", counted)
    return calls


def test_the_first_pass_stores_every_hub_computed_from_the_rounded_vector(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner, tag=uuid.uuid4().hex[:6])
    score_ideas(org.store, org.id, aligner)
    rows = vector_rows(org, aligner)
    assert set(ids) <= set(rows)
    basis = hub_basis(aligner.background, aligner.params.hub_k)
    kept = corridor_state.kept_ideas(org.store, org.id, aligner)
    for n, idea_id in enumerate(kept.ids):
        vector, hub, stored_basis = rows[idea_id]
        assert stored_basis == basis
        assert hub == pytest.approx(true_hub(aligner, vector), abs=1e-6)
        assert hub == pytest.approx(float(kept.hub[n]), abs=1e-6)


def test_a_fresh_process_reads_the_stored_hubs_instead_of_computing_them(
    org: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(org, aligner, tag=uuid.uuid4().hex[:6])
    score_ideas(org.store, org.id, aligner)
    rows = vector_rows(org, aligner)
    # A value no computation would give, planted on this test's own texts only (on PostgreSQL
    # the vector cache outlives the test): a fresh process must use it as it is.
    t = schema.vectors
    with org.store.transaction() as conn:
        conn.execute(
            update(t).where(t.c.content_hash.in_(own_hashes(org, aligner, ids))).values(hub=t.c.hub + 0.25)
        )
    calls = count_hubness(monkeypatch)
    engine = fresh_process(org)
    score_ideas(org.store, org.id, engine)
    assert sum(calls) == 0
    kept = corridor_state.kept_ideas(org.store, org.id, engine)
    planted = set(ids)
    for n, idea_id in enumerate(kept.ids):
        want = rows[idea_id][1] + (0.25 if idea_id in planted else 0.0)
        assert float(kept.hub[n]) == pytest.approx(want, abs=1e-6)


def test_a_fresh_process_scores_from_stored_hubs_as_the_eager_pass_does(org: Any, aligner: Any) -> None:
    seed(org, aligner, tag=uuid.uuid4().hex[:6])
    score_ideas(org.store, org.id, aligner)
    engine = fresh_process(org)
    score_ideas(org.store, org.id, engine)
    assert_same(stored(org), eager(org, store_aligner(org.store, HashingEmbedder())))


def test_hubs_of_another_basis_are_computed_again_and_replaced(
    org: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed(org, aligner, tag=uuid.uuid4().hex[:6])
    score_ideas(org.store, org.id, aligner)
    kept = corridor_state.kept_ideas(org.store, org.id, aligner)
    t = schema.vectors
    with org.store.transaction() as conn:  # as if stored against an older background corpus
        conn.execute(
            update(t)
            .where(t.c.content_hash.in_(own_hashes(org, aligner, ids)))
            .values(hub=9.0, hub_basis="hub1:0000000000000000:k10:int8")
        )
    calls = count_hubness(monkeypatch)
    engine = fresh_process(org)
    score_ideas(org.store, org.id, engine)
    assert sum(calls) == len(ids)  # those, and no other
    again = corridor_state.kept_ideas(org.store, org.id, engine)
    np.testing.assert_allclose(again.hub, kept.hub, atol=1e-6)
    rows = vector_rows(org, engine)
    assert {basis for _, _, basis in rows.values()} == {hub_basis(engine.background, engine.params.hub_k)}
    assert all(hub != 9.0 for _, hub, _ in rows.values())


def test_another_k_is_another_basis(org: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(org, aligner, tag=uuid.uuid4().hex[:6])
    score_ideas(org.store, org.id, aligner)
    fresh_process(org)
    wider = Aligner(aligner.embedder, params=replace(aligner.params, hub_k=aligner.params.hub_k + 5))
    assert hub_basis(wider.background, wider.params.hub_k) != hub_basis(
        aligner.background, aligner.params.hub_k
    )
    calls = count_hubness(monkeypatch)
    score_ideas(org.store, org.id, wider)
    kept = corridor_state.kept_ideas(org.store, org.id, wider)
    assert sum(calls) == len(kept.ids)
    rows = vector_rows(org, wider)
    for n, idea_id in enumerate(kept.ids):
        vector, hub, _ = rows[idea_id]
        want = hubness(through_int8(vector.reshape(1, -1).copy()), wider.background, wider.params.hub_k)[0]
        assert float(kept.hub[n]) == pytest.approx(float(want), abs=1e-6)
        assert hub == pytest.approx(float(want), abs=1e-6)


def test_new_ideas_are_embedded_once_and_their_hubs_stored(org: Any, aligner: Any) -> None:
    tag = uuid.uuid4().hex[:6]
    seed(org, aligner, tag=tag)
    score_ideas(org.store, org.id, aligner)
    # Two new texts, one of them twice: each is embedded once, and both ideas read its hub.
    org.store.upsert(
        "ideas",
        org.id,
        [
            {"id": "N-1", "text": f"Quieten the compressor at night {tag}"},
            {"id": "N-2", "text": f"Quieten the compressor at night {tag}"},
            {"id": "N-3", "text": f"Recycle the door seals {tag}"},
        ],
    )
    engine = fresh_process(org)
    score_ideas(org.store, org.id, engine)
    assert engine.embedder.misses == 2
    rows = vector_rows(org, engine)
    basis = hub_basis(engine.background, engine.params.hub_k)
    for idea_id in ("N-1", "N-2", "N-3"):
        vector, hub, stored_basis = rows[idea_id]
        assert stored_basis == basis and hub == pytest.approx(true_hub(engine, vector), abs=1e-6)
    assert_same(stored(org), eager(org, store_aligner(org.store, HashingEmbedder())))


def test_vectors_and_hubs_read_back_are_those_the_engine_computes(org: Any, aligner: Any) -> None:
    """Codes and scales bit for bit, hubs within float32 rounding, whether a text's vector and hub
    were stored, only its vector was, or neither was, and with texts repeated."""
    tag = uuid.uuid4().hex[:6]
    texts = [f"Idea {tag} about {w} number {i}" for i, w in enumerate(["seals", "vans", "ice", "menus"] * 5)]
    scored_vectors.scored_vectors(aligner, texts[:8])  # vectors and hubs of the first eight stored
    aligner.embed(texts[8:14])  # vectors only of the next six; the rest never seen
    asked = texts + texts[::3]
    codes, hub = scored_vectors.scored_vectors(store_aligner(org.store, HashingEmbedder()), asked)
    plain = Aligner(HashingEmbedder())  # no store: embeds and computes everything
    want = plain.embed_scored(asked)
    expected = quantise(want)
    np.testing.assert_array_equal(codes.codes, expected.codes)
    np.testing.assert_array_equal(codes.scales, expected.scales)
    np.testing.assert_allclose(hub, hubness(want, plain.background, plain.params.hub_k), atol=1e-6)
