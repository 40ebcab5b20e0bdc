"""A strategist removes a part-of entry that is wrong for the organisation, and restores it: over
REST and on the mission page, on SQLite and PostgreSQL. The fixture's mission ("To make
refrigerators that never let food spoil.") draws in HS 8414.30, compressors; idea I-1 names a
compressor, so part-of evidence makes it core until the entry is removed."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.support import state
from support import audit_actions, csrf_of

COMPRESSORS = "8414.30"


def _row(rows: list[dict[str, Any]], code: str = COMPRESSORS) -> dict[str, Any]:
    """The listing row of `code` (the mission draws in WordNet's parts and housings of a
    refrigerator too)."""
    return next(r for r in rows if r["code"] == code)


def _why(org: Any, idea: str = "I-1") -> str:
    return {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}[idea]["why"]


def test_removing_an_entry_stops_the_lift_and_restoring_brings_it_back(org: Any) -> None:
    client = org.client("strategist", how="token")
    listed = _row(client.get("/api/v1/mission/part-of").json())
    assert (listed["code"], listed["part"], listed["removed"]) == (COMPRESSORS, "compressors", False)

    removed = client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/remove")
    assert removed.status_code == 200, removed.text
    row = removed.json()
    assert row["removed"] and row["removed_by"] == org.name("strategist") and row["version"] == 2
    mission = org.store.mission(org.id)
    assert [r["code"] for r in mission["removed_parts"]] == [COMPRESSORS]
    assert mission["text"] == "To make refrigerators that never let food spoil."
    # Every idea was re-scored under the new version, and no verdict cites the removed entry.
    assert {v["mission_version"] for v in org.store.verdicts(org.id, "idea")} == {2}
    assert "8414.30" not in _why(org)
    # It stays listed, marked removed, so it can be restored; the analysis shows the same.
    still = _row(client.get("/api/v1/mission/part-of").json())
    assert still["removed"] and still["removed_at"]
    [newest, *_] = client.get("/api/v1/mission/analysis").json()
    assert _row(newest["part_of"])["removed"] is True
    assert ("mission.remove_part", "mission", "2") in audit_actions(org)

    restored = client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json()["removed"] is False and org.store.mission(org.id)["removed_parts"] == []
    assert "HS 2022 8414.30" in _why(org) and ("mission.restore_part", "mission", "3") in audit_actions(org)


def test_a_wordnet_housing_is_listed_with_its_source_and_removed_by_its_code(org: Any) -> None:
    client = org.client("strategist", how="token")
    case = _row(client.get("/api/v1/mission/part-of").json(), "WN30-04190747")
    assert case["source"] == "WordNet 3.0" and "case" in case["part"] and not case["removed"]
    removed = client.post("/api/v1/mission/part-of/WN30-04190747/remove")
    assert removed.status_code == 200, removed.text
    assert [r["code"] for r in org.store.mission(org.id)["removed_parts"]] == ["WN30-04190747"]
    assert client.post("/api/v1/mission/part-of/WN30-04190747/remove").status_code == 409


def test_each_entry_is_listed_as_its_source_ties_it_and_the_page_says_so(org: Any) -> None:
    rows = org.client("strategist", how="token").get("/api/v1/mission/part-of").json()
    assert _row(rows)["link"] == "of a kind used in refrigerating equipment"
    housing = _row(rows, "WN30-04190747")
    # A housing's `use` is WordNet's gloss; it is no product the part is "of a kind used in".
    assert housing["relation"] == "housing" and housing["link"].startswith("a housing: ")
    parts = [r for r in rows if r["relation"] == "part"]
    assert parts and all(r["link"] == f"part of a {r['use']}" for r in parts)
    page = org.client("strategist").get("/mission").text
    assert housing["link"] in page and f"of a kind used in {housing['use']}" not in page


def test_a_code_may_be_given_in_small_letters(org: Any) -> None:
    client = org.client("strategist", how="token")
    removed = client.post("/api/v1/mission/part-of/wn30-04190747/remove")
    assert removed.status_code == 200, removed.text
    assert removed.json()["code"] == "WN30-04190747"
    assert [r["code"] for r in org.store.mission(org.id)["removed_parts"]] == ["WN30-04190747"]


def test_restoring_an_entry_the_mission_no_longer_draws_in_names_its_source(org: Any) -> None:
    client = org.client("strategist", how="token")
    assert client.post("/api/v1/mission/part-of/WN30-04190747/remove").status_code == 200
    body = {"text": "To brew honest beer for our town."}  # names no product with a housing
    assert client.put("/api/v1/mission", json=body).status_code == 200
    restored = client.post("/api/v1/mission/part-of/WN30-04190747/restore")
    assert restored.status_code == 200, restored.text
    row = restored.json()
    assert (row["source"], row["relation"], row["removed"]) == ("WordNet 3.0", "housing", False)
    assert org.store.mission(org.id)["removed_parts"] == []


def test_a_corridor_edit_keeps_a_removal(org: Any) -> None:
    client = org.client("strategist", how="token")
    assert client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/remove").status_code == 200
    body = {"text": "To make refrigerators that never let food spoil.", "exclusions": ["sport"]}
    assert client.put("/api/v1/mission", json=body).status_code == 200
    assert [r["code"] for r in org.store.mission(org.id)["removed_parts"]] == [COMPRESSORS]
    assert "8414.30" not in _why(org)


def test_a_removal_keeps_the_themes_people_gave(org: Any) -> None:
    # An import brought its own themes (generation 0): a removal changes no theme, so it must not
    # replace them with derived ones, nor mark them as derived.
    text = "To make refrigerators that never let food spoil."
    given = [
        {"name": "refrigerators", "text": "refrigerators", "kind": "what"},
        {"name": "cold chain", "text": "cold chain logistics", "kind": "what"},
    ]
    org.store.add_mission_version(org.id, text, themes=given, theme_rules=0)
    client = org.client("strategist", how="token")
    assert client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/remove").status_code == 200
    mission = org.store.mission(org.id)
    assert (mission["themes"], mission["theme_rules"]) == (given, 0)
    assert client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/restore").status_code == 200
    assert org.store.mission(org.id)["themes"] == given


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        ("9999.99", 422, "no entry of the extracts Hoshin ships"),
        ("fridge", 422, "four digits, a dot and two digits"),
        ("4011.10", 422, "not drawn in by this mission"),  # tyres: the mission names no car
    ],
)
def test_a_code_that_is_not_an_entry_of_this_mission_is_refused(
    org: Any, code: str, status: int, words: str
) -> None:
    client = org.client("strategist", how="token")
    before = state(org)
    response = client.post(f"/api/v1/mission/part-of/{code}/remove")
    assert response.status_code == status, response.text
    assert "code" in response.text and words in response.text
    assert state(org) == before


def test_removing_twice_or_restoring_what_is_not_removed_is_a_conflict(org: Any) -> None:
    client = org.client("strategist", how="token")
    before = state(org)
    not_removed = client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/restore")
    assert not_removed.status_code == 409 and "nothing to restore" in not_removed.text
    assert state(org) == before
    assert client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/remove").status_code == 200
    once = state(org)
    twice = client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/remove")
    assert twice.status_code == 409
    assert "removed already" in twice.text and "part-of restore 8414.30" in twice.text
    assert state(org) == once


def test_viewers_see_the_entries_but_may_not_remove_them(org: Any) -> None:
    client = org.client("viewer", how="token")
    assert _row(client.get("/api/v1/mission/part-of").json())["code"] == COMPRESSORS
    before = state(org)
    response = client.post(f"/api/v1/mission/part-of/{COMPRESSORS}/remove")
    assert response.status_code == 403 and "viewer" in response.text
    assert state(org) == before


def test_the_mission_page_removes_and_restores_with_its_buttons(org: Any) -> None:
    client = org.client("strategist")
    page = client.get("/mission").text
    assert 'action="/mission/part-of"' in page and 'value="remove"' in page
    token = csrf_of(page)
    before = state(org)
    forged = client.post("/mission/part-of", data={"code": COMPRESSORS, "action": "remove"})
    assert forged.status_code == 403 and state(org) == before
    done = client.post(
        "/mission/part-of",
        data={"code": COMPRESSORS, "action": "remove", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and "part_of=removed" in done.headers["location"]
    page = client.get("/mission?part_of=removed").text
    assert f"removed by {org.name('strategist')}" in page and 'value="restore"' in page
    assert "Entry removed as a new mission version" in page
    assert "8414.30" not in _why(org)
    again = client.post(
        "/mission/part-of", data={"code": COMPRESSORS, "action": "remove", "csrf_token": token}
    )
    assert again.status_code == 409 and "removed already" in again.text
    restored = client.post(
        "/mission/part-of",
        data={"code": COMPRESSORS, "action": "restore", "csrf_token": token},
        follow_redirects=False,
    )
    assert restored.status_code == 303 and "HS 2022 8414.30" in _why(org)


def test_the_mission_page_refuses_bad_input_and_viewers(org: Any) -> None:
    client = org.client("strategist")
    token = csrf_of(client.get("/mission").text)
    before = state(org)
    for data, words in (
        ({"code": "9999.99", "action": "remove"}, "no entry of the extracts Hoshin ships"),
        ({"code": COMPRESSORS, "action": "delete"}, "press Remove or Restore"),
    ):
        response = client.post("/mission/part-of", data={**data, "csrf_token": token})
        assert response.status_code == 422 and words in response.text
    assert state(org) == before
    viewer = org.client("viewer")
    page = viewer.get("/mission").text
    assert "compressors" in page and 'action="/mission/part-of"' not in page
    refused = viewer.post(
        "/mission/part-of", data={"code": COMPRESSORS, "action": "remove", "csrf_token": csrf_of(page)}
    )
    assert refused.status_code == 403 and state(org) == before


def test_the_analysis_lists_the_siblings_of_the_missions_product(org: Any) -> None:
    client = org.client("strategist", how="token")
    [newest, *_] = client.get("/api/v1/mission/analysis").json()
    appliances = next(row for row in newest["siblings"] if row["group"] == "home appliance")
    assert appliances["product"] == "refrigerators" and appliances["source"] == "WordNet 3.0"
    assert "washing machine" in appliances["kinds"] and "dishwasher" in appliances["kinds"]
    # A part the mission draws in is never listed as a sibling.
    parts = {row["part"] for row in newest["part_of"]}
    assert not parts & {k for row in newest["siblings"] for k in row["kinds"]}
