"""The inbox export (CSV and XLSX) says, for each verdict, whether a reviewer's example decided it
and which labelled idea did; verdicts the engine decided alone say no.

Runs on SQLite and PostgreSQL with the hashing embedder: cosine is word overlap, so an idea sharing
most of its words with a labelled one is placed beside it."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from hoshin.service.corridor import list_inbox, score_ideas
from hoshin.service.corridor_teaching import teach

TEXTS = {
    "T-01": "Door seal gasket that keeps refrigerators cold for fifteen years",
    "T-02": "Door seal gasket that keeps the refrigerator cold and quiet",
    "T-05": "Canteen menu with more vegetarian dishes on Fridays",
    "T-06": "Canteen menu with a salad bar and vegetarian dishes",
    "T-11": "Spare shelves and drawers sold for older refrigerators",
}
COLUMNS_BEFORE = [
    "id",
    "effective_tier",
    "score",
    "tier",
    "theme",
    "status",
    "unit_id",
    "submitted_at",
    "duplicate_group",
    "override_tier",
    "override_reason",
    "text",
    "why",
]


@pytest.fixture
def taught(org: Any, aligner: Any) -> dict[str, dict[str, Any]]:
    """The organisation with labels of three tiers and one idea arriving after them (N-1, a near
    twin of the adjacent label T-11, scored on its own); its inbox rows by id."""
    org.store.upsert("ideas", org.id, [{"id": i, "text": t, "unit_id": "U-RD"} for i, t in TEXTS.items()])
    score_ideas(org.store, org.id, aligner)
    for idea, tier in (("T-01", "core"), ("T-05", "off"), ("T-11", "adjacent")):
        teach(org.store, org.id, aligner, idea, tier, "rev")
    org.store.upsert("ideas", org.id, [{"id": "N-1", "text": "Spare drawers sold for older refrigerators"}])
    score_ideas(org.store, org.id, aligner, ["N-1"])
    return {row["id"]: row for row in list_inbox(org.store, org.id)}


def _decided(rows: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    """Ideas whose verdict an example decided -> the labelled idea that did (from the store)."""
    return {i: r["example_id"] for i, r in rows.items() if r["decided_by_example"]}


def test_stored_verdicts_record_the_example_that_decided_them(taught: dict[str, dict[str, Any]]) -> None:
    decided = _decided(taught)
    # The arrival was scored alone (a verdict row), the rest in the labels' re-score (a batch).
    assert decided["N-1"] == "T-11" and taught["N-1"]["tier"] == "adjacent"
    assert "like T-11 " in taught["N-1"]["why"]
    for idea, row in taught.items():
        # A verdict an example decided names it in its sentence; one the engine decided does not.
        named = "which a reviewer marked" in row["why"]
        assert (row["example_id"] is not None) == named, idea
        if row["example_id"] is not None:
            assert f"like {row['example_id']} " in row["why"]
        if not row["decided_by_example"]:
            assert "reviewers' labels" not in row["why"] and row["example_id"] is None
    assert len(decided) < len(taught)  # the engine's own verdicts are there too


def test_csv_and_xlsx_exports_carry_the_flag_after_the_old_columns(
    org: Any, taught: dict[str, dict[str, Any]]
) -> None:
    client = org.client("viewer", how="token")
    response = client.get("/api/v1/ideas/export?format=csv")
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(response.text))
    assert reader.fieldnames == [*COLUMNS_BEFORE, "decided_by_example", "example_id"]
    rows = {r["id"]: r for r in reader}
    assert set(rows) == set(taught)
    for idea, row in taught.items():
        flag = "True" if row["decided_by_example"] else "False"
        assert (rows[idea]["decided_by_example"], rows[idea]["example_id"]) == (flag, row["example_id"] or "")
    assert rows["N-1"]["decided_by_example"] == "True" and rows["N-1"]["example_id"] == "T-11"
    assert {"True", "False"} <= {r["decided_by_example"] for r in rows.values()}

    xlsx = client.get("/api/v1/ideas/export?format=xlsx")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True).active
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == [*COLUMNS_BEFORE, "decided_by_example", "example_id"]
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in cells}
    for idea, row in taught.items():
        assert by_id[idea]["decided_by_example"] is row["decided_by_example"]
        assert by_id[idea]["example_id"] == row["example_id"]
    # Filters and refusals are as they were.
    off = client.get("/api/v1/ideas/export?format=csv&tier=off").text
    assert all(r["effective_tier"] == "off" for r in csv.DictReader(io.StringIO(off)))
    assert client.get("/api/v1/ideas/export?format=pdf").status_code == 422
    assert org.client().get("/api/v1/ideas/export?format=csv").status_code == 401


def test_an_untaught_organisation_exports_no_example_decisions(org: Any, aligner: Any) -> None:
    org.store.upsert("ideas", org.id, [{"id": i, "text": t} for i, t in TEXTS.items()])
    score_ideas(org.store, org.id, aligner)
    text = org.client("viewer", how="token").get("/api/v1/ideas/export?format=csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {(r["decided_by_example"], r["example_id"]) for r in rows} == {("False", "")}


def test_undoing_the_labels_clears_the_flag(org: Any, aligner: Any, taught: dict[str, Any]) -> None:
    from hoshin.service.corridor_teaching import undo_label

    for idea in ("T-11", "T-05", "T-01"):
        undo_label(org.store, org.id, aligner, idea, "rev")
    score_ideas(org.store, org.id, aligner)
    assert _decided({r["id"]: r for r in list_inbox(org.store, org.id)}) == {}


def test_the_rest_idea_list_carries_the_flag_too(org: Any, taught: dict[str, dict[str, Any]]) -> None:
    response = org.client("viewer", how="token").get("/api/v1/ideas", params={"limit": 50})
    assert response.status_code == 200, response.text
    listed = {row["id"]: row for row in response.json()}
    assert set(listed) == set(taught)
    for idea, row in taught.items():
        assert listed[idea]["decided_by_example"] == bool(row["decided_by_example"]), idea
        assert listed[idea]["example_id"] == row["example_id"], idea
    assert listed["N-1"]["decided_by_example"] is True and listed["N-1"]["example_id"] == "T-11"
