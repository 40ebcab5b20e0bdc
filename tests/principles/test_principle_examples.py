"""Examples an organisation adds to a principle: checked on input, stored with the mission, used by
the principles check (a close text takes the example's stance and the reason names the example)."""

from __future__ import annotations

import pytest

from hoshin.domain.principle_examples import ExampleMatch, clean_examples, with_example
from hoshin.embedding import HashingEmbedder
from hoshin.errors import InputError
from hoshin.service import brand
from hoshin.service.corridor import store_aligner
from hoshin.service.missions import save_mission
from hoshin.service.texts import check_principles, default_embedder
from support import api_csrf

SAFETY = "We never trade safety for cost."
EXAMPLE = {"text": "Let the crane operators work twelve-hour shifts", "stance": "contradicts"}
TEXT = "Crane operators will work twelve-hour shifts next month."


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ([{"text": " ", "stance": "contradicts"}], "principle P1, example 1: the text is empty"),
        ([EXAMPLE, {"text": "Add a rail", "stance": "maybe"}], "example 2: unknown stance 'maybe'"),
        ([{"text": "x" * 301, "stance": "supports"}], "keep it under 300"),
        ([{"text": f"Example {n}", "stance": "supports"} for n in range(21)], "keep at most 20"),
        ("skip tests", "examples must be a list"),
    ],
)
def test_invalid_examples_are_refused_naming_principle_example_and_fix(examples, message) -> None:
    with pytest.raises(InputError, match=message):
        clean_examples("P1", examples)


def test_an_example_never_overrides_a_reading_in_the_other_direction_silently() -> None:
    reading = {"verdict": "supports", "evidence": "s", "why": "'s' strengthens what the principle protects."}
    match = ExampleMatch("s", "Skip the second test", "contradicts", 0.9)
    judged = with_example(reading, match)
    assert judged["verdict"] == "supports"
    assert "close to the example 'Skip the second test'" in judged["why"] and "reading" in judged["why"]
    # a sentence that keeps what an example gives up is not taken for it, however close
    keeps = ExampleMatch(
        "Keep spare parts for fifteen years.", "Stop stocking spare parts", "contradicts", 0.84
    )
    unrelated = {"verdict": "unrelated", "evidence": None, "why": "Shares no subject."}
    assert with_example(unrelated, keeps) == unrelated


@pytest.mark.model
def test_an_example_turns_an_unrelated_text_into_a_contradiction_naming_it() -> None:
    embedder = default_embedder("minilm")
    rows = [{"id": "T1", "text": TEXT}, {"id": "T2", "text": "We repainted the canteen walls."}]
    plain = check_principles("We build cranes.", [{"id": "P1", "text": SAFETY}], rows, embedder)
    taught = check_principles(
        "We build cranes.", [{"id": "P1", "text": SAFETY, "examples": [EXAMPLE]}], rows, embedder
    )
    assert [r["verdict"] for r in plain] == ["unrelated", "unrelated"]
    assert [r["verdict"] for r in taught] == ["contradicts", "unrelated"]
    assert taught[0]["evidence"] == TEXT
    assert f"close to the example '{EXAMPLE['text']}' that the organisation gave" in taught[0]["why"]


def _mission(org):
    aligner = store_aligner(org.store, HashingEmbedder())
    save_mission(org.store, org.id, "We make reliable refrigerators.", None, None, "tests", aligner)
    return aligner


def test_examples_are_stored_with_the_principle_and_invalid_ones_change_nothing(org) -> None:
    aligner = _mission(org)
    items = [{"id": "P1", "text": SAFETY, "examples": [EXAMPLE]}, {"id": "P2", "text": "We repair."}]
    brand.save_principles(org.store, org.id, items, "tests", aligner)
    stored = org.store.mission(org.id)["principles"]
    assert stored[0]["examples"] == [EXAMPLE] and "examples" not in stored[1]
    version = org.store.mission(org.id)["version"]
    bad = [{"id": "P1", "text": SAFETY, "examples": [EXAMPLE, {"text": "Skip it", "stance": "bad"}]}]
    with pytest.raises(InputError, match="principle P1, example 2: unknown stance 'bad'; use one of"):
        brand.save_principles(org.store, org.id, bad, "tests", aligner)
    with pytest.raises(InputError, match="principle P1, example 1: the text is empty"):
        save_mission(
            org.store, org.id, "We make fridges.", None, None, "tests", aligner,
            principles=[{"id": "P1", "text": SAFETY, "examples": [{"text": "", "stance": "supports"}]}],
        )  # fmt: skip
    assert org.store.mission(org.id)["version"] == version
    assert org.store.mission(org.id)["principles"] == stored


def test_old_principles_without_examples_read_and_check_as_before(org) -> None:
    aligner = _mission(org)
    old = [{"id": "P1", "text": SAFETY, "rationale": "", "owner": None}]
    save_mission(org.store, org.id, "We make fridges.", None, None, "tests", aligner, principles=old)
    assert org.store.mission(org.id)["principles"] == old  # stored as given: no migration needed
    assert brand.principles(org.store, org.id)[0]["examples"] == []
    records = [{"kind": "ideas", "id": "I-9", "text": "Skip the pressure test to cut costs."}]
    flags = brand.principle_flags(org.store, org.id, records, aligner)
    assert [f["principle"] for f in flags] == ["P1"]


def test_api_round_trip_of_examples(org) -> None:
    _mission(org)
    client = org.client("strategist")
    client.headers.update(api_csrf(client))
    body = {"principles": [{"id": "P1", "text": SAFETY, "examples": [EXAMPLE]}]}
    saved = client.put("/api/v1/principles", json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()[0]["examples"] == [EXAMPLE]
    assert client.get("/api/v1/principles").json()[0]["examples"] == [EXAMPLE]
    wrong = {"principles": [{"id": "P1", "text": SAFETY, "examples": [{"text": "x", "stance": "maybe"}]}]}
    refused = client.put("/api/v1/principles", json=wrong)
    assert refused.status_code == 422 and "stance" in refused.text
    schema = client.get("/api/v1/openapi.json")
    if schema.status_code == 200:
        assert "PrincipleExampleIn" in schema.text
