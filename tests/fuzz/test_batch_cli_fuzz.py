"""Fuzzing the batch CLI (DESIGN.md's batch contract): exit 0 with JSON, or exit 2 with one line.

Whatever the file holds, a batch command never shows a traceback: it either prints a JSON list
and exits 0, or prints `error: <file> ...` on stderr, nothing on stdout, and exits 2. A refused
run writes no output file, not even a partial one.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hoshin.cli import app

from .strategies import KNOWN_IDS, plain_text, scalar, write_file

MISSION = "We build reliable refrigerators that keep food fresh"

# command, its --input columns, and extra arguments (before the file options).
COMMANDS = {
    "triage": (["corridor", "triage"], ["id", "text"]),
    "rank": (["knowledge", "rank"], ["id", "name", "description"]),
    "link": (["cascade", "link"], ["id", "text", "level", "parent_id"]),
    "check": (["cascade", "check"], ["id", "text", "level", "parent_id", "unit"]),
    "analyze": (["mission", "analyze"], ["id", "text"]),
    "brand": (["brand", "check"], ["id", "text"]),
    "principles": (["principles", "check"], ["id", "text"]),
}
NEEDS_MISSION = {"triage", "rank", "check", "brand", "principles"}

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

cell = st.one_of(
    scalar,
    plain_text,
    st.sampled_from(["1", "2", "3", "0", "-1", "1.5", "refrigerator door seal", "food freshness"]),
    st.sampled_from(KNOWN_IDS),
)


@st.composite
def input_file(draw: st.DrawFn, columns: list[str]) -> tuple[str, list[str], list[dict[str, object]]]:
    """Mostly the command's own columns with plausible values, sometimes one missing or renamed."""
    chosen = list(columns)
    if draw(st.integers(0, 4)) == 0:
        chosen.remove(draw(st.sampled_from(columns)))
    if draw(st.integers(0, 4)) == 0:
        chosen.append("extra")
    if draw(st.booleans()):
        # A clean file (distinct ids, sensible values) with up to two cells spoiled.
        rows = [{c: _clean(c, n, draw) for c in chosen} for n in range(draw(st.integers(1, 5)))]
        for _ in range(draw(st.integers(0, 2))):
            draw(st.sampled_from(rows))[draw(st.sampled_from(chosen))] = draw(cell)
    else:
        ids = st.one_of(st.sampled_from(["a", "b", "c", "d"]), cell)
        row = st.fixed_dictionaries({c: ids if c in ("id", "parent_id") else cell for c in chosen})
        rows = draw(st.lists(row, max_size=6))
    fmt = draw(st.sampled_from(["csv", "json", "jsonl", "xlsx"]))
    return fmt, chosen, rows


SENTENCES = ["Quieter refrigerator compressors", "Piano lessons", "Food stays fresh longer", "Sell in Poland"]


def _clean(column: str, number: int, draw: st.DrawFn) -> object:
    if column == "id":
        return f"r{number}"
    if column == "level":
        return 1 if number == 0 else draw(st.sampled_from([1, 2]))
    if column == "parent_id":
        return "" if number == 0 else draw(st.sampled_from(["", "r0"]))
    if column == "unit":
        return draw(st.sampled_from(["R&D", "Sales"]))
    return draw(st.sampled_from(SENTENCES))


def _invoke(args: list[str]) -> tuple[int, str, str, BaseException | None]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr, result.exception


def _check_run(args: list[str], output: Path) -> None:
    code, out, err, exception = _invoke([*args, "--format", "json"])
    assert exception is None or isinstance(exception, SystemExit), f"crashed: {exception!r}"
    assert "Traceback" not in err
    if code == 0:
        event("accepted")
        assert isinstance(json.loads(out), list)
    else:
        event("refused")
        assert code == 2, err
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert out == ""
    # The same run with --output: a refused run must not leave a file behind.
    code_to_file, _, _, _ = _invoke([*args, "--format", "json", "--output", str(output)])
    assert code_to_file == code
    assert output.exists() == (code == 0)
    if code == 0:
        assert isinstance(json.loads(output.read_text(encoding="utf-8")), list)


@pytest.mark.parametrize("name", list(COMMANDS))
@FUZZ
@given(data=st.data())
def test_batch_commands_answer_json_or_exit_2(name: str, data: st.DataObject) -> None:
    command, columns = COMMANDS[name]
    fmt, chosen, rows = data.draw(input_file(columns), label="input")
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), "input", fmt, chosen, rows)
        args = [*command]
        if name in NEEDS_MISSION:
            args += ["--mission", data.draw(st.one_of(st.just(MISSION), plain_text), label="mission")]
        if name == "principles":
            principles = write_file(
                Path(folder), "principles", "csv", ["id", "text"], [{"id": "P1", "text": "Never unsafe."}]
            )
            args += ["--principles", str(principles)]
        args += ["--input", str(path)]
        _check_run(args, Path(folder) / "out.json")


@pytest.mark.parametrize("name", list(COMMANDS))
@settings(FUZZ, max_examples=15)
@given(content=st.binary(max_size=200), suffix=st.sampled_from([".csv", ".json", ".jsonl", ".xlsx", ".doc"]))
def test_batch_commands_refuse_garbage_files_cleanly(name: str, content: bytes, suffix: str) -> None:
    command, _ = COMMANDS[name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        args = [*command]
        if name in NEEDS_MISSION:
            args += ["--mission", MISSION]
        if name == "principles":
            args += ["--principles", str(path)]
        _check_run([*args, "--input", str(path)], Path(folder) / "out.json")
