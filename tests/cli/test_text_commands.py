"""The three batch commands through the real CLI: output shape, formats and every class of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

MISSION = "To produce reliable refrigerators."


@pytest.fixture(autouse=True)
def hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_mission_analyze_from_text(tmp_path: Path) -> None:
    code, out, _ = run("mission", "analyze", "--mission", MISSION, "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["id"] == "mission"
    assert row["components"]["products"]["present"] is True
    assert "customers" in row["missing"]
    assert {"themes", "specificity", "readability", "suggestions"} <= set(row)


def test_mission_analyze_file_of_odd_shapes(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": "x"},
        {"id": "2", "text": "- bullets\n- and more\n\n\n"},
        {"id": "3", "text": "“Quoted!” 😀🚀 ¿Qué? Ünïcödé"},
        {"id": "4", "text": "word " * 3000},
    ]
    path = write(tmp_path, "s.jsonl", "\n".join(json.dumps(r) for r in rows))
    code, out, err = run("mission", "analyze", "--input", str(path), "--format", "json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == ["1", "2", "3", "4"]


def test_mission_analyze_csv_output_file(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id,text\na,We bake bread for families in Lyon.\n")
    target = tmp_path / "out.csv"
    code, _, _ = run("mission", "analyze", "--input", str(path), "--output", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("id,components")


def test_brand_check_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", 'id,text\n1,"Cheap fridges, fast — who cares how long they last?"\n')
    code, out, _ = run("brand", "check", "--mission", MISSION, "--input", str(path), "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["tier"] != "core"
    assert row["attributes"]["Reliability"]["contradicts"]


def test_principles_check_one_row_per_text_and_principle(tmp_path: Path) -> None:
    principles = write(
        tmp_path, "p.csv", "id,text\nsafety,We never trade safety for cost\nhonest,We are honest\n"
    )
    texts = write(
        tmp_path,
        "t.csv",
        "id,text\n1,Cut the compressor test time in half to ship sooner\n2,Paint the walls\n",
    )
    code, out, _ = run(
        "principles",
        "check",
        "--mission",
        MISSION,
        "--principles",
        str(principles),
        "--input",
        str(texts),
        "--format",
        "json",
    )
    assert code == 0
    rows = json.loads(out)
    assert [(r["id"], r["principle"]) for r in rows] == [
        ("1", "safety"),
        ("1", "honest"),
        ("2", "safety"),
        ("2", "honest"),
    ]
    assert rows[0]["verdict"] == "contradicts"
    assert rows[2]["verdict"] == "unrelated"


def test_principles_check_reads_an_optional_examples_column(tmp_path: Path) -> None:
    principles = write(
        tmp_path,
        "p.csv",
        "id,text,examples\n"
        "safety,We never trade safety for cost,"
        '"contradicts: Let the crane operators work twelve-hour shifts"\n',
    )
    texts = write(tmp_path, "t.csv", "id,text\n1,Let the crane operators work twelve-hour shifts\n")
    args = ["principles", "check", "--mission", MISSION, "--principles", str(principles)]
    code, out, _ = run(*args, "--input", str(texts), "--format", "json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["verdict"] == "contradicts" and "the example 'Let the crane operators" in row["why"]
    bad = write(tmp_path, "bad.csv", "id,text,examples\nsafety,We never trade safety for cost,maybe: x\n")
    code, _, err = run(
        "principles", "check", "--mission", MISSION, "--principles", str(bad), "--input", str(texts)
    )
    assert code == 2 and "principle safety, example 1: unknown stance 'maybe'" in err


# ---------------------------------------------------------------- bad input: exit 2 and a clear message


def test_missing_file() -> None:
    code, _, err = run("brand", "check", "--mission", MISSION, "--input", "/nonexistent/texts.csv")
    assert code == 2 and "texts.csv" in err and "not found" in err


def test_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "id,body\n1,hello\n")
    code, _, err = run("brand", "check", "--mission", MISSION, "--input", str(path))
    assert code == 2 and "t.csv" in err and "text" in err and "row 1" in err


def test_empty_text(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "id,text\n1,fine\n2,   \n")
    code, _, err = run("mission", "analyze", "--input", str(path))
    assert code == 2 and "row 3" in err and "'text'" in err and "empty" in err


def test_duplicate_id(tmp_path: Path) -> None:
    path = write(tmp_path, "p.csv", "id,text\na,We never lie\na,We never cheat\n")
    texts = write(tmp_path, "t.csv", "id,text\n1,hello\n")
    code, _, err = run(
        "principles", "check", "--mission", MISSION, "--principles", str(path), "--input", str(texts)
    )
    assert code == 2 and "p.csv" in err and "duplicate id 'a'" in err


def test_non_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", b"id,text\n1,caf\xe9 cr\xe8me\n")
    code, _, err = run("mission", "analyze", "--input", str(path))
    assert code == 2 and "UTF-8" in err and "line 2" in err


def test_empty_mission(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "id,text\n1,hello\n")
    code, _, err = run("brand", "check", "--mission", "  ", "--input", str(path))
    assert code == 2 and "--mission" in err


def test_mission_and_input_together_or_neither(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "id,text\n1,hello\n")
    assert run("mission", "analyze", "--mission", "x", "--input", str(path))[0] == 2
    code, _, err = run("mission", "analyze")
    assert code == 2 and "--mission" in err


def test_unreadable_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", "id,text\n1,hello\n")
    code, _, err = run("mission", "analyze", "--input", str(path))
    assert code == 2 and ".txt" in err


def test_help_shows_examples() -> None:
    code, out, _ = run("principles", "check", "--help")
    assert code == 0 and "--principles" in out and "hoshin principles check" in out
