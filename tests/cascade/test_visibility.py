"""A unit manager sees only the goals of their unit and its sub-units, in the REST API and on the
goals page; every other role sees every goal (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

RD_GOALS = {"G-RD", "G-LAB"}
ALL_GOALS = {"G-1", "G-RD", "G-SALES", "G-LAB"}


def _listed(client: Any, **params: Any) -> set[str]:
    response = client.get("/api/v1/goals", params=params)
    assert response.status_code == 200, response.text
    return {g["id"] for g in response.json()}


def _page_rows(client: Any) -> set[str]:
    """The goal ids in the goals page's table (the form below it may name other things)."""
    response = client.get("/goals")
    assert response.status_code == 200, response.text
    body = re.search(r"<tbody>(.*?)</tbody>", response.text, re.S)
    return set(re.findall(r"<tr><td>([^<]+)</td>", body.group(1))) if body else set()


def test_the_rd_manager_lists_only_rd_and_lab_goals(lab_org: Any) -> None:
    client = lab_org.client("unit_manager", how="token")
    assert _listed(client) == RD_GOALS


def test_paging_counts_only_the_goals_the_manager_may_see(lab_org: Any) -> None:
    client = lab_org.client("unit_manager", how="token")
    first, second = _listed(client, limit=1), _listed(client, limit=1, offset=1)
    assert len(first) == 1 and len(second) == 1 and first | second == RD_GOALS
    assert _listed(client, offset=2) == set()


@pytest.mark.parametrize("role", ["admin", "strategist", "contributor", "viewer"])
def test_other_roles_list_every_goal(lab_org: Any, role: str) -> None:
    assert _listed(lab_org.client(role, how="token")) == ALL_GOALS


def test_the_rd_manager_cannot_read_another_units_goal(lab_org: Any) -> None:
    client = lab_org.client("unit_manager", how="token")
    assert client.get("/api/v1/goals/G-LAB").json()["unit_id"] == "U-RD-LAB"
    for other in ("G-SALES", "G-1"):
        response = client.get(f"/api/v1/goals/{other}")
        # 404 like a goal that does not exist, so the answer leaks nothing about other units
        assert response.status_code == 404
        assert other in response.json()["error"]["message"]
        assert "Grow repeat purchases" not in response.text
        assert client.get(f"/api/v1/goals/{other}/checkins").status_code == 404
    assert client.get("/api/v1/goals/G-GHOST").status_code == 404


def test_the_strategist_reads_any_goal(lab_org: Any) -> None:
    client = lab_org.client("strategist", how="token")
    response = client.get("/api/v1/goals/G-SALES")
    assert response.status_code == 200 and response.json()["text"] == "Grow repeat purchases"
    assert client.get("/api/v1/goals/G-SALES/checkins").status_code == 200


def test_a_contributor_of_rd_still_reads_other_units_goals(lab_org: Any) -> None:
    # The restriction follows the role, not the unit: a contributor in U-RD is not a unit manager.
    client = lab_org.client("contributor", how="token")
    assert client.get("/api/v1/goals/G-SALES").status_code == 200


def test_the_goals_page_shows_the_manager_their_units_goals_only(lab_org: Any) -> None:
    manager = lab_org.client("unit_manager")
    assert _page_rows(manager) == RD_GOALS
    page = manager.get("/goals").text
    assert "Grow repeat purchases" not in page and "Halve field failures" not in page
    assert 'href="/goals/G-RD/edit"' in page and 'href="/goals/G-LAB/edit"' in page


def test_the_goals_page_shows_the_strategist_every_goal(lab_org: Any) -> None:
    assert _page_rows(lab_org.client("strategist")) == ALL_GOALS
    assert _page_rows(lab_org.client("viewer")) == ALL_GOALS


def test_a_manager_without_goals_in_their_units_sees_an_empty_list(lab_org: Any) -> None:
    lab_org.store.delete("goals", lab_org.id, "G-LAB")
    moved = {**lab_org.store.get("goals", lab_org.id, "G-RD"), "unit_id": "U-SALES"}
    lab_org.store.upsert("goals", lab_org.id, [moved])
    client = lab_org.client("unit_manager", how="token")
    assert _listed(client) == set()
    assert "No goals yet" in lab_org.client("unit_manager").get("/goals").text


def _exported(client: Any, fmt: str) -> set[str]:
    response = client.get("/api/v1/export/goals", params={"format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "json":
        return {g["id"] for g in response.json()}
    header, *rows = csv.reader(io.StringIO(response.text))
    assert header[0] == "id"
    return {row[0] for row in rows}


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_rd_managers_export_holds_only_rd_and_lab_goals(lab_org: Any, fmt: str) -> None:
    exported = _exported(lab_org.client("unit_manager", how="token"), fmt)
    assert exported == RD_GOALS
    assert _exported(lab_org.client("strategist", how="token"), fmt) == ALL_GOALS
