"""A full re-score stores its verdicts as one batch whose sentences are written on reading: every
reader sees the verdict a row-by-row re-score would have stored, and a failed re-score changes nothing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import hoshin.service.corridor_state as corridor_state
from hoshin.domain.calibration import Thresholds
from hoshin.domain.explain import judge, judge_many
from hoshin.domain.text import boilerplate_from_counts, boilerplate_words, word_document_counts
from hoshin.embedding import HashingEmbedder
from hoshin.errors import ConfigError, EmbeddingError
from hoshin.service.corridor import list_inbox, override_tier, score_ideas, store_aligner
from hoshin.service.corridor_state import full_pass, review_counts, scoring_rows
from hoshin.service.missions import current_model, save_mission

MISSION = "We make reliable refrigerators for families, built by skilled people who care for the planet."
WORDS = ["door seals", "compressor", "shelves", "coffee beans", "fleet vans", "canteen menu", "ice maker"]
VERBS = ["Redesign", "Test", "Source", "Recycle", "Insulate", "Quieten", "Repair", "Price", "Ship", "Paint"]


def seed(org: Any, aligner: Any, n: int = 60, tag: str = "") -> list[str]:
    save_mission(
        org.store, org.id, MISSION, ["door seals and gaskets"], ["food, drinks and recipes"], "test", aligner
    )
    texts = [f"{VERBS[i % 10]} the {WORDS[i % 7]} {tag}{i}" for i in range(n)]
    ids = [f"R-{i:03d}" for i in range(n)]
    org.store.upsert("ideas", org.id, [{"id": i, "text": t} for i, t in zip(ids, texts, strict=True)])
    return ids


def eager(org: Any, aligner: Any) -> dict[str, dict[str, Any]]:
    """What the row-by-row full pass gives every idea (sentences written at scoring time)."""
    ideas = scoring_rows(org.store, org.id)
    model = current_model(org.store, org.id, aligner)
    verdicts, _ = full_pass(aligner, model, ideas, review_counts(ideas))
    return {idea["id"]: v.as_dict() for idea, v in zip(ideas, verdicts, strict=True)}


def stored(org: Any) -> dict[str, dict[str, Any]]:
    return {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}


def assert_same(got: dict[str, dict[str, Any]], want: dict[str, dict[str, Any]]) -> None:
    assert set(got) == set(want)
    for idea_id, verdict in want.items():
        assert got[idea_id]["tier"] == verdict["tier"], idea_id
        assert got[idea_id]["theme"] == verdict["theme"], idea_id
        assert got[idea_id]["score"] == pytest.approx(verdict["score"], abs=2e-4), idea_id
        assert got[idea_id]["why"] == verdict["why"], idea_id


def test_sentences_written_on_reading_equal_those_written_when_scoring(org: Any, aligner: Any) -> None:
    seed(org, aligner)
    returned = score_ideas(org.store, org.id, aligner)
    want = eager(org, aligner)
    assert_same(stored(org), want)
    assert_same({row["id"]: row for row in returned}, want)
    inbox = {row["id"]: row for row in list_inbox(org.store, org.id)}
    assert_same(inbox, want)


def test_every_reader_sees_the_newest_verdict_and_the_history_grows(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner)
    score_ideas(org.store, org.id, aligner)
    history = len(org.store.verdicts(org.id, "idea", latest_only=False))
    save_mission(org.store, org.id, MISSION, ["ice makers"], [], "test", aligner)
    score_ideas(org.store, org.id, aligner)
    assert len(org.store.verdicts(org.id, "idea", latest_only=False)) == history + len(ids) + 2
    version = org.store.mission(org.id)["version"]
    latest = stored(org)
    assert {latest[i]["mission_version"] for i in ids} == {version}
    summaries = org.store.verdict_summaries(org.id, ["idea"])["idea"]
    assert {i: (s["tier"], s["theme"]) for i, s in summaries.items()} == {
        i: (v["tier"], v["theme"]) for i, v in latest.items()
    }
    # A verdict stored for one idea afterwards (an arrival, an edit) is newer than the batch.
    org.store.save_verdicts(
        org.id,
        "idea",
        [(ids[0], {"score": 0.9, "tier": "core", "theme": "x", "why": "y"})],
        model_id="m",
        mission_version=version,
    )
    assert stored(org)[ids[0]]["why"] == "y"
    assert org.store.verdict_summaries(org.id, ["idea"])["idea"][ids[0]]["tier"] == "core"
    core = {row["id"] for row in list_inbox(org.store, org.id, tier="core")}
    assert ids[0] in core


def test_labels_decide_tiers_and_show_in_the_inbox(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner)
    for idea_id in ids[:6]:
        override_tier(org.store, org.id, idea_id, "core", "our reviewers want these", "rev")
    for idea_id in ids[6:9]:
        override_tier(org.store, org.id, idea_id, "off", "not what we make", "rev")
    score_ideas(org.store, org.id, aligner)
    got = stored(org)
    assert_same(got, eager(org, aligner))
    # The labels moved some tiers, and each moved verdict names the labelled idea behind it.
    moved = [v for v in got.values() if "which a reviewer marked" in v["why"]]
    assert moved
    assert all(any(f"like {i} " in v["why"] for i in ids[:9]) for v in moved)
    rows = {row["id"]: row for row in list_inbox(org.store, org.id, tier="core")}
    assert set(ids[:6]) <= set(rows)


def test_labels_teach_only_the_mission_version_they_were_given_under(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner)
    for n, idea_id in enumerate(ids[:9]):
        override_tier(org.store, org.id, idea_id, ("core", "off", "adjacent")[n % 3], "reviewed", "rev")
    score_ideas(org.store, org.id, aligner)
    assert any("which a reviewer marked" in v["why"] for v in stored(org).values())
    # A new mission version: the old labels stay on their ideas but no longer teach.
    save_mission(org.store, org.id, MISSION, ["compressors"], ["food, drinks and recipes"], "test", aligner)
    score_ideas(org.store, org.id, aligner)
    assert_same(stored(org), eager(org, aligner))
    assert not any("reviewer marked" in v["why"] for v in stored(org).values())
    assert {row["effective_tier"] for row in list_inbox(org.store, org.id) if row["id"] == ids[1]} == {"off"}
    # Labels given under the new version teach again, in the stored pass as in the eager one.
    override_tier(org.store, org.id, ids[20], "core", "our own spare part", "rev")
    override_tier(org.store, org.id, ids[21], "off", "a canteen matter", "rev")
    score_ideas(org.store, org.id, aligner)
    assert_same(stored(org), eager(org, aligner))


def test_the_process_keeps_the_ideas_vectors_as_int8_codes(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner)
    assert corridor_state.kept_ideas(org.store, org.id, aligner) is None
    score_ideas(org.store, org.id, aligner)
    kept = corridor_state.kept_ideas(org.store, org.id, aligner)
    assert kept is not None and set(ids) <= set(kept.ids)  # the org fixture brings two ideas of its own
    dimensions = aligner.embedder.dimensions
    assert kept.vectors.codes.dtype == np.int8 and kept.vectors.shape == (len(kept.ids), dimensions)
    float_bytes = len(kept.ids) * dimensions * 4
    assert kept.vectors.nbytes <= float_bytes / 4 + 4 * len(kept.ids)


def test_added_and_edited_ideas_are_scored_like_a_fresh_process_would(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner)
    score_ideas(org.store, org.id, aligner)
    org.store.upsert(
        "ideas",
        org.id,
        [
            {"id": ids[3], "text": "Recycle the coffee beans into compost"},
            {"id": "R-NEW", "text": "Test the compressor noise"},
        ],
    )
    score_ideas(org.store, org.id, aligner)  # the kept pass, adjusted by two ideas
    fresh = store_aligner(org.store, HashingEmbedder())
    assert_same(stored(org), eager(org, fresh))


class BrokenEmbedder(HashingEmbedder):
    """Embeds the mission, then fails on the ideas (a model that dies half-way)."""

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        if len(texts) > 20:
            raise EmbeddingError("the model process died")
        return super().embed_batch(texts)


def test_a_failed_rescore_changes_no_verdict(org: Any, aligner: Any) -> None:
    seed(org, aligner)
    score_ideas(org.store, org.id, aligner)
    before = org.store.verdicts(org.id, latest_only=False)
    save_mission(org.store, org.id, MISSION, ["ice makers"], [], "test", aligner)
    org.store.upsert(
        "ideas",
        org.id,
        [{"id": f"N-{i}", "text": f"Brand new idea number {i} about vans"} for i in range(30)],
    )
    broken = store_aligner(org.store, BrokenEmbedder())
    with pytest.raises(EmbeddingError):
        score_ideas(org.store, org.id, broken)
    assert org.store.verdicts(org.id, latest_only=False) == before


def test_array_verdicts_match_one_at_a_time() -> None:
    thresholds = Thresholds(core=2.0, adjacent=1.0)
    rng = np.random.default_rng(3)
    z = rng.normal(1.2, 1.5, 500)
    ez = rng.normal(1.0, 1.5, 500)
    for has in (True, False):
        scores, tiers = judge_many(z, thresholds, ez if has else np.full(500, -np.inf), has)
        for i in range(500):
            score, tier, _ = judge(float(z[i]), thresholds, float(ez[i]) if has else float("-inf"), has)
            assert scores[i] == score
            assert ("core", "adjacent", "off")[tiers[i]] == tier.value


def test_kept_word_counts_give_the_same_boilerplate() -> None:
    texts = [f"Manufacturing of {w} for fridges" for w in "abcdefghijklmnop"] + ["Don’t stop", "Bolts"]
    counts = word_document_counts(texts)
    assert (
        boilerplate_from_counts(counts, len(texts))
        == boilerplate_words(texts)
        == {"manufacturing", "fridges"}
    )
    assert boilerplate_from_counts(counts, 5) == frozenset()  # too few texts to tell


def test_a_bad_history_setting_stops_a_rescore_before_it_scores(
    org: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(org, aligner)
    score_ideas(org.store, org.id, aligner)
    before = org.store.verdicts(org.id, latest_only=False)
    misses = aligner.embedder.misses
    monkeypatch.setenv("HOSHIN_VERDICT_HISTORY", "zero")
    with pytest.raises(ConfigError, match="HOSHIN_VERDICT_HISTORY must be a whole number"):
        score_ideas(org.store, org.id, aligner)
    assert org.store.verdicts(org.id, latest_only=False) == before
    assert aligner.embedder.misses == misses
