"""Learning from overrides (pure): the nearest overridden ideas vote; cut points follow the reviewers."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.override_calibration import Cuts, OverrideVote, fit_cuts, tier_for


def _unit(a: np.ndarray) -> np.ndarray:
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


def test_a_close_override_moves_the_tier_and_a_far_one_does_not() -> None:
    e = np.eye(4)
    vote = OverrideVote(np.stack([e[0], e[1]]), ("adjacent", "off"))
    near = _unit(e[0] + 0.3 * e[2])  # cosine 0.96 to the adjacent override
    far = e[3]
    results = vote.apply(np.stack([near, far]), ["core", "core"])
    assert results[0].tier == "adjacent" and results[0].changed and results[0].neighbour == 0
    assert results[1].tier == "core" and not results[1].changed


def test_an_idea_does_not_vote_for_itself() -> None:
    e = np.eye(3)
    vote = OverrideVote(e[:1], ("off",))
    assert vote.apply(e[:1], ["core"], exclude=[0])[0].tier == "core"
    assert vote.apply(e[:1], ["core"])[0].tier == "off"


def test_votes_refuse_bad_overrides() -> None:
    with pytest.raises(ValueError, match="unknown tier"):
        OverrideVote(np.eye(2), ("core", "great"))
    with pytest.raises(ValueError):
        OverrideVote(np.eye(2), ("core",))
    assert OverrideVote(np.zeros((0, 2)), ()).apply(np.eye(2), ["off", "core"])[1].tier == "core"


def test_fitted_cuts_follow_a_stricter_reviewer_and_need_enough_overrides() -> None:
    scores = [0.9, 0.8, 0.75, 0.72, 0.6, 0.5, 0.3, 0.1]
    reviewer = ["core", "core", "adjacent", "adjacent", "adjacent", "off", "off", "off"]
    cuts = fit_cuts(scores, reviewer)
    assert [tier_for(s, cuts) for s in scores] == reviewer
    assert cuts.core == pytest.approx(0.775) and cuts.adjacent == pytest.approx(0.55)
    assert fit_cuts(scores[:3], reviewer[:3]) == Cuts()  # too few to move anything
    agreeing = [tier_for(s, Cuts()) for s in scores]
    assert fit_cuts(scores, agreeing) == Cuts()  # agreement keeps the shipped cuts
