"""The Repository's narrow reads return exactly what the full reads hold, only less of it.

Each test runs on SQLite and PostgreSQL (the `loaded` fixture holds the small CoolCo organisation).
"""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.errors import InputError

ORG = "coolco"


def _second_org(repo: Any) -> None:
    """Another organisation reusing CoolCo's ids, so a read that forgets the organisation shows."""
    repo.create_organisation("other", "Other Co")
    repo.upsert("units", "other", [{"id": "U-CO", "name": "Other root"}])
    repo.upsert("people", "other", [{"id": "p02", "name": "Not Ben", "unit_id": "U-CO"}])
    repo.upsert("knowledge_areas", "other", [{"id": "K-THERMO", "name": "Other thermo"}])
    repo.upsert("skills", "other", [{"person_id": "p02", "area_id": "K-THERMO", "level": 1}])
    repo.upsert(
        "goals",
        "other",
        [{"id": "G-C1", "text": "Other goal", "unit_id": "U-CO", "owner_id": "p02", "level": 1}],
    )


# ---------------------------------------------------------------------------- columns


def test_columns_match_the_full_rows_sorted_by_key(loaded: Any) -> None:
    _second_org(loaded)
    narrow = loaded.columns("goals", ORG, ["id", "unit_id", "text"])
    full = loaded.rows("goals", ORG)
    assert narrow == [(g["id"], g["unit_id"], g["text"]) for g in full]
    assert [r[0] for r in narrow] == ["G-C1", "G-K1", "G-U1"]
    assert loaded.columns("goals", "other", ["text"]) == [("Other goal",)]


def test_columns_keep_the_order_asked_for_and_two_part_keys(loaded: Any) -> None:
    assert loaded.columns("units", ORG, ("name", "id")) == [
        ("CoolCo", "U-CO"),
        ("Thermal Lab", "U-LAB"),
        ("Research & Development", "U-RD"),
    ]
    # skills are keyed by (person_id, area_id): sorted by person, then area
    assert loaded.columns("skills", ORG, ["person_id", "area_id", "level"]) == [
        ("p01", "K-FOOD", 2),
        ("p02", "K-THERMO", 4),
    ]


def test_columns_of_an_empty_or_unknown_organisation_are_empty(repo: Any) -> None:
    repo.create_organisation("empty", "Empty")
    assert repo.columns("ideas", "empty", ["id"]) == []
    assert repo.columns("ideas", "nobody", ["id"]) == []


@pytest.mark.parametrize(
    ("kind", "names", "message"),
    [
        ("goalz", ["id"], "unknown record kind"),
        ("goals", ["id", "nope"], "'nope'"),
        ("goals", ["parent_ids"], "'parent_ids'"),  # a list field, not a column
        ("goals", ["organisation_id"], "'organisation_id'"),
        ("users", ["username", "password_hash"], "'password_hash'"),  # hidden stays hidden
        ("goals", [], "at least one column"),
    ],
)
def test_columns_refuse_what_is_not_a_readable_column(
    loaded: Any, kind: str, names: list[str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        loaded.columns(kind, ORG, names)


def test_columns_see_uncommitted_writes_inside_a_transaction(loaded: Any) -> None:
    with loaded.transaction():
        loaded.upsert("units", ORG, [{"id": "U-NEW", "name": "New", "parent_id": "U-CO"}])
        assert ("U-NEW", "New") in loaded.columns("units", ORG, ["id", "name"])


# ---------------------------------------------------------------------------- verdicts


def test_verdict_summaries_keep_the_newest_verdict_per_record(loaded: Any) -> None:
    def verdict(score: float, tier: str, theme: str) -> dict[str, Any]:
        return {"score": score, "tier": tier, "theme": theme, "why": "test"}

    loaded.save_verdicts(ORG, "goal", [("G-C1", verdict(0.2, "off", "old"))], model_id="m", mission_version=1)
    loaded.save_verdicts(
        ORG,
        "goal",
        [("G-C1", verdict(0.9, "core", "new")), ("G-U1", verdict(0.5, "adjacent", "t"))],
        model_id="m",
        mission_version=1,
    )
    loaded.save_verdicts(ORG, "idea", [("I001", verdict(0.7, "core", "i"))], model_id="m", mission_version=1)
    loaded.create_organisation("other", "Other")
    loaded.save_verdicts(
        "other", "goal", [("G-K1", verdict(0.1, "off", "x"))], model_id="m", mission_version=1
    )

    found = loaded.verdict_summaries(ORG, ["goal", "brand", "goal"])
    assert set(found) == {"goal", "brand"}  # every kind asked for, once; nothing else
    assert found["brand"] == {}
    assert found["goal"] == {
        "G-C1": {"score": pytest.approx(0.9), "tier": "core", "theme": "new", "mission_version": 1},
        "G-U1": {"score": pytest.approx(0.5), "tier": "adjacent", "theme": "t", "mission_version": 1},
    }
    # the same newest verdicts the full read gives
    full = {v["record_id"]: v["tier"] for v in loaded.verdicts(ORG, "goal")}
    assert {k: v["tier"] for k, v in found["goal"].items()} == full
    assert loaded.verdict_summaries(ORG, []) == {}


# ---------------------------------------------------------------------------- goals


def _brief(goal: dict[str, Any]) -> dict[str, Any]:
    return {k: goal[k] for k in ("id", "text", "level", "unit_id", "owner_id", "parent_ids")}


def test_goals_by_ids_match_get_and_skip_unknown_ids(loaded: Any) -> None:
    _second_org(loaded)
    found = loaded.goals_by_ids(ORG, ["G-K1", "G-C1", "G-NOPE", "G-K1"])
    assert list(found) == ["G-C1", "G-K1"]
    for goal_id, goal in found.items():
        assert goal == _brief(loaded.get("goals", ORG, goal_id))
    assert found["G-K1"]["parent_ids"] == ["G-C1", "G-U1"]
    assert found["G-C1"]["parent_ids"] == []
    assert loaded.goals_by_ids(ORG, []) == {}


def test_goals_of_an_owner_a_set_of_units_or_both(loaded: Any) -> None:
    _second_org(loaded)
    assert list(loaded.goals_of(ORG, owner="p02")) == ["G-K1", "G-U1"]
    assert list(loaded.goals_of(ORG, units={"U-RD", "U-LAB"})) == ["G-K1", "G-U1"]
    assert list(loaded.goals_of(ORG, owner="p02", units=["U-LAB"])) == ["G-K1"]
    assert list(loaded.goals_of(ORG, owner="p01", units=["U-LAB"])) == []
    assert loaded.goals_of(ORG, owner="nobody") == {}
    assert loaded.goals_of(ORG, units=[]) == {}
    everything = loaded.goals_of(ORG)
    assert list(everything.values()) == [_brief(g) for g in loaded.rows("goals", ORG)]


def test_goals_by_ids_read_more_ids_than_one_query_takes(repo: Any) -> None:
    # The ids go to the database in chunks: a long list must come back whole.
    repo.create_organisation("big", "Big")
    repo.upsert("units", "big", [{"id": "U", "name": "U"}])
    goals = [{"id": f"G{i:04d}", "text": f"goal {i}", "unit_id": "U", "level": 2} for i in range(1203)]
    goals[0]["level"] = 1
    for goal in goals[1:]:
        goal["parent_ids"] = ["G0000"]
    repo.upsert("goals", "big", goals)
    found = repo.goals_by_ids("big", [g["id"] for g in goals])
    assert len(found) == 1203
    assert found["G1202"]["parent_ids"] == ["G0000"]
    assert len(repo.goals_of("big", units=["U"])) == 1203


# ---------------------------------------------------------------------------- skills


def test_skills_of_these_people_only(loaded: Any) -> None:
    _second_org(loaded)
    assert loaded.skills_of(ORG, ["p02"]) == [{"person_id": "p02", "area_id": "K-THERMO", "level": 4}]
    assert loaded.skills_of(ORG, {"p02", "p01", "p99"}) == [
        {"person_id": "p01", "area_id": "K-FOOD", "level": 2},
        {"person_id": "p02", "area_id": "K-THERMO", "level": 4},
    ]
    assert loaded.skills_of(ORG, []) == []
    assert loaded.skills_of("other", ["p02"]) == [{"person_id": "p02", "area_id": "K-THERMO", "level": 1}]


# ---------------------------------------------------------------------------- existing keys


def test_existing_keys_name_only_stored_ids_of_this_organisation(loaded: Any) -> None:
    _second_org(loaded)
    asked = ["G-C1", "G-NOPE", "G-K1", "", "G-C1"]
    assert loaded.existing_keys("goals", ORG, asked) == {"G-C1", "G-K1"}
    assert loaded.existing_keys("goals", "other", asked) == {"G-C1"}
    assert loaded.existing_keys("goals", ORG, []) == set()
    with pytest.raises(InputError, match="two-part key"):
        loaded.existing_keys("skills", ORG, ["p02"])


def test_existing_keys_look_up_more_ids_than_one_query_takes(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    repo.upsert("units", "o", [{"id": f"U{n:04d}", "name": f"Unit {n}"} for n in range(0, 1_300, 2)])
    asked = [f"U{n:04d}" for n in range(1_300)]
    assert repo.existing_keys("units", "o", asked) == {f"U{n:04d}" for n in range(0, 1_300, 2)}
