"""With the real model, on both stores: a reworded idea is grouped with its twin, and an idea on
the same topic that proposes something else is not (issue 20, item 4)."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.service.corridor import store_aligner
from hoshin.service.duplicates import DEFAULT_THRESHOLD, find_duplicate_groups, similar_ideas

STEEL = "Use recycled steel for the outer cabinet"
REWORDED = "Build the fridge case from recycled sheet metal"
STRANGERS = [
    "Paint the outer cabinet in a matte finish",  # the same part, another change
    "Insulate the cabinet walls with thicker foam",
    "Make the fridge door from recycled glass",  # the same material idea for another part
]


@pytest.fixture
def model_aligner(org: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "minilm")
    return store_aligner(org.store)


def add(org: Any, texts: list[str]) -> None:
    org.store.upsert("ideas", org.id, [{"id": f"I-T{n}", "text": t} for n, t in enumerate(texts)])


@pytest.mark.model
def test_the_issues_rewording_is_grouped_and_the_same_topic_strangers_are_not(
    org: Any, model_aligner: Any
) -> None:
    add(org, [STEEL, REWORDED, *STRANGERS])
    groups = find_duplicate_groups(org.store, org.id, model_aligner)
    assert [g["ids"] for g in groups] == [["I-T0", "I-T1"]]
    link = groups[0]["links"][0]
    assert link["score"] >= DEFAULT_THRESHOLD > 0.0
    # The reason names the words behind the link: the shared one and the close pair.
    assert "'recycled'" in link["reason"] and "'steel' ~ 'metal'" in link["reason"]


@pytest.mark.model
def test_a_new_idea_shows_its_twin_and_not_the_stranger_as_a_twin(org: Any, model_aligner: Any) -> None:
    add(org, [STEEL, *STRANGERS])
    found = similar_ideas(org.store, org.id, model_aligner, REWORDED, k=5)
    by_text = {f["text"]: f for f in found}
    assert found[0]["text"] == STEEL and found[0]["twin"]
    assert not any(by_text[s]["twin"] for s in STRANGERS if s in by_text)
    # The stranger sharing 'recycled' and 'fridge' is told apart by what each says besides.
    assert "the rest differs" in by_text[STRANGERS[2]]["reason"]


@pytest.mark.model
def test_the_same_sentence_with_another_material_and_part_is_not_a_twin(org: Any, model_aligner: Any) -> None:
    swapped = "Use recycled plastic for the door shelves"  # the issue's stranger: one frame, other content
    add(org, [swapped, "Run the compressors on a variable-speed drive"])
    found = similar_ideas(org.store, org.id, model_aligner, STEEL, k=2)
    stranger = next(f for f in found if f["text"] == swapped)
    assert stranger["cosine"] >= DEFAULT_THRESHOLD  # close enough by cosine to be judged at all
    assert not stranger["twin"] and stranger["score"] < DEFAULT_THRESHOLD
    assert "the same wording around other words" in stranger["reason"]
