"""`hoshin cascade report` and `hoshin cascade import-okr` on a stored organisation (SQLite and
PostgreSQL, hashing embedder), and `hoshin cascade check` keeping its batch contract."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.service.verdict_reasons import open_store

MISSION = "To make refrigerators that never let food spoil."
Stored = tuple[str, str, Any]  # database URL, organisation id, store
KINDS = {"orphan", "off-mission", "duplicate", "conflict", "weak-parent"}


@pytest.fixture
def stored(database_url: str) -> Iterator[Stored]:
    """(database URL, organisation id, store): units, three goals and a mission, under a fresh id
    so tests sharing the PostgreSQL database never see each other's rows."""
    org_id = f"org-{uuid.uuid4().hex[:8]}"
    store = open_store(database_url)
    store.create_organisation(org_id, "Frostline Appliances")
    store.upsert(
        "units",
        org_id,
        [
            {"id": "U-CO", "name": "Company", "parent_id": None},
            {"id": "U-RD", "name": "Research", "parent_id": "U-CO"},
            {"id": "U-SALES", "name": "Sales", "parent_id": "U-CO"},
        ],
    )
    store.upsert(
        "goals",
        org_id,
        [
            {"id": "G-1", "text": "Halve field failures of our refrigerators", "unit_id": "U-CO", "level": 1},
            {
                "id": "G-RD",
                "text": "Test every compressor for 5000 hours",
                "unit_id": "U-RD",
                "level": 2,
                "parent_ids": ["G-1"],
            },
            {"id": "G-SALES", "text": "Open a cocktail bar", "unit_id": "U-SALES", "level": 2},
        ],
    )
    store.add_mission_version(org_id, MISSION, created_by="test")
    yield database_url, org_id, store
    store.close()


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_report_prints_the_check_shape_for_the_stored_goals(stored: Stored) -> None:
    url, org_id, store = stored
    result = _run("cascade", "report", "--db", url, "--org", org_id, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["G-1", "G-RD", "G-SALES", "_uncovered"]
    for row in rows[:-1]:
        assert set(row) == {"id", "issues"}
        assert all(issue["kind"] in KINDS and issue["detail"] for issue in row["issues"])
    # G-SALES sits below the top with no parent: the same orphan rule as the batch command.
    assert "orphan" in {issue["kind"] for issue in rows[2]["issues"]}
    assert set(rows[-1]) == {"id", "uncovered_themes", "weak_units", "unit_scores"}
    assert set(rows[-1]["unit_scores"]) == {"U-CO", "U-RD", "U-SALES"}
    # the run leaves one verdict per goal behind, which the strategy pages read
    assert {v["record_id"] for v in store.verdicts(org_id, "goal")} == {"G-1", "G-RD", "G-SALES"}


def test_report_matches_the_batch_check_on_the_same_goals(stored: Stored, tmp_path: Path) -> None:
    url, org_id, _ = stored
    goals = tmp_path / "goals.csv"
    goals.write_text(
        "id,text,level,parent_id,unit\n"
        "G-1,Halve field failures of our refrigerators,1,,U-CO\n"
        "G-RD,Test every compressor for 5000 hours,2,G-1,U-RD\n"
        "G-SALES,Open a cocktail bar,2,,U-SALES\n",
        encoding="utf-8",
    )
    batch = _run("cascade", "check", "--mission", MISSION, "--input", str(goals), "--format", "json")
    report = _run("cascade", "report", "--db", url, "--org", org_id, "--format", "json")
    assert batch.exit_code == 0 and report.exit_code == 0, batch.output + report.output
    assert json.loads(report.stdout) == json.loads(batch.stdout)


def test_report_writes_csv_to_a_file(stored: Stored, tmp_path: Path) -> None:
    url, org_id, _ = stored
    out = tmp_path / "report.csv"
    result = _run("cascade", "report", "--db", url, "--org", org_id, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("id,")


def test_report_without_a_mission_says_so(database_url: str) -> None:
    org_id = f"org-{uuid.uuid4().hex[:8]}"
    store = open_store(database_url)
    store.create_organisation(org_id, "No mission yet")
    store.close()
    result = _run("cascade", "report", "--db", database_url, "--org", org_id)
    assert result.exit_code == 1
    assert "no mission" in result.stderr and result.stdout == ""


def test_report_for_an_unknown_organisation_names_it(stored: Stored) -> None:
    url, _, _ = stored
    result = _run("cascade", "report", "--db", url, "--org", "org-ghost")
    assert result.exit_code == 1 and "org-ghost" in result.stderr


def test_report_with_several_organisations_asks_for_org(stored: Stored) -> None:
    url, _, store = stored
    store.create_organisation(f"org-{uuid.uuid4().hex[:8]}", "Second")
    result = _run("cascade", "report", "--db", url)
    assert result.exit_code == 2 and "--org" in result.stderr


def test_import_okr_stores_the_tree_and_report_checks_it(stored: Stored, tmp_path: Path) -> None:
    url, org_id, store = stored
    okrs = tmp_path / "okrs.csv"
    okrs.write_text(
        "Objective,Key Result,Team,Quarter\n"
        "Keep food fresh longer,Ship a vacuum drawer,Research,Q1 2027\n"
        "Keep food fresh longer,Cut warranty claims by 20%,U-SALES,Q1 2027\n",
        encoding="utf-8",
    )
    result = _run("cascade", "import-okr", str(okrs), "--db", url, "--org", org_id)
    assert result.exit_code == 0, result.output
    assert "3 created, 0 updated" in result.stderr
    goals = {g["text"]: g for g in store.rows("goals", org_id)}
    objective = goals["Keep food fresh longer"]
    assert goals["Ship a vacuum drawer"]["unit_id"] == "U-RD"
    assert goals["Ship a vacuum drawer"]["parent_ids"] == [objective["id"]]
    again = _run("cascade", "import-okr", str(okrs), "--db", url, "--org", org_id)
    assert again.exit_code == 0 and "0 created, 3 updated" in again.stderr
    report = _run("cascade", "report", "--db", url, "--org", org_id, "--format", "json")
    assert objective["id"] in {r["id"] for r in json.loads(report.stdout)}


def test_import_okr_refuses_a_bad_row_and_stores_nothing(stored: Stored, tmp_path: Path) -> None:
    url, org_id, store = stored
    okrs = tmp_path / "okrs.csv"
    okrs.write_text(
        "Title,Type,Parent\n"
        "Keep food fresh longer,Objective,\n"
        "Ship a vacuum drawer,Key Result,No such goal\n",
        encoding="utf-8",
    )
    result = _run("cascade", "import-okr", str(okrs), "--db", url, "--org", org_id)
    assert result.exit_code == 2
    assert "okrs.csv" in result.stderr and "row 3" in result.stderr and "parent" in result.stderr
    assert {g["id"] for g in store.rows("goals", org_id)} == {"G-1", "G-RD", "G-SALES"}


def test_import_okr_refuses_other_file_types_and_missing_files(stored: Stored, tmp_path: Path) -> None:
    url, org_id, _ = stored
    notes = tmp_path / "okrs.txt"
    notes.write_text("Objective\nKeep food fresh\n", encoding="utf-8")
    wrong = _run("cascade", "import-okr", str(notes), "--db", url, "--org", org_id)
    assert wrong.exit_code == 2 and ".csv or .xlsx" in wrong.stderr
    missing = _run("cascade", "import-okr", str(tmp_path / "gone.csv"), "--db", url, "--org", org_id)
    assert missing.exit_code == 2 and "gone.csv" in missing.stderr


def test_the_batch_check_still_needs_mission_and_input(tmp_path: Path) -> None:
    result = _run("cascade", "check", "--format", "json")
    assert result.exit_code == 2 and "--mission" in result.output
