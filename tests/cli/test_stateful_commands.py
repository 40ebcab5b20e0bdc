"""`hoshin brand attributes|image`, `principles list|flags`, `mission show` and
`hoshin cascade line-of-sight` on a stored organisation."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import hoshin.cli.brand  # noqa: F401  (registers the commands, as hoshin.cli does)
from cli.conftest import load_demo_into
from hoshin.cli import app
from hoshin.service.verdict_reasons import open_store

ORG = "frostline"


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--db", url])


def rows_of(url: str, *args: str) -> list[dict[str, Any]]:
    result = run(url, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_brand_attributes_each_name_the_mission_phrase_they_come_from(demo_url: str) -> None:
    rows = rows_of(demo_url, "brand", "attributes")
    assert "Reliability" in {r["name"] for r in rows}
    with open_store(demo_url) as repo:
        mission = repo.mission(ORG)
    sources = " ".join([mission["text"], *(p["text"] for p in mission["principles"])]).lower()
    assert all(r["source_phrase"] and r["source_phrase"].lower() in sources for r in rows)


def test_brand_image_gives_own_and_outside_voice_per_attribute_and_month(
    demo_url: str, tmp_path: Path
) -> None:
    rows = rows_of(demo_url, "brand", "image")
    with open_store(demo_url) as repo:
        outside = {c["id"]: c for c in repo.rows("communications", ORG) if c["voice"] == "outside"}
    overall = next(r for r in rows if r["attribute"] == "Reliability" and r["month"] == "all")
    assert 0 <= overall["own_voice"] <= 1 and 0 <= overall["outside_voice"] <= 1
    assert overall["gap"] == pytest.approx(overall["own_voice"] - overall["outside_voice"], abs=0.002)
    assert "M23" in {q["id"] for q in overall["contradicting_quotes"]}
    monthly = [r for r in rows if r["attribute"] == "Reliability" and r["month"] != "all"]
    assert monthly and {r["month"] for r in monthly} <= {c["date"][:7] for c in outside.values()}
    for row in monthly:
        quotes = row["supporting_quotes"] + row["contradicting_quotes"]
        assert all(q["id"] in outside and q["date"].startswith(row["month"]) for q in quotes)
    out = tmp_path / "image.csv"
    assert run(demo_url, "brand", "image", "--output", str(out)).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len(rows)


def test_principles_list_shows_owner_names(demo_url: str) -> None:
    rows = rows_of(demo_url, "principles", "list")
    assert [r["id"] for r in rows] == ["P1", "P2", "P3", "P4", "P5"]
    assert all(r["text"] and r["owner_name"] for r in rows)
    table = run(demo_url, "principles", "list", "--format", "table")
    assert table.exit_code == 0 and "We repair before we replace." in table.stdout


def test_principle_flags_find_the_planted_contradicting_communications(demo_url: str) -> None:
    rows = rows_of(demo_url, "principles", "flags")
    flagged = {r["record"] for r in rows}
    assert {"communications/M14", "communications/M16"} <= flagged
    assert not flagged & {"communications/M01", "communications/M05", "communications/M09"}
    m16 = [r for r in rows if r["id"] == "M16"]
    assert "P4" in {r["principle"] for r in m16}
    assert all(r["sentence"] and r["why"] and r["principle_text"] for r in rows)


def test_mission_show_analyses_the_stored_mission(demo_url: str) -> None:
    [current] = rows_of(demo_url, "mission", "show")
    with open_store(demo_url) as repo:
        stored = repo.mission(ORG)
        versions = repo.mission_versions(ORG)
    assert current["version"] == stored["version"] and current["text"] == stored["text"]
    assert current["theme_rules"] == stored["theme_rules"]  # the rules its themes came from
    assert current["components"]["customers"]["present"] and isinstance(current["missing"], list)
    # The demo maker names refrigerators: the HS entry for the compressors made for them is listed.
    [compressors] = [p for p in current["part_of"] if p["code"] == "8414.30"]
    assert compressors["source"] == "HS 2022" and compressors["product"] == "refrigerators"
    # Its siblings too (an idea about one is adjacent at most), by WordNet group.
    groups = {row["group"]: row for row in current["siblings"]}
    assert "washing machine" in groups["home appliance"]["kinds"]
    assert groups["home appliance"]["code"].startswith("WN30-")
    history = rows_of(demo_url, "mission", "show", "--history")
    assert [h["version"] for h in history] == sorted((v["version"] for v in versions), reverse=True)


def test_a_unit_line_of_sight_reaches_company_objectives(demo_url: str) -> None:
    rows = rows_of(demo_url, "cascade", "line-of-sight", "--unit", "U-RD")
    with open_store(demo_url) as repo:
        goals = {g["id"]: g for g in repo.rows("goals", ORG)}
        scope = set(repo.unit_subtree(ORG, "U-RD"))
    assert {r["goal_id"] for r in rows} == {g["id"] for g in goals.values() if g["unit_id"] in scope}
    reaching = [r for r in rows if r["reaches_objective"]]
    assert reaching
    for row in reaching:
        path = row["path"].split(" > ")
        assert path[0] == row["goal_id"] and path[-1] == row["objective_id"]
        assert goals[row["objective_id"]]["level"] == 1
    for part in ("skills", "themes"):
        assert rows_of(demo_url, "cascade", "line-of-sight", "--unit", "U-RD", "--show", part)


def test_a_person_line_of_sight_runs_from_their_goal_to_the_top(demo_url: str) -> None:
    with open_store(demo_url) as repo:
        owner = next(g["owner_id"] for g in repo.rows("goals", ORG) if g["level"] == 3 and g["owner_id"])
    rows = rows_of(demo_url, "cascade", "line-of-sight", "--person", owner)
    deep = next(r for r in rows if r["level"] == 3)
    assert deep["owner_id"] == owner and len(deep["path"].split(" > ")) == 3 and deep["reaches_objective"]
    ideas = rows_of(demo_url, "cascade", "line-of-sight", "--unit", "U-CO", "--show", "ideas")
    assert ideas and all(i["why"] for i in ideas)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--person", "nobody"], 1, "no person 'nobody'"),
        (["--unit", "U-NONE"], 1, "no unit 'U-NONE'"),
        ([], 2, "either --person ID or --unit ID"),
        (["--person", "p03", "--unit", "U-RD"], 2, "either --person ID or --unit ID"),
        (["--unit", "U-RD", "--show", "everything"], 2, "--show 'everything'"),
        (["--unit", "U-RD", "--org", "acme"], 1, "no organisation 'acme'"),
    ],
)
def test_line_of_sight_refuses_bad_input_with_a_clear_message(
    demo_url: str, args: list[str], code: int, message: str
) -> None:
    result = run(demo_url, "cascade", "line-of-sight", *args)
    assert result.exit_code == code
    assert message in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "command",
    [
        ["brand", "attributes"],
        ["brand", "image"],
        ["principles", "list"],
        ["principles", "flags"],
        ["mission", "show"],
        ["cascade", "line-of-sight", "--unit", "U-RD"],
    ],
)
def test_several_organisations_need_org(tmp_path: Path, command: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'two.sqlite3'}"
    load_demo_into(url)
    with open_store(url) as repo:
        repo.create_organisation("acme", "Acme Ltd")
    result = run(url, *command)
    assert result.exit_code == 2 and "choose one with --org" in result.stderr
    assert run(url, *command, "--org", ORG).exit_code == 0
    without_mission = run(url, *command, "--org", "acme")
    assert without_mission.exit_code == 1 and "error:" in without_mission.stderr


@pytest.mark.postgres
def test_flags_and_line_of_sight_on_postgresql(postgres_url: str) -> None:
    org = load_demo_into(postgres_url)
    flags = rows_of(postgres_url, "principles", "flags", "--org", org)
    assert "communications/M16" in {r["record"] for r in flags}
    rows = rows_of(postgres_url, "cascade", "line-of-sight", "--unit", "U-RD", "--org", org)
    assert any(r["reaches_objective"] for r in rows)
