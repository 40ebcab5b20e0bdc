"""The corridor service on a stored organisation: missions with themes, verdicts, preview, override, inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corridor.support import state
from hoshin.embedding import HashingEmbedder
from hoshin.errors import InputError, NotFoundError
from hoshin.service.corridor import list_inbox, override_tier, preview_corridor, score_ideas, store_aligner
from hoshin.service.importing import import_file
from hoshin.service.missions import current_model, save_mission

MISSION = "We make reliable refrigerators for families, built by skilled people who care for the planet."


def test_saved_mission_keeps_its_themes_and_is_audited(org: Any, aligner: Any) -> None:
    stored = save_mission(org.store, org.id, MISSION, ["door seals"], ["recipes"], "ana", aligner)
    assert stored["version"] == 2 and stored["created_by"] == "ana"
    names = [t["name"] for t in stored["themes"]]
    assert names and all(set(t) == {"name", "text", "kind"} for t in stored["themes"])
    assert any("refrigerators" in n for n in names)
    event = org.store.audit_events(org.id)[-1]
    assert (event["action"], event["record_id"], event["username"]) == ("mission.create", "2", "ana")
    model = current_model(org.store, org.id, aligner)
    assert [t.name for t in model.themes] == names
    assert (model.focus_areas, model.exclusions, model.version) == (("door seals",), ("recipes",), 2)


def test_current_model_uses_the_stored_themes_not_a_fresh_extraction(org: Any, aligner: Any) -> None:
    themes = [{"name": "cold chain", "text": "keeping food cold", "kind": "what"}]
    org.store.add_mission_version(org.id, MISSION, themes=themes, created_by="test")
    assert [(t.name, t.text) for t in current_model(org.store, org.id, aligner).themes] == [
        ("cold chain", "keeping food cold")
    ]


@pytest.mark.parametrize(
    ("text", "focus", "exclusions", "problem"),
    [
        ("   ", [], [], "empty"),
        (MISSION, ["recipes"], ["recipes"], "both a focus area and an exclusion"),
        ("x" * 20_001, [], [], "longer than"),
    ],
)
def test_bad_mission_is_refused_and_nothing_is_stored(
    org: Any, aligner: Any, text: str, focus: list[str], exclusions: list[str], problem: str
) -> None:
    before = state(org)
    with pytest.raises(InputError, match=problem):
        save_mission(org.store, org.id, text, focus, exclusions, "ana", aligner)
    assert state(org) == before


def test_no_mission_means_a_clear_error(org: Any, aligner: Any) -> None:
    org.store.create_organisation(f"{org.id}-empty", "Empty")
    with pytest.raises(NotFoundError, match="no mission yet"):
        score_ideas(org.store, f"{org.id}-empty", aligner)


def test_score_ideas_stores_one_verdict_per_idea_with_version_and_model(org: Any, aligner: Any) -> None:
    stored = score_ideas(org.store, org.id, aligner)
    assert sorted(v["id"] for v in stored) == ["I-1", "I-2"]
    rows = {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}
    assert set(rows) == {"I-1", "I-2"}
    for row in rows.values():
        assert row["mission_version"] == 1 and row["model_id"] == "hashing-v1"
        assert 0.0 <= row["score"] <= 1.0 and row["tier"] in ("core", "adjacent", "off")
        assert row["theme"] and row["why"]


def test_unknown_idea_id_scores_nothing(org: Any, aligner: Any) -> None:
    before = state(org)
    with pytest.raises(NotFoundError, match="I-NOPE"):
        score_ideas(org.store, org.id, aligner, ["I-1", "I-NOPE"])
    assert state(org) == before


def test_rescore_after_a_corridor_change_embeds_no_idea_again(org: Any) -> None:
    # Texts of this test only: the PostgreSQL database (and its vector cache) is shared by the session.
    org.store.upsert("ideas", org.id, [{"id": "I-3", "text": f"Idea {org.tag}: a fan that never stops"}])
    first = store_aligner(org.store, HashingEmbedder())
    score_ideas(org.store, org.id, first)
    assert first.embedder.misses >= 1  # at least the new idea had to be embedded
    focus, exclusion = f"door seals {org.tag}", f"sport {org.tag}"
    text = "To make refrigerators that never let food spoil."
    save_mission(org.store, org.id, text, [focus], [exclusion], "a", first)
    again = store_aligner(org.store, HashingEmbedder())  # a new process: only the store remembers
    stored = score_ideas(org.store, org.id, again)
    assert {v["mission_version"] for v in stored} == {2}
    assert again.embedder.misses == 2  # the new focus area and exclusion, nothing else


def test_preview_names_tier_changes_and_saves_nothing(org: Any, aligner: Any) -> None:
    score_ideas(org.store, org.id, aligner)
    before = state(org)
    idea = org.store.get("ideas", org.id, "I-2")
    changes = preview_corridor(org.store, org.id, aligner, [idea["text"]], [])
    assert state(org) == before
    assert [c["id"] for c in changes] == ["I-2"]
    assert changes[0]["before"]["tier"] != "core" and changes[0]["after"]["tier"] == "core"
    assert preview_corridor(org.store, org.id, aligner, [], []) == []  # the current corridor changes nothing


def test_preview_refuses_a_text_where_a_list_belongs(org: Any, aligner: Any) -> None:
    with pytest.raises(InputError, match="focus_areas"):
        preview_corridor(org.store, org.id, aligner, "door seals", [])  # type: ignore[arg-type]


def test_override_is_kept_next_to_the_engine_verdict_and_audited(org: Any, aligner: Any) -> None:
    score_ideas(org.store, org.id, aligner)
    engine_tier = {v["record_id"]: v["tier"] for v in org.store.verdicts(org.id, "idea")}["I-2"]
    wanted = "core" if engine_tier != "core" else "off"
    row = override_tier(org.store, org.id, "I-2", wanted, "  service contracts keep fridges running ", "bo")
    assert (row["override_tier"], row["override_reason"], row["reviewer"]) == (
        wanted,
        "service contracts keep fridges running",
        "bo",
    )
    assert row["tier"] == engine_tier and row["effective_tier"] == wanted
    event = org.store.audit_events(org.id)[-1]
    assert (event["action"], event["record_id"], event["username"]) == ("idea.override", "I-2", "bo")
    assert event["detail"]["engine_tier"] == engine_tier and event["detail"]["tier"] == wanted
    # A re-score renews the engine's verdict but never drops the reviewer's word.
    score_ideas(org.store, org.id, aligner)
    again = {r["id"]: r for r in list_inbox(org.store, org.id)}["I-2"]
    assert (again["override_tier"], again["effective_tier"]) == (wanted, wanted)


@pytest.mark.parametrize(
    ("idea", "tier", "reason", "error", "match"),
    [
        ("I-1", "maybe", "a reason", InputError, "unknown tier 'maybe'"),
        ("I-1", "core", "   ", InputError, "needs a reason"),
        ("I-1", "core", "x" * 2_001, InputError, "longer than"),
        ("I-NOPE", "core", "a reason", NotFoundError, "I-NOPE"),
    ],
)
def test_bad_override_changes_nothing(
    org: Any, idea: str, tier: str, reason: str, error: type[Exception], match: str
) -> None:
    before = state(org)
    with pytest.raises(error, match=match):
        override_tier(org.store, org.id, idea, tier, reason, "bo")
    assert state(org) == before


def test_inbox_filters_by_tier_theme_status_and_unit_subtree(org: Any, aligner: Any) -> None:
    org.store.upsert(
        "ideas", org.id, [{"id": "I-3", "text": "A quieter fan for the lab", "unit_id": "U-RD-LAB"}]
    )
    org.store.upsert("ideas", org.id, [{"id": "I-1", "status": "triaged"}])
    score_ideas(org.store, org.id, aligner)
    rows = list_inbox(org.store, org.id)
    assert [r["id"] for r in rows] == [r["id"] for r in sorted(rows, key=lambda r: -r["score"])]
    assert {r["id"] for r in list_inbox(org.store, org.id, unit="U-RD")} == {"I-1", "I-3"}
    assert [r["id"] for r in list_inbox(org.store, org.id, status="triaged")] == ["I-1"]
    some = rows[0]
    assert some["id"] in {r["id"] for r in list_inbox(org.store, org.id, tier=some["tier"])}
    assert some["id"] in {r["id"] for r in list_inbox(org.store, org.id, theme=some["theme"].upper())}
    assert list_inbox(org.store, org.id, theme="no such theme") == []
    with pytest.raises(InputError, match="unknown tier"):
        list_inbox(org.store, org.id, tier="great")
    with pytest.raises(InputError, match="unknown status"):
        list_inbox(org.store, org.id, status="done")
    with pytest.raises(NotFoundError):
        list_inbox(org.store, org.id, unit="U-NOPE")


def test_imported_ideas_get_a_verdict_on_arrival_and_unchanged_ones_keep_theirs(
    org: Any, tmp_path: Path
) -> None:
    path = tmp_path / "ideas.csv"
    path.write_text("id,text\nI-9,Replaceable door gaskets sold as spare parts\n", encoding="utf-8")
    import_file(org.store, org.id, "ideas", path, "test")
    assert [v["record_id"] for v in org.store.verdicts(org.id, "idea")] == ["I-9"]
    import_file(org.store, org.id, "ideas", path, "test")  # same text again: nothing new to judge
    assert len(org.store.verdicts(org.id, "idea", latest_only=False)) == 1


def test_ideas_arriving_before_any_mission_are_stored_without_a_verdict(org: Any, tmp_path: Path) -> None:
    other = f"{org.id}-new"
    org.store.create_organisation(other, "New")
    path = tmp_path / "ideas.json"
    path.write_text('[{"id": "I-1", "text": "A fridge that orders milk"}]', encoding="utf-8")
    import_file(org.store, other, "ideas", path, "test")
    assert [i["id"] for i in org.store.rows("ideas", other)] == ["I-1"]
    assert org.store.verdicts(other, "idea") == []
