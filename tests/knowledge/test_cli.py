"""`hoshin knowledge needs|map-skills|coverage|gaps` on a stored organisation."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import hoshin.cli.knowledge  # noqa: F401  (registers the commands, as hoshin.cli does)
from hoshin.cli import app
from knowledge.support import ORG, snapshot, write_hr


def run(store: Any, *args: str) -> Any:
    return CliRunner().invoke(app, ["knowledge", *args, "--db", store.url])


def test_gaps_and_single_points_of_failure_as_json(store: Any) -> None:
    result = run(store, "gaps", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["area_id"] == "K-LCA" and rows[0]["actions"][0]["kind"] == "hire"
    spof = json.loads(run(store, "gaps", "--only", "spof", "--format", "json").stdout)
    assert {r["area_id"]: r["sole_holder"] for r in spof} == {"K-MOTOR": "p05", "K-REFSAFE": "p17"}
    undocumented = json.loads(run(store, "gaps", "--only", "undocumented", "--format", "json").stdout)
    assert {r["area_id"] for r in undocumented} == {"K-MOTOR", "K-ACOUST", "K-LCA"}
    bad = run(store, "gaps", "--only", "everything")
    assert bad.exit_code == 2 and "--only" in bad.stderr


def test_coverage_matrix_has_one_column_per_unit(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "coverage.csv"
    result = run(store, "coverage", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0, result.output
    header, *lines = out.read_text(encoding="utf-8").splitlines()
    assert header.split(",")[:6] == ["id", "name", "weight", "dependence", "holders", "coverage"]
    assert "U-RD" in header and len(lines) == 22


def test_needs_proposes_and_confirms_catalogue_areas(store: Any) -> None:
    rows = json.loads(run(store, "needs", "--limit", "3", "--format", "json").stdout)
    proposed = [r["id"] for r in rows if not r["stored"]]
    assert len(proposed) == 3
    result = run(
        store, "needs", "--limit", "3", "--confirm", proposed[0], "--weight", "1.3", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert store.get("knowledge_areas", ORG, proposed[0])["weight"] == 1.3
    bad = run(store, "needs", "--confirm", "K-NOPE")
    assert bad.exit_code == 2 and "K-NOPE" in bad.stderr


def test_map_skills_shows_then_applies(store: Any, tmp_path: Path) -> None:
    hr = write_hr(tmp_path / "hr.csv", ["p06,,brushless motor windings,,3"])
    before = snapshot(store)
    shown = run(store, "map-skills", str(hr), "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)[0]["area_id"] == "K-MOTOR"
    assert snapshot(store) == before
    applied = run(store, "map-skills", str(hr), "--apply", "--format", "json")
    assert applied.exit_code == 0 and "1 created" in applied.stderr
    assert store.get("skills", ORG, ("p06", "K-MOTOR"))["level"] == 3


def test_map_skills_refuses_a_bad_hr_file_and_stores_nothing(store: Any, tmp_path: Path) -> None:
    hr = write_hr(tmp_path / "hr.csv", ["p06,,welding,,3", "p06,,welding,,3"])
    before = snapshot(store)
    result = run(store, "map-skills", str(hr), "--apply")
    assert result.exit_code == 2
    assert "hr.csv, row 3" in result.stderr and "duplicate" in result.stderr
    assert snapshot(store) == before


def test_a_corrected_mapping_file_imports_as_skills(store: Any, tmp_path: Path) -> None:
    hr = write_hr(tmp_path / "hr.csv", ["p06,,motor drives,,2"])
    mapped = tmp_path / "mapped.csv"
    assert run(store, "map-skills", str(hr), "--output", str(mapped)).exit_code == 0
    with mapped.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    row["area_id"] = "K-ACOUST"  # the reviewer's correction
    with mapped.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    result = CliRunner().invoke(app, ["import", "skills", str(mapped), "--db", store.url])
    assert result.exit_code == 0, result.output
    skill = store.get("skills", ORG, ("p06", "K-ACOUST"))
    assert skill["level"] == 2 and skill["skill_text"] == "motor drives"
