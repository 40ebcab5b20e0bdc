"""`corridor triage` on inputs of any size: read in chunks, written as it goes, the batch contract
unchanged (hashing embedder: fast and offline)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

MISSION = "We build reliable refrigerators for homes and shops"
WORDS = (
    "door seal",
    "compressor",
    "piano lessons",
    "refrigerant leak",
    "football club",
    "shelf layout",
    "energy label",
    "coffee machine",
    "defrost cycle",
    "payroll system",
    "fan motor",
    "recipe blog",
)


@pytest.fixture(autouse=True)
def fast_embedder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    monkeypatch.setenv("HOSHIN_HOME", str(tmp_path / "home"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["corridor", "triage", "-m", MISSION, *args])
    return result.exit_code, result.stdout, result.stderr


def ideas(path: Path, n: int, bad_row: int | None = None) -> Path:
    """n ideas as CSV; with `bad_row`, that data row (1-based) has an empty text."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i in range(n):
            text = f"{WORDS[i % len(WORDS)]} idea {i} for {WORDS[(i * 7) % len(WORDS)]}"
            writer.writerow([f"I{i}", "" if bad_row == i + 1 else text])
    return path


def same_verdicts(one: list[dict], other: list[dict]) -> None:
    """One batch's verdicts and the chunked ones: the same rows, tiers and themes, scores equal up
    to float rounding (a chunk's matrix products may differ in the last bit of a z)."""
    mine, theirs = {r["id"]: r for r in one}, {r["id"]: r for r in other}
    assert mine.keys() == theirs.keys()
    for key, row in mine.items():
        assert (row["tier"], row["theme"]) == (theirs[key]["tier"], theirs[key]["theme"])
        assert abs(float(row["score"]) - float(theirs[key]["score"])) <= 2e-4


def examples(path: Path) -> Path:
    path.write_text(
        "text,tier\nquieter compressor for fridges,core\nnew door seal rubber,core\n"
        "piano lessons for staff,off\nfootball club sponsorship,off\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_chunked_output_equals_one_batch(tmp_path: Path, fmt: str) -> None:
    source = ideas(tmp_path / "ideas.csv", 60)
    code, whole, _ = run("-i", str(source), "-f", fmt)
    assert code == 0
    code, chunked, _ = run("-i", str(source), "-f", fmt, "--chunk-size", "7")
    assert code == 0
    assert chunked == whole


def test_chunked_output_with_examples_equals_one_batch(tmp_path: Path) -> None:
    source, reviewed = ideas(tmp_path / "ideas.csv", 45), examples(tmp_path / "examples.csv")
    code, whole, _ = run("-i", str(source), "-e", str(reviewed), "-f", "jsonl")
    assert code == 0
    code, chunked, _ = run("-i", str(source), "-e", str(reviewed), "-f", "jsonl", "--chunk-size", "4")
    assert code == 0
    same_verdicts([json.loads(x) for x in whole.splitlines()], [json.loads(x) for x in chunked.splitlines()])
    assert len(whole.splitlines()) == 45  # the examples themselves are not in the output


def test_json_output_is_one_valid_array_best_first(tmp_path: Path) -> None:
    source = ideas(tmp_path / "ideas.csv", 50)
    target = tmp_path / "out.json"
    code, _, _ = run("-i", str(source), "-f", "json", "--chunk-size", "3", "-o", str(target))
    assert code == 0
    rows = json.loads(target.read_text(encoding="utf-8"))
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # as a plain open() makes it
    assert len(rows) == 50 and {r["id"] for r in rows} == {f"I{i}" for i in range(50)}
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert set(rows[0]) == {"id", "text", "score", "tier", "theme", "why"}


def test_order_input_streams_the_same_verdicts_in_input_order(tmp_path: Path) -> None:
    source = ideas(tmp_path / "ideas.csv", 30)
    _, best, _ = run("-i", str(source), "-f", "jsonl")
    code, given, _ = run("-i", str(source), "-f", "jsonl", "--order", "input", "--chunk-size", "4")
    assert code == 0
    in_order = [json.loads(line) for line in given.splitlines()]
    assert [r["id"] for r in in_order] == [f"I{i}" for i in range(30)]
    assert sorted(in_order, key=lambda r: -r["score"]) == [json.loads(line) for line in best.splitlines()]
    code, _, err = run("-i", str(source), "--order", "sideways")
    assert code == 2 and "--order" in err


@pytest.mark.parametrize("cache", ["on", "off"])
def test_many_chunks_give_the_verdicts_of_one_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    """Many chunks, examples and a merge over many sorted runs: still one batch's verdicts."""
    import hoshin.service.batch as batch

    monkeypatch.setenv("HOSHIN_CACHE", cache)
    monkeypatch.setattr(batch, "_MERGE_WIDTH", 4)
    source, reviewed = ideas(tmp_path / "ideas.csv", 400), examples(tmp_path / "examples.csv")
    for extra in ([], ["-e", str(reviewed)]):
        code, whole, _ = run("-i", str(source), "-f", "csv", *extra)
        assert code == 0
        code, chunked, _ = run("-i", str(source), "-f", "csv", "--chunk-size", "13", *extra)
        assert code == 0
        rows = list(csv.DictReader(io.StringIO(chunked)))
        same_verdicts(list(csv.DictReader(io.StringIO(whole))), rows)
        scores = [float(r["score"]) for r in rows]
        assert scores == sorted(scores, reverse=True)
        assert len(rows) == 400 and all(r["tier"] in {"core", "adjacent", "off"} for r in rows)


@pytest.mark.parametrize("order", ["best", "input"])
def test_bad_row_far_into_a_file_exits_2_and_writes_nothing(tmp_path: Path, order: str) -> None:
    source = ideas(tmp_path / "ideas.csv", 3000, bad_row=2900)
    target = tmp_path / "out" / "triaged.jsonl"
    target.parent.mkdir()
    code, out, err = run(
        "-i", str(source), "-f", "jsonl", "--chunk-size", "50", "--order", order, "-o", str(target)
    )
    assert code == 2
    assert "row 2901, field 'text': is empty" in err and "ideas.csv" in err
    assert out == "" and os.listdir(target.parent) == []  # no output file, no half-written one
    code, out, err = run("-i", str(source), "-f", "jsonl", "--chunk-size", "50", "--order", order)
    assert code == 2 and out == ""  # on stdout too: the rows are all checked before any is written


def test_a_failed_run_keeps_an_older_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "triaged.csv"
    target.parent.mkdir()
    target.write_text("an older result\n", encoding="utf-8")
    source = ideas(tmp_path / "ideas.csv", 40, bad_row=39)
    code, _, _ = run("-i", str(source), "-o", str(target), "--chunk-size", "5")
    assert code == 2
    assert target.read_text(encoding="utf-8") == "an older result\n"
    assert os.listdir(target.parent) == ["triaged.csv"]


def test_best_first_merges_many_runs_in_bounded_width(monkeypatch: pytest.MonkeyPatch) -> None:
    import hoshin.service.batch as batch

    monkeypatch.setattr(batch, "_MERGE_WIDTH", 3)
    rows = [{"id": str(i), "score": round((i * 37 % 11) / 10, 4)} for i in range(200)]
    chunks = [rows[i : i + 9] for i in range(0, len(rows), 9)]
    assert list(batch.best_first(chunks)) == sorted(rows, key=lambda r: -r["score"])  # ties: input order
    assert list(batch.best_first([])) == []


def test_bad_utf8_far_into_a_file_names_its_line(tmp_path: Path) -> None:
    from hoshin.errors import InputError
    from hoshin.io.tables import TableSpec, read_table

    path = tmp_path / "big.csv"
    body = "".join(f"{i},an idea of some length to fill the first block {i}\n" for i in range(40_000))
    path.write_bytes(b"id,text\n" + body.encode() + b"40000,caf\xe9\n")
    with pytest.raises(InputError, match="line 40002 is not valid UTF-8 \\(byte 0xe9"):
        read_table(path, TableSpec(required=("id", "text")))
