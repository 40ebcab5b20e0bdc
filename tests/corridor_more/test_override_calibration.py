"""Learning from overrides (pure): the nearest overridden ideas vote; cut points follow the reviewers."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.override_calibration import Cuts, OverrideVote, fit_cuts, tier_codes_for, tier_for


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


def _vote_by_hand(
    vote: OverrideVote, row: np.ndarray, engine: str, own: int | None
) -> tuple[str, int | None]:
    """The rule as the module states it, one idea at a time: the k nearest overrides at least
    min_similarity close vote with their cosine, the engine with engine_weight; ties go to the
    engine's tier, then core > adjacent > off."""
    sims = vote.vectors @ row
    order = [j for j in np.argsort(-sims, kind="stable") if j != own][: vote.k]
    weight = {"core": 0.0, "adjacent": 0.0, "off": 0.0}
    weight[engine] += vote.engine_weight
    for j in order:
        if sims[j] >= vote.min_similarity:
            weight[vote.tiers[j]] += float(sims[j])
    top = max(weight.values())
    winner = (
        engine if weight[engine] == top else next(t for t in ("core", "adjacent", "off") if weight[t] == top)
    )
    if winner == engine:
        return winner, None
    voters = [j for j in order if vote.tiers[j] == winner and sims[j] >= vote.min_similarity]
    return winner, max(voters, key=lambda j: sims[j])


def test_the_array_vote_follows_the_rule_for_many_ideas_in_chunks() -> None:
    rng = np.random.default_rng(7)
    centres = _unit(rng.standard_normal((6, 16)))
    overrides = _unit(centres[rng.integers(0, 6, 40)] + 0.35 * rng.standard_normal((40, 16)))
    vote = OverrideVote(overrides, tuple(rng.choice(["core", "adjacent", "off"], 40)))
    ideas = _unit(centres[rng.integers(0, 6, 500)] + 0.5 * rng.standard_normal((500, 16)))
    ideas[:40] = overrides  # the overridden ideas themselves, each excluded from its own vote
    engine = list(rng.choice(["core", "adjacent", "off"], 500))
    own = [n if n < 40 else None for n in range(500)]
    codes = np.array([("core", "adjacent", "off").index(t) for t in engine], dtype=np.int8)
    won, neighbour = vote.apply_codes(ideas, codes, np.array([-1 if o is None else o for o in own]), chunk=64)
    results = vote.apply(ideas, engine, own)
    changed = 0
    for n in range(500):
        tier, twin = _vote_by_hand(vote, ideas[n], engine[n], own[n])
        assert (results[n].tier, results[n].neighbour) == (tier, twin)
        assert (("core", "adjacent", "off")[won[n]], None if neighbour[n] < 0 else neighbour[n]) == (
            tier,
            twin,
        )
        changed += tier != engine[n]
    assert 20 < changed < 480  # the case exercises both outcomes


def test_tier_codes_for_scores_agree_with_tier_for_one_at_a_time() -> None:
    cuts = Cuts(core=0.775, adjacent=0.55)
    scores = np.array([0.0, 0.549, 0.55, 0.6, 0.7749, 0.775, 1.0])
    codes = tier_codes_for(scores, cuts)
    assert [("core", "adjacent", "off")[c] for c in codes] == [tier_for(s, cuts) for s in scores]
