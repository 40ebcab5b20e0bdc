"""`hoshin cascade check` at the edge: bad files exit 2 naming file, row and field; good ones give JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hoshin.cli.cascade  # noqa: F401  (registers the command)
from hoshin.cli import app

MISSION = "We build safe, affordable bicycles for city commuters."
HEADER = "id,text,level,parent_id,unit\n"
GOOD = (
    HEADER
    + "T1,Double the number of commuters riding our bicycles,1,,Board\n"
    + "T2,Grow revenue in the Nordics by 10%,1,,Board\n"
    + "S1,Make brake pads that keep stopping power after wet rides,2,T1,Engineering\n"
    + "S2,Sell frames through two more city bike shops,2,T1;T2,Sales\n"
)


@pytest.fixture(autouse=True)
def hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def _run(tmp_path: Path, content: str, *extra: str, name: str = "goals.csv"):  # noqa: ANN202
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["cascade", "check", "--mission", MISSION, "--input", str(path), *extra])
    return path, result


def test_good_file_gives_one_object_per_goal_then_the_summary(tmp_path: Path) -> None:
    _, result = _run(tmp_path, GOOD, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["T1", "T2", "S1", "S2", "_uncovered"]
    kinds = {"orphan", "off-mission", "duplicate", "conflict", "weak-parent"}
    for row in rows[:-1]:
        assert set(row) == {"id", "issues"}
        assert all(issue["kind"] in kinds and issue["detail"] for issue in row["issues"])
    summary = rows[-1]
    assert isinstance(summary["uncovered_themes"], list) and isinstance(summary["weak_units"], list)
    assert set(summary["unit_scores"]) == {"Board", "Engineering", "Sales"}


def test_json_input_with_only_the_required_columns_works(tmp_path: Path) -> None:
    goals = [
        {"id": "A", "text": "Ship lighter bicycle frames", "level": 1},
        {"id": "B", "text": "Open a cocktail bar", "level": 2},
    ]
    _, result = _run(tmp_path, json.dumps(goals), "--format", "json", name="goals.json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[-1]["weak_units"] == [] and rows[-1]["unit_scores"] == {}
    # B sits below the top, has no parent and cannot be core for a text this far from the mission.
    assert "orphan" in {i["kind"] for i in rows[1]["issues"]}


def test_help_documents_the_output_shape() -> None:
    result = CliRunner().invoke(app, ["cascade", "check", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for word in ("_uncovered", "uncovered_themes", "weak_units", "off-mission", "weak-parent", "conflict"):
        assert word in text
    assert "uncovered_themes: [mission themes no goal serves]" in text


@pytest.mark.parametrize(
    "content, row, field, hint",
    [
        ("id,text,parent_id\nA,Ship lighter frames,\n", None, None, "level"),  # missing column
        (HEADER + "A,Ship lighter frames,top,,\n", 2, "level", "whole number"),
        (HEADER + "A,Ship lighter frames,0,,\n", 2, "level", "below 1"),
        (HEADER + "A,Ship lighter frames,1,,\nB,Fit better brakes,2,Z9,\n", 3, "parent_id", "Z9"),
        (HEADER + "A,Ship lighter frames,1,,\nB,Fit better brakes,2,A;Q,\n", 3, "parent_id", "'Q'"),
        (HEADER + "A,Ship lighter frames,2,A,\n", 2, "parent_id", "itself"),
        (HEADER + "A,Ship lighter frames,2,B,\nB,Fit better brakes,2,A,\n", None, "parent_id", "circle"),
        (HEADER + "A,Ship lighter frames,1,,\nB,Fit better brakes,1,A,\n", 3, "level", "not above"),
        (HEADER + "A,,1,,\n", 2, "text", "empty"),
    ],
)
def test_bad_input_exits_2_naming_file_row_and_field(
    tmp_path: Path, content: str, row: int | None, field: str | None, hint: str
) -> None:
    path, result = _run(tmp_path, content)
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert str(path) in message and hint in message
    assert result.stdout == ""
    if row is not None:
        assert f"row {row}" in message
    if field is not None:
        assert f"field '{field}'" in message


def test_empty_mission_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "goals.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(app, ["cascade", "check", "--mission", "  ", "--input", str(path)])
    assert result.exit_code == 2
    assert "--mission" in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["cascade", "check", "-m", MISSION, "-i", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "not found" in result.stderr
