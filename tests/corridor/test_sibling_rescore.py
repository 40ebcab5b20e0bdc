"""The stored re-score caps a sibling product as one batch's triage does: the same tier, score and
reason ("Adjacent at most: dishwashers are another kind of home appliance ...") on every path."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.service.corridor import list_inbox, score_ideas
from hoshin.service.corridor_state import full_pass, review_counts, scoring_rows
from hoshin.service.missions import current_model, save_mission

MISSION = "We make reliable quiet refrigerators for families."
IDEAS = [
    "Reliable quiet dishwashers for families",
    "Reliable quiet refrigerators for small families",
    "Door seals for quiet refrigerators",
    "Emulsifier that keeps mayonnaise stable",
    "Sponsorship of a football club",
    "Tax optimisation for holding companies",
    "Loyalty card app for a coffee chain",
    "A cookbook of Belgian desserts",
    "Office furniture leasing",
    "Organic fertiliser for greenhouses",
    "Hiking boots for long trails",
    "Car loan refinancing",
]


def test_the_stored_pass_caps_a_sibling_as_triage_does(org: Any, aligner: Any) -> None:
    save_mission(org.store, org.id, MISSION, [], [], "test", aligner)
    ids = [f"S-{n:02d}" for n in range(len(IDEAS))]
    org.store.upsert("ideas", org.id, [{"id": i, "text": t} for i, t in zip(ids, IDEAS, strict=True)])
    returned = {row["id"]: row for row in score_ideas(org.store, org.id, aligner)}
    ideas = scoring_rows(org.store, org.id)
    verdicts, _ = full_pass(aligner, current_model(org.store, org.id, aligner), ideas, review_counts(ideas))
    eager = {idea["id"]: v.as_dict() for idea, v in zip(ideas, verdicts, strict=True)}
    stored = {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}
    inbox = {row["id"]: row for row in list_inbox(org.store, org.id)}
    sibling = eager["S-00"]
    assert sibling["tier"] == "adjacent" and sibling["why"].startswith("Adjacent at most: dishwashers")
    assert eager["S-01"]["tier"] == "core"  # the product itself is not capped
    for got in (returned, stored, inbox):
        for idea_id, want in eager.items():
            assert got[idea_id]["tier"] == want["tier"], idea_id
            assert got[idea_id]["score"] == pytest.approx(want["score"], abs=2e-4), idea_id
            assert got[idea_id]["why"] == want["why"], idea_id
