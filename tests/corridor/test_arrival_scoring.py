"""An idea that arrives is scored against the kept outcome of the last full pass, not with every
stored idea again, and gets the verdict a full re-score would give it (service/corridor_state.py)."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest

from hoshin.service.corridor import override_tier, score_ideas, score_new_ideas
from hoshin.service.corridor_state import (
    SCORING_COLUMNS,
    SMALL_ORGANISATION,
    CorridorState,
    full_pass,
    kept_ideas,
    kept_state,
    review_counts,
    scoring_rows,
    state_for,
    stored_pass,
)
from hoshin.service.missions import current_model, save_mission

MISSION = "We make reliable refrigerators for families, built by skilled people who care for the planet."
ACTIONS = ["Redesign", "Test", "Source", "Recycle", "Insulate", "Quieten", "Repair", "Price", "Ship", "Paint"]
SUBJECTS = ["door seals", "compressor", "shelves", "coffee beans", "fleet vans", "canteen menu", "ice maker"]


def idea_texts(n: int) -> list[str]:
    pairs = itertools.islice(itertools.product(ACTIONS, SUBJECTS), n)
    return [f"{verb} the {subject} (idea {i})" for i, (verb, subject) in enumerate(pairs)]


def add_ideas(org: Any, texts: list[str], prefix: str = "A") -> list[str]:
    ids = [f"{prefix}-{i:03d}" for i in range(len(texts))]
    org.store.upsert("ideas", org.id, [{"id": i, "text": t} for i, t in zip(ids, texts, strict=True)])
    return ids


def latest(org: Any, idea_id: str) -> dict[str, Any]:
    return [v for v in org.store.verdicts(org.id, "idea") if v["record_id"] == idea_id][-1]


def with_scored_ideas(org: Any, aligner: Any) -> Any:
    """The org with its mission and 60 more ideas, all scored in one full pass."""
    save_mission(org.store, org.id, MISSION, ["door seals"], [], "ana", aligner)
    add_ideas(org, idea_texts(60))
    score_ideas(org.store, org.id, aligner)
    return org


@pytest.fixture
def scored(org: Any, aligner: Any) -> Any:
    return with_scored_ideas(org, aligner)


def test_an_arrival_gets_the_verdict_a_full_rescore_gives_it(scored: Any, aligner: Any) -> None:
    org = scored
    lowest = min(score_ideas(org.store, org.id, aligner), key=lambda v: v["score"])
    # A twin of the weakest idea cannot join the batch's best ideas, so a full pass over the
    # batch with it would learn exactly what the kept pass learnt.
    twin = org.store.get("ideas", org.id, lowest["id"])["text"]
    org.store.upsert("ideas", org.id, [{"id": "NEW-1", "text": twin}])
    assert score_new_ideas(org.store, org.id, ["NEW-1"], aligner) == 1
    on_arrival = latest(org, "NEW-1")
    score_ideas(org.store, org.id, aligner)
    rescored = latest(org, "NEW-1")
    assert (on_arrival["tier"], on_arrival["theme"]) == (rescored["tier"], rescored["theme"])
    assert on_arrival["score"] == pytest.approx(rescored["score"], abs=1e-6)
    assert on_arrival["why"] == rescored["why"]


def label_two_tiers(org: Any) -> None:
    for idea_id in ("A-003", "A-010", "A-017"):
        override_tier(org.store, org.id, idea_id, "core", "our own spare part", "bo")
    for idea_id in ("A-006", "A-013"):
        override_tier(org.store, org.id, idea_id, "off", "a canteen matter", "bo")


def test_an_arrival_is_placed_among_the_labels_as_a_full_rescore_places_it(scored: Any, aligner: Any) -> None:
    org = scored
    label_two_tiers(org)
    score_ideas(org.store, org.id, aligner)
    for n, text in enumerate(["Repair the door seals (idea 900)", "Ship the coffee beans (idea 901)"]):
        org.store.upsert("ideas", org.id, [{"id": f"NEW-{n}", "text": text}])
        assert score_new_ideas(org.store, org.id, [f"NEW-{n}"], aligner) == 1
    on_arrival = [latest(org, "NEW-0"), latest(org, "NEW-1")]
    score_ideas(org.store, org.id, aligner)
    rescored = [latest(org, "NEW-0"), latest(org, "NEW-1")]
    for got, want in zip(on_arrival, rescored, strict=True):
        # The kept pass placed the arrival among the labels: the same tier and theme as a full
        # pass, and a score within what one more idea moves the batch's spread.
        assert (got["tier"], got["theme"]) == (want["tier"], want["theme"])
        assert got["score"] == pytest.approx(want["score"], abs=0.02)


def test_an_arrival_reuses_the_kept_pass(scored: Any, aligner: Any) -> None:
    org = scored
    org.store.upsert("ideas", org.id, [{"id": "NEW-1", "text": "Quieten the compressor at night"}])
    state, fresh = state_for(org.store, org.id, aligner, current_model(org.store, org.id, aligner))
    assert fresh is None  # no full pass: one more idea is well within the kept pass's reach
    assert state.counts[0] == 62  # the two ideas the org started with and the 60 added


def test_an_override_growth_or_a_new_mission_forces_a_full_pass(scored: Any, aligner: Any) -> None:
    org = scored

    def needs_full_pass() -> bool:
        model = current_model(org.store, org.id, aligner)
        return state_for(org.store, org.id, aligner, model)[1] is not None

    override_tier(org.store, org.id, "A-000", "off", "not our business", "bo")
    assert needs_full_pass()  # the reviewers' votes changed
    assert not needs_full_pass()  # ...and the new pass is kept
    add_ideas(org, idea_texts(8), prefix="B")  # 62 -> 70 ideas: more than a tenth more
    assert needs_full_pass()
    save_mission(org.store, org.id, MISSION, ["door seals", "compressors"], [], "ana", aligner)
    assert needs_full_pass()


def test_a_small_organisation_always_gets_a_full_pass(org: Any, aligner: Any) -> None:
    save_mission(org.store, org.id, MISSION, [], [], "ana", aligner)
    add_ideas(org, idea_texts(SMALL_ORGANISATION - 10))
    model = current_model(org.store, org.id, aligner)
    assert state_for(org.store, org.id, aligner, model)[1] is not None
    assert state_for(org.store, org.id, aligner, model)[1] is not None


def test_a_kept_pass_expires_with_age(scored: Any, aligner: Any) -> None:
    org = scored
    model = current_model(org.store, org.id, aligner)
    state, _ = state_for(org.store, org.id, aligner, model)
    counts = org.store.idea_review_counts(org.id)
    assert isinstance(state, CorridorState) and state.current(model, counts, state.built_at + 1)
    assert not state.current(model, counts, state.built_at + 3600)


def test_the_server_refreshes_a_grown_state_without_making_a_request_wait(scored: Any, aligner: Any) -> None:
    org = scored
    model = current_model(org.store, org.id, aligner)
    old, _ = state_for(org.store, org.id, aligner, model)
    add_ideas(org, idea_texts(10), prefix="B")  # 62 -> 72 ideas: grown, still the same corridor
    state, fresh = state_for(org.store, org.id, aligner, model, refresh_in_background=True)
    assert state is old and fresh is None  # answered from the kept pass at once
    deadline = time.monotonic() + 30
    while kept_state(org.store, org.id, aligner) is old and time.monotonic() < deadline:
        time.sleep(0.05)
    newer = kept_state(org.store, org.id, aligner)
    assert newer is not None and newer is not old and newer.counts[0] == 72  # the thread's pass
    # The thread made a stored pass: the ideas it kept let the next pass read only what changed.
    deadline = time.monotonic() + 30
    while (kept := kept_ideas(org.store, org.id, aligner)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kept is not None and len(kept.ids) == 72


def test_the_background_refreshs_stored_pass_scores_arrivals_like_a_full_pass(
    scored: Any, aligner: Any
) -> None:
    org = scored
    label_two_tiers(org)
    model = current_model(org.store, org.id, aligner)
    ideas = scoring_rows(org.store, org.id)
    _, full = full_pass(aligner, model, ideas, review_counts(ideas))
    rows = org.store.columns("ideas", org.id, SCORING_COLUMNS)
    light = stored_pass(aligner, org.store, org.id, model, rows).state  # what the refresh thread keeps
    assert light.counts == full.counts
    assert light.labels is not None and full.labels is not None
    assert (light.labels.ids, light.labels.tiers) == (full.labels.ids, full.labels.tiers)
    assert light.labels.centre == pytest.approx(full.labels.centre, abs=1e-6)
    arrivals = [{"id": "X-1", "text": "Repair the door seals"}, {"id": "X-2", "text": "Ship coffee beans"}]
    assert [v.as_dict() for v in light.score(aligner, arrivals)] == [
        v.as_dict() for v in full.score(aligner, arrivals)
    ]


def test_the_server_counts_the_ideas_at_most_once_a_moment(
    scored: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hoshin.service.corridor_state as corridor_state

    # The count's age is read on a clock the test moves, so a slow machine (adding ten ideas
    # embeds them) cannot age the count past the moment by itself.
    clock = [1000.0]
    monkeypatch.setattr(corridor_state, "_count_clock", lambda: clock[0])
    monkeypatch.setattr(corridor_state, "COUNTS_MAX_AGE_S", 0.5)
    org = scored
    model = current_model(org.store, org.id, aligner)
    old, _ = state_for(org.store, org.id, aligner, model, refresh_in_background=True)  # counts 62
    add_ideas(org, idea_texts(10), prefix="C")
    clock[0] += 0.2
    state, _ = state_for(org.store, org.id, aligner, model, refresh_in_background=True)
    assert state is old  # within the moment: the count of a moment ago stands, no refresh started
    assert kept_state(org.store, org.id, aligner) is old
    clock[0] += 0.4
    state_for(org.store, org.id, aligner, model, refresh_in_background=True)  # counted again: 72
    deadline = time.monotonic() + 30
    while kept_state(org.store, org.id, aligner) is old and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kept_state(org.store, org.id, aligner).counts[0] == 72
    # An override made here is never hidden by a recent count: it drops the state at once.
    override_tier(org.store, org.id, "A-003", "core", "our own spare part", "bo")
    assert kept_state(org.store, org.id, aligner) is None
