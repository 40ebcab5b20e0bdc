"""Triage draws the core line where a batch's own best ideas put it (domain/tier_bounds.py): an idea
far above generic activities but far below the batch's best is adjacent, says where core starts,
and reads the same whether the batch is scored whole, in chunks or one idea at a time later.
Hashing embedder: cosine is word overlap, so the ideas below are near the mission or not by their
words alone."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.service.alignment import Aligner
from hoshin.service.batch import survey_texts, triage, triage_chunks

MISSION = "We build reliable refrigerators for homes and shops"
BEST = [
    "reliable refrigerators for homes",
    "refrigerators for shops",
    "reliable home refrigerators",
    "refrigerators built for homes and shops",
]
NEIGHBOURS = ["reliable freezers for homes", "door seal for refrigerators"]
OTHERS = [
    "shop shelving",
    "piano lessons",
    "football club",
    "payroll system",
    "recipe blog",
    "coffee machine",
]
TEXTS = BEST + NEIGHBOURS + OTHERS


@pytest.fixture(scope="module")
def aligner() -> Aligner:
    return Aligner(HashingEmbedder())


def rows(texts: Sequence[str]) -> list[dict[str, str]]:
    return [{"id": f"I{i}", "text": t} for i, t in enumerate(texts)]


def test_ideas_far_below_the_best_of_the_batch_are_adjacent_with_the_core_line_named(
    aligner: Aligner,
) -> None:
    model = aligner.mission_model(MISSION)
    scored = aligner.score_batch(model, TEXTS, batch_bounds=True)
    z = dict(zip(TEXTS, scored.result.z, strict=True))
    bounds = scored.thresholds
    assert bounds is not None and bounds.core > aligner.thresholds.core  # the batch raised it
    out = {r["text"]: r for r in triage(aligner, MISSION, rows(TEXTS))}
    for text in NEIGHBOURS:
        # Above the shipped core bound, below the batch's: adjacent, and the reason says why.
        assert aligner.thresholds.core <= z[text] < bounds.core
        assert out[text]["tier"] == "adjacent"
        assert f"core from {bounds.core:.1f}" in out[text]["why"]
        assert 0.40 <= out[text]["score"] < 0.70
    for text in BEST:
        assert out[text]["tier"] == "core" and out[text]["why"].startswith("Core:")
    for text in OTHERS:
        assert out[text]["tier"] == "off"


def test_a_batch_too_small_to_learn_from_keeps_the_shipped_core_bound(aligner: Aligner) -> None:
    few = BEST + NEIGHBOURS[:1]
    model = aligner.mission_model(MISSION)
    scored = aligner.score_batch(model, few, batch_bounds=True)
    assert scored.thresholds is not None and scored.thresholds.core == aligner.thresholds.core
    out = {r["text"]: r["tier"] for r in triage(aligner, MISSION, rows(few))}
    z = dict(zip(few, scored.result.z, strict=True))
    assert all((out[t] == "core") == (z[t] >= aligner.thresholds.core) for t in few)


def test_an_idea_scored_later_against_the_batch_gets_the_batch_core_bound(aligner: Aligner) -> None:
    model = aligner.mission_model(MISSION)
    scored = aligner.score_batch(model, TEXTS, batch_bounds=True)
    later = aligner.score_batch(model, NEIGHBOURS, context=scored.context)
    assert later.thresholds == scored.thresholds
    assert [v.tier.value for v in later.verdicts] == ["adjacent", "adjacent"]


def test_a_batch_read_in_chunks_draws_the_same_core_line(aligner: Aligner) -> None:
    # Enough lines for several chunks; the best ideas sit in the last chunk, so the bound is only
    # known once every chunk has been read.
    texts = OTHERS * 3 + NEIGHBOURS + BEST
    whole = {r["id"]: r for r in triage(aligner, MISSION, rows(texts))}

    def read_chunks() -> list[list[dict[str, str]]]:
        every = rows(texts)
        return [every[i : i + 5] for i in range(0, len(every), 5)]

    survey = survey_texts(texts)
    chunked = [r for chunk in triage_chunks(aligner, MISSION, read_chunks, survey) for r in chunk]
    assert len(chunked) == len(texts)
    assert {r["tier"] for r in chunked} == {"core", "adjacent", "off"}
    for row in chunked:
        assert row["tier"] == whole[row["id"]]["tier"]
        assert row["why"] == whole[row["id"]]["why"]
        assert np.isclose(row["score"], whole[row["id"]]["score"], atol=2e-4)
