"""The demo organisation follows the shared file format: keys, types, allowed values, unique ids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

OPTIONAL_STR = (str, type(None))
NUMBER = (int, float)

# Every record kind with its exact fields and the types each may hold.
SCHEMA: dict[str, dict[str, Any]] = {
    "units": {"id": str, "name": str, "parent_id": OPTIONAL_STR, "description": str},
    "people": {"id": str, "name": str, "unit_id": str, "email": str, "title": str, "profile": str},
    "knowledge_areas": {"id": str, "name": str, "description": str, "weight": NUMBER},
    "skills": {"person_id": str, "area_id": str, "level": int, "skill_text": OPTIONAL_STR},
    "goals": {
        "id": str,
        "text": str,
        "unit_id": str,
        "level": int,
        "parent_ids": list,
        "owner_id": str,
        "period": str,
        "metric": str,
        "start": NUMBER,
        "target": NUMBER,
        "current": NUMBER,
    },
    "ideas": {
        "id": str,
        "text": str,
        "source": str,
        "author_id": OPTIONAL_STR,
        "unit_id": str,
        "tags": list,
        "links": list,
        "status": str,
        "submitted_at": str,
    },
    "documents": {"id": str, "title": str, "text": str, "area_ids": list},
    "communications": {"id": str, "title": str, "text": str, "channel": str, "voice": str, "date": str},
    "users": {
        "username": str,
        "password": str,
        "role": str,
        "unit_id": OPTIONAL_STR,
        "person_id": OPTIONAL_STR,
    },
}
PRINCIPLE = {"id": str, "text": str, "rationale": str, "owner": str}
BRAND_ATTRIBUTE = {"name": str, "source_phrase": str}

IDEA_SOURCES = {"employee", "customer", "partner", "research", "hackathon"}
IDEA_STATUSES = {"new", "triaged", "under_review", "accepted", "rejected", "parked"}
CHANNEL_VOICE = {
    "web": "internal",
    "press": "internal",
    "ad": "internal",
    "job_post": "internal",
    "review": "outside",
    "press_outside": "outside",
    "social": "outside",
}
ROLES = {"admin", "strategist", "unit_manager", "contributor", "viewer"}


def record_problems(record: dict[str, Any], fields: dict[str, Any]) -> list[str]:
    """Missing or unexpected keys and values of the wrong type, as readable strings."""
    problems = [f"missing {k}" for k in fields if k not in record]
    problems += [f"unexpected {k}" for k in record if k not in fields]
    for key, kind in fields.items():
        value = record.get(key)
        if key in record and (not isinstance(value, kind) or isinstance(value, bool)):
            problems.append(f"{key} has type {type(value).__name__}")
        if isinstance(value, str) and not value.strip() and key not in ("skill_text",):
            problems.append(f"{key} is blank")
    return problems


def test_top_level_keys_are_exactly_the_contract(demo: dict[str, Any]) -> None:
    assert set(demo) == {"organisation", "mission", *SCHEMA}
    assert demo["organisation"] == {"id": "frostline", "name": "Frostline Appliances"}


def test_mission_has_text_corridor_principles_and_brand(demo: dict[str, Any]) -> None:
    mission = demo["mission"]
    assert set(mission) == {"text", "focus_areas", "exclusions", "principles", "brand_attributes"}
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", mission["text"].strip()) if s]
    assert 2 <= len(sentences) <= 4
    assert 4 <= len(mission["focus_areas"]) <= 6
    assert 2 <= len(mission["exclusions"]) <= 4
    assert all(isinstance(x, str) and x.strip() for x in mission["focus_areas"] + mission["exclusions"])
    assert 4 <= len(mission["principles"]) <= 5
    assert 4 <= len(mission["brand_attributes"]) <= 5
    for principle in mission["principles"]:
        assert record_problems(principle, PRINCIPLE) == [], principle
    for attribute in mission["brand_attributes"]:
        assert record_problems(attribute, BRAND_ATTRIBUTE) == [], attribute


def test_each_brand_attribute_quotes_the_mission(demo: dict[str, Any]) -> None:
    text = demo["mission"]["text"].lower()
    for attribute in demo["mission"]["brand_attributes"]:
        assert attribute["source_phrase"].lower() in text, attribute["name"]


@pytest.mark.parametrize("kind", sorted(SCHEMA))
def test_every_record_has_the_contract_fields_and_types(demo: dict[str, Any], kind: str) -> None:
    bad = {i: p for i, r in enumerate(demo[kind]) if (p := record_problems(r, SCHEMA[kind]))}
    assert bad == {}


def test_record_check_reports_missing_extra_and_mistyped_fields() -> None:
    good = {"id": "D1", "title": "T", "text": "x", "area_ids": []}
    assert record_problems(good, SCHEMA["documents"]) == []
    broken = {"id": "D1", "title": "  ", "text": 3, "extra": 1}
    assert sorted(record_problems(broken, SCHEMA["documents"])) == [
        "missing area_ids",
        "text has type int",
        "title is blank",
        "unexpected extra",
    ]
    # a bool is an int to Python but never a valid level or metric value
    skill = {"person_id": "p", "area_id": "a", "level": True, "skill_text": None}
    assert record_problems(skill, SCHEMA["skills"]) == ["level has type bool"]


@pytest.mark.parametrize(
    "kind,key",
    [
        ("units", "id"),
        ("people", "id"),
        ("knowledge_areas", "id"),
        ("goals", "id"),
        ("ideas", "id"),
        ("documents", "id"),
        ("communications", "id"),
        ("users", "username"),
        ("people", "email"),
    ],
)
def test_ids_are_unique_per_kind(demo: dict[str, Any], kind: str, key: str) -> None:
    values = [r[key] for r in demo[kind]]
    assert len(values) == len(set(values))


def test_principle_ids_and_skill_pairs_are_unique(demo: dict[str, Any]) -> None:
    ids = [p["id"] for p in demo["mission"]["principles"]]
    assert len(ids) == len(set(ids))
    pairs = [(s["person_id"], s["area_id"]) for s in demo["skills"]]
    assert len(pairs) == len(set(pairs)), "a person has two rows for the same area"


def test_values_come_from_the_allowed_sets(demo: dict[str, Any]) -> None:
    assert {i["source"] for i in demo["ideas"]} == IDEA_SOURCES
    assert {i["status"] for i in demo["ideas"]} == IDEA_STATUSES
    assert {c["channel"] for c in demo["communications"]} == set(CHANNEL_VOICE)
    for message in demo["communications"]:
        assert message["voice"] == CHANNEL_VOICE[message["channel"]], message["id"]
    assert all(1 <= s["level"] <= 5 for s in demo["skills"])
    assert all(0 < a["weight"] <= 2 for a in demo["knowledge_areas"])
    assert all(re.fullmatch(r"[a-z.]+@frostline\.example", p["email"]) for p in demo["people"])
    for idea in demo["ideas"]:
        assert all(isinstance(t, str) and t for t in idea["tags"]), idea["id"]


def test_dates_are_iso_and_spread_over_2025_and_2026(demo: dict[str, Any]) -> None:
    idea_days = [dt.date.fromisoformat(i["submitted_at"]) for i in demo["ideas"]]
    message_days = [dt.date.fromisoformat(c["date"]) for c in demo["communications"]]
    for days in (idea_days, message_days):
        assert {d.year for d in days} == {2025, 2026}
        assert sum(d.year == 2025 for d in days) >= len(days) // 4
        assert sum(d.year == 2026 for d in days) >= len(days) // 4


def test_goal_metrics_show_progress_between_start_and_target(demo: dict[str, Any]) -> None:
    for goal in demo["goals"]:
        low, high = sorted((goal["start"], goal["target"]))
        assert goal["start"] != goal["target"], goal["id"]
        assert low <= goal["current"] <= high, goal["id"]


def test_users_cover_every_role_with_the_documented_demo_passwords(demo: dict[str, Any]) -> None:
    users = {u["username"]: u for u in demo["users"]}
    assert {u["role"] for u in users.values()} == ROLES
    expected = {
        "admin": ("demo-admin", "admin", None),
        "strategist": ("demo-strategist", "strategist", None),
        "rd-manager": ("demo-manager", "unit_manager", "U-RD"),
        "sales-manager": ("demo-manager", "unit_manager", "U-SAL"),
        "contributor": ("demo-contributor", "contributor", None),
        "viewer": ("demo-viewer", "viewer", None),
    }
    assert set(users) == set(expected)
    for name, (password, role, unit) in expected.items():
        assert users[name]["password"] == password and users[name]["role"] == role
        if unit:
            assert users[name]["unit_id"] == unit


@pytest.mark.parametrize(
    "kind,low,high",
    [
        ("units", 7, 8),
        ("people", 28, 34),
        ("knowledge_areas", 18, 24),
        ("skills", 60, 80),
        ("goals", 36, 44),
        ("ideas", 140, 160),
        ("documents", 18, 24),
        ("communications", 26, 34),
    ],
)
def test_counts_match_the_brief(demo: dict[str, Any], kind: str, low: int, high: int) -> None:
    assert low <= len(demo[kind]) <= high


def test_company_root_has_six_top_level_units(demo: dict[str, Any]) -> None:
    roots = [u for u in demo["units"] if u["parent_id"] is None]
    assert len(roots) == 1
    children = {u["name"] for u in demo["units"] if u["parent_id"] == roots[0]["id"]}
    assert children == {
        "Research & Development",
        "Manufacturing",
        "Quality",
        "Purchasing",
        "Sales",
        "Marketing",
    }


def test_every_unit_has_people(demo: dict[str, Any]) -> None:
    staffed = {p["unit_id"] for p in demo["people"]}
    assert staffed == {u["id"] for u in demo["units"]}
