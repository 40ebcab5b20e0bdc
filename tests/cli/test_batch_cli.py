"""The batch contract of DESIGN.md through the real CLI (hashing embedder: fast and offline)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

MISSION = "We build reliable refrigerators"


@pytest.fixture(autouse=True)
def fast_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_triage_returns_the_contract_fields_best_first(tmp_path: Path) -> None:
    ideas = write(tmp_path / "ideas.csv", "id,text\na,piano lessons\nb,reliable refrigerators for homes\n")
    code, out, _ = run("corridor", "triage", "--mission", MISSION, "--input", str(ideas), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["b", "a"]
    assert set(rows[0]) == {"id", "text", "score", "tier", "theme", "why"}
    assert rows[0]["tier"] in {"core", "adjacent", "off"} and 0 <= rows[0]["score"] <= 1


def test_triage_reads_xlsx_and_jsonl_and_writes_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "text"])
    book.active.append(["1", "refrigerator door seal"])
    book.save(tmp_path / "ideas.xlsx")
    write(tmp_path / "ideas.jsonl", '{"id": "1", "text": "refrigerator door seal"}\n')
    for name in ("ideas.xlsx", "ideas.jsonl"):
        code, out, _ = run("corridor", "triage", "-m", MISSION, "-i", str(tmp_path / name), "-f", "csv")
        assert code == 0
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["id"] == "1" and rows[0]["tier"]


def test_table_format_is_readable(tmp_path: Path) -> None:
    ideas = write(tmp_path / "ideas.csv", "id,text\n1,refrigerator door seal\n")
    code, out, _ = run("corridor", "triage", "-m", MISSION, "-i", str(ideas), "-f", "table")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["id", "text", "score"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        ("id,title\n1,x\n", "missing column text"),
        ("id,text\n1,\n", "row 2, field 'text': is empty"),
        ("id,text\n1,a\n1,b\n", "duplicate id '1'"),
        (b"id,text\n1,\xff\xfe\n", "not valid UTF-8"),
    ],
)
def test_bad_input_exits_2_naming_the_problem(
    tmp_path: Path, content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "ideas.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    code, out, err = run("corridor", "triage", "-m", MISSION, "-i", str(path), "-f", "json")
    assert code == 2
    assert message in err and "ideas.csv" in err
    assert out == ""


def test_empty_mission_is_bad_input(tmp_path: Path) -> None:
    ideas = write(tmp_path / "ideas.csv", "id,text\n1,x\n")
    code, _, err = run("corridor", "triage", "-m", "  ", "-i", str(ideas))
    assert code == 2 and "--mission is empty" in err


def test_knowledge_rank_contract(tmp_path: Path) -> None:
    areas = write(
        tmp_path / "areas.csv",
        "id,name,description\n"
        "k1,Refrigeration cycles,How refrigerators move heat\n"
        "k2,Maritime law,Law of ships\n",
    )
    code, out, _ = run("knowledge", "rank", "-m", MISSION, "-i", str(areas), "-f", "json")
    assert code == 0
    rows = json.loads(out)
    assert {tuple(sorted(r)) for r in rows} == {("id", "name", "score", "why")}
    assert rows[0]["id"] == "k1"


def test_cascade_link_suggests_every_parent_one_level_up(tmp_path: Path) -> None:
    goals = write(
        tmp_path / "goals.csv",
        "id,text,level,parent_id\n"
        "C1,Halve refrigerator field failures,1,\n"
        "C2,Grow sales in Poland,1,\n"
        "R1,Test refrigerator door seals for failures,2,\n"
        "S1,Open distributors in Poland,2,C2\n",
    )
    code, out, _ = run("cascade", "link", "-i", str(goals), "-f", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(rows) == {"R1", "S1"}
    assert [s["id"] for s in rows["R1"]["suggestions"]][0] == "C1"
    assert [s["id"] for s in rows["S1"]["suggestions"]][0] == "C2"
    assert all({"id", "score", "why"} <= set(s) for s in rows["R1"]["suggestions"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("C1,Top goal,one,\n", "field 'level'"),
        ("C1,Top goal,1,ZZ\n", "'ZZ' is not the id of any goal"),
        ("C1,Top goal,0,\n", "below 1"),
    ],
)
def test_cascade_link_bad_rows(tmp_path: Path, body: str, message: str) -> None:
    goals = write(tmp_path / "goals.csv", "id,text,level,parent_id\n" + body)
    code, _, err = run("cascade", "link", "-i", str(goals))
    assert code == 2 and message in err


def test_help_teaches_with_examples() -> None:
    for group, command in (("corridor", "triage"), ("knowledge", "rank"), ("cascade", "link")):
        code, out, _ = run(group, command, "--help")
        assert code == 0 and "Example" in out


def test_importing_ideas_reports_scoring_progress(tmp_path: Path) -> None:
    from hoshin.service.demo import load_demo
    from hoshin.service.importing import import_file
    from hoshin.service.verdict_reasons import open_store

    repo = open_store(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    org = load_demo(repo, None, "tests").organisation_id
    ideas = write(
        tmp_path / "ideas.csv", "id,text\nN1,A quieter compressor for fridges\nN2,Door seal test rig\n"
    )
    seen: list[int] = []
    import_file(repo, org, "ideas", ideas, "tests", progress=seen.append)
    assert seen and seen[-1] == repo.count("ideas", org)
    assert {v["record_id"] for v in repo.verdicts(org, "idea")} >= {"N1", "N2"}
