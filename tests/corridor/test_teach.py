"""Teaching the corridor: reviewers label ideas (teach labels and overrides alike), every label
re-scores, an undo takes it back, and the Teach page asks for the labels that teach most.

Runs on SQLite and PostgreSQL with the hashing embedder: cosine is word overlap, so ideas that share
most words with a labelled one are its near twins."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.support import state
from hoshin.errors import InputError, NotFoundError
from hoshin.service.audit import record_event
from hoshin.service.corridor import list_inbox, score_ideas
from hoshin.service.corridor_teaching import SETTLED_AFTER, teach, teach_page, undo_label
from support import csrf_of

TEXTS = {
    "T-01": "Door seal gasket that keeps refrigerators cold for fifteen years",
    "T-02": "Door seal gasket that keeps the refrigerator cold and quiet",
    "T-03": "Quieter compressor for refrigerators in small kitchens",
    "T-04": "Compressor self test that warns before a refrigerator fails",
    "T-05": "Canteen menu with more vegetarian dishes on Fridays",
    "T-06": "Canteen menu with a salad bar and vegetarian dishes",
    "T-07": "Company car fleet moved to electric vans",
    "T-08": "Electric vans for the sales fleet",
    "T-09": "Recipe app that suggests meals from what is in the fridge",
    "T-10": "Recipe videos for the food kept in a fridge",
    "T-11": "Spare shelves and drawers sold for older refrigerators",
    "T-12": "Repair service for refrigerator shelves and drawers",
}


@pytest.fixture
def ideas(org: Any, aligner: Any) -> dict[str, str]:
    org.store.upsert("ideas", org.id, [{"id": i, "text": t, "unit_id": "U-RD"} for i, t in TEXTS.items()])
    score_ideas(org.store, org.id, aligner)
    return TEXTS


def tiers(org: Any) -> dict[str, str]:
    return {i: tier for i, (_, tier, _) in org.store.newest_scores(org.id, "idea").items()}


def events(org: Any, action: str) -> list[dict[str, Any]]:
    return [e for e in org.store.audit_events(org.id) if e["action"] == action]


def test_one_tier_labelled_leaves_the_engines_verdicts(org: Any, aligner: Any, ideas: Any) -> None:
    engine = tiers(org)
    done = teach(org.store, org.id, aligner, "T-01", "core", "rev")
    assert done["changed"] == 0 and tiers(org) == engine
    assert done["idea"]["effective_tier"] == "core"  # the reviewer's tier shows on the idea at once


def test_labels_of_two_tiers_move_verdicts_and_undo_takes_them_back(
    org: Any, aligner: Any, ideas: Any
) -> None:
    engine = tiers(org)
    teach(org.store, org.id, aligner, "T-01", "core", "rev")
    before = tiers(org)
    done = teach(org.store, org.id, aligner, "T-05", "off", "rev")
    after = tiers(org)
    # The count the reviewer is shown is the number of other ideas whose stored tier changed.
    moved = sorted(i for i in after if i != "T-05" and after[i] != before[i])
    assert (done["changed"], done["changed_ids"]) == (len(moved), moved)
    idea = org.store.get("ideas", org.id, "T-05")
    assert (idea["override_tier"], idea["reviewer"], idea["override_version"]) == ("off", "rev", 1)
    # The labelled ideas' twins follow the labels, their reasons naming the labelled idea.
    verdicts = {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}
    for twin, label, tier in (("T-02", "T-01", "core"), ("T-06", "T-05", "off")):
        assert verdicts[twin]["tier"] == tier
        if engine[twin] != tier:
            assert f"like {label} " in verdicts[twin]["why"]
    relearned = events(org, "corridor.relearn")
    assert [e["detail"]["changed"] for e in relearned] == [0, done["changed"]]
    assert [e["record_id"] for e in events(org, "idea.label")] == ["T-01", "T-05"]
    # Undo: the label is gone, audited, and the verdicts are the one-label verdicts again.
    undone = undo_label(org.store, org.id, aligner, "T-05", "rev")
    assert org.store.get("ideas", org.id, "T-05")["override_tier"] is None
    assert tiers(org) == before == engine
    assert undone["changed"] == done["changed"]
    assert events(org, "idea.unlabel")[0]["detail"]["tier"] == "off"


def test_an_override_teaches_like_a_label(org: Any, aligner: Any, ideas: Any) -> None:
    from hoshin.service.corridor import override_tier

    override_tier(org.store, org.id, "T-01", "core", "our core product", "rev", aligner)
    row = override_tier(org.store, org.id, "T-07", "off", "fleet is facilities", "rev", aligner)
    assert (row["override_tier"], row["effective_tier"]) == ("off", "off")
    assert tiers(org)["T-08"] == "off"  # the twin of the overridden idea follows it
    assert [e["detail"]["cause"] for e in events(org, "corridor.relearn")] == ["idea.override"] * 2
    rows = {r["id"]: r for r in list_inbox(org.store, org.id, tier="off")}
    assert "T-07" in rows and rows["T-07"]["override_reason"] == "fleet is facilities"


@pytest.mark.parametrize(
    ("idea", "tier", "error", "words"),
    [
        ("T-01", "central", InputError, "unknown tier 'central'"),
        ("T-99", "core", NotFoundError, "T-99"),
    ],
)
def test_a_bad_label_changes_nothing(
    org: Any, aligner: Any, ideas: Any, idea: str, tier: str, error: type, words: str
) -> None:
    before = state(org)
    with pytest.raises(error, match=words):
        teach(org.store, org.id, aligner, idea, tier, "rev")
    assert state(org) == before


def test_undo_of_an_unlabelled_or_unknown_idea_changes_nothing(org: Any, aligner: Any, ideas: Any) -> None:
    before = state(org)
    with pytest.raises(InputError, match="no reviewer's tier"):
        undo_label(org.store, org.id, aligner, "T-03", "rev")
    with pytest.raises(NotFoundError):
        undo_label(org.store, org.id, aligner, "T-99", "rev")
    assert state(org) == before


def test_the_page_asks_for_typical_ideas_first_then_the_least_certain(
    org: Any, aligner: Any, ideas: Any
) -> None:
    page = teach_page(org.store, org.id, aligner)
    assert not page["learning"] and page["labels"] == {"core": 0, "adjacent": 0, "off": 0, "earlier": 0}
    asked = page["suggestions"]
    assert asked and all(s["confidence"] is None for s in asked)
    assert asked[0]["asked"].startswith("the most typical")
    assert any(s["asked"].startswith("close to the engine's line") for s in asked)
    teach(org.store, org.id, aligner, "T-01", "core", "rev")
    teach(org.store, org.id, aligner, "T-05", "off", "rev")
    page = teach_page(org.store, org.id, aligner)
    assert page["learning"] and page["labels"]["core"] == 1 and page["labels"]["off"] == 1
    ids = [s["id"] for s in page["suggestions"]]
    assert "T-01" not in ids and "T-05" not in ids  # labelled ideas are not asked about again
    # After the most typical idea of a tier nobody labelled yet (adjacent), the least certain first.
    assert [s["asked"].startswith("the most typical") for s in page["suggestions"]][:2] == [True, False]
    sure = [s["confidence"] for s in page["suggestions"][1:]]
    assert sure == sorted(sure) and all(
        s["asked"].startswith("the corridor is only") for s in page["suggestions"][1:]
    )
    assert [r["idea"] for r in page["recent"]] == ["T-05", "T-01"]


def test_the_page_stops_asking_when_labels_no_longer_change_verdicts(
    org: Any, aligner: Any, ideas: Any
) -> None:
    with org.store.transaction():
        for idea in ("T-02", "T-03", "T-04")[:SETTLED_AFTER]:
            detail = {"cause": "idea.label", "idea": idea, "changed": 0, "changed_ids": []}
            record_event(org.store, org.id, "rev", "corridor.relearn", "corridor", idea, detail)
    page = teach_page(org.store, org.id, aligner)
    assert page["settled"] and page["suggestions"] == []
    assert f"last {SETTLED_AFTER} labels changed no other idea's tier" in page["message"]


def test_a_new_mission_version_retires_the_labels(org: Any, aligner: Any, ideas: Any) -> None:
    from hoshin.service.missions import save_mission

    teach(org.store, org.id, aligner, "T-01", "core", "rev")
    teach(org.store, org.id, aligner, "T-05", "off", "rev")
    mission = org.store.mission(org.id)
    save_mission(org.store, org.id, mission["text"], ["door seals"], [], "ana", aligner)
    score_ideas(org.store, org.id, aligner)
    page = teach_page(org.store, org.id, aligner)
    assert page["labels"] == {"core": 0, "adjacent": 0, "off": 0, "earlier": 2} and not page["learning"]
    assert not any("reviewer marked" in v["why"] for v in org.store.verdicts(org.id, "idea"))


def test_a_principle_or_brand_edit_keeps_the_labels_teaching(org: Any, aligner: Any, ideas: Any) -> None:
    from hoshin.service.brand import save_brand_attributes, save_principles

    teach(org.store, org.id, aligner, "T-01", "core", "rev")
    teach(org.store, org.id, aligner, "T-05", "off", "rev")
    taught = tiers(org)
    save_principles(
        org.store, org.id, [{"id": "P1", "text": "We never trade safety for cost."}], "ana", aligner
    )
    mission = org.store.mission(org.id)
    save_brand_attributes(
        org.store, org.id, [{"name": "Durable", "source_phrase": mission["text"].split()[0]}], "ana", aligner
    )
    score_ideas(org.store, org.id, aligner)
    page = teach_page(org.store, org.id, aligner)
    # Same statement and corridor: the labels still teach the version two edits later.
    assert page["labels"] == {"core": 1, "adjacent": 0, "off": 1, "earlier": 0}
    assert tiers(org) == taught
    assert org.store.get("ideas", org.id, "T-05")["override_version"] == org.store.mission(org.id)["version"]
    carried = [e["detail"].get("overrides_carried") for e in events(org, "mission.create")]
    assert carried[-2:] == [2, 2]  # the audit trail says the tiers moved on, at each edit


# ---- REST ---------------------------------------------------------------------------------------


def test_api_lists_suggestions_labels_and_undoes(org: Any, ideas: Any) -> None:
    client = org.client("strategist", how="token")
    page = client.get("/api/v1/corridor/teach?limit=3")
    assert page.status_code == 200, page.text
    assert len(page.json()["suggestions"]) == 3 and page.json()["settled"] is False
    done = client.post("/api/v1/corridor/teach", json={"idea": "T-01", "tier": "core"})
    assert done.status_code == 200, done.text
    assert done.json()["idea"]["effective_tier"] == "core" and done.json()["changed"] == 0
    undone = client.post("/api/v1/corridor/teach/undo", json={"idea": "T-01"})
    assert undone.status_code == 200 and undone.json()["idea"]["override_tier"] is None
    assert "/api/v1/corridor/teach" in client.get("/openapi.json").json()["paths"]


def test_api_refuses_bad_labels_and_viewers_and_changes_nothing(org: Any, ideas: Any) -> None:
    client = org.client("strategist", how="token")
    before = state(org)
    assert client.post("/api/v1/corridor/teach", json={"idea": "T-01", "tier": "central"}).status_code == 422
    missing = client.post("/api/v1/corridor/teach", json={"idea": "T-99", "tier": "core"})
    assert missing.status_code == 404 and "T-99" in missing.text
    assert client.post("/api/v1/corridor/teach/undo", json={"idea": "T-03"}).status_code == 422
    viewer = org.client("viewer", how="token")
    assert viewer.get("/api/v1/corridor/teach").status_code == 403
    assert viewer.post("/api/v1/corridor/teach", json={"idea": "T-01", "tier": "core"}).status_code == 403
    # A unit manager labels ideas of their own unit only.
    manager = org.client("unit_manager", how="token")
    assert manager.post("/api/v1/corridor/teach", json={"idea": "I-2", "tier": "off"}).status_code == 403
    assert state(org) == before


# ---- the page -----------------------------------------------------------------------------------


def test_teach_page_labels_with_one_click_and_says_what_changed(org: Any, ideas: Any) -> None:
    client = org.client("strategist")
    assert 'href="/ideas/teach"' in client.get("/ideas").text
    page = client.get("/ideas/teach")
    assert page.status_code == 200 and "Teach the corridor" in page.text
    assert 'action="/ideas/teach/label"' in page.text and 'value="core"' in page.text
    token = csrf_of(page.text)
    before = state(org)
    forged = client.post("/ideas/teach/label", data={"idea": "T-01", "tier": "core"}, follow_redirects=False)
    assert forged.status_code == 403 and state(org) == before
    bad = client.post("/ideas/teach/label", data={"idea": "T-01", "tier": "central", "csrf_token": token})
    assert bad.status_code == 422 and "unknown tier" in bad.text and state(org) == before
    done = client.post("/ideas/teach/label", data={"idea": "T-01", "tier": "core", "csrf_token": token})
    assert done.status_code == 200 and "Idea T-01 is labelled core: no other idea changed tier." in done.text
    done = client.post("/ideas/teach/label", data={"idea": "T-05", "tier": "off", "csrf_token": token})
    changed = events(org, "corridor.relearn")[-1]["detail"]["changed"]
    assert "Idea T-05 is labelled off" in done.text
    assert (f"{changed} other idea" in done.text) if changed else ("no other idea changed" in done.text)
    undone = client.post("/ideas/teach/undo", data={"idea": "T-05", "csrf_token": token})
    assert "The label on idea T-05 is undone" in undone.text
    assert org.store.get("ideas", org.id, "T-05")["override_tier"] is None


def test_teach_page_is_hidden_from_viewers(org: Any, ideas: Any) -> None:
    viewer = org.client("viewer")
    assert 'href="/ideas/teach"' not in viewer.get("/ideas").text
    assert viewer.get("/ideas/teach").status_code == 403
