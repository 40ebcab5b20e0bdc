"""--quiet on the batch commands: no size warning and no progress bar on stderr, the output on stdout
unchanged (issue 24, item 9). One option, shared by every batch command (cli/common.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app, common
from hoshin.cli.common import Progress

MISSION = "To produce reliable refrigerators."
ORG_FILE = Path(__file__).parents[1] / "store" / "fixtures" / "organisation.json"
WARNING = "texts, about "  # the size warning's words


@pytest.fixture(autouse=True)
def announce_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run counts as large, so each one that can warn does (the real bound is 100,000 texts)."""
    monkeypatch.setattr(common, "LARGE_INPUT", 1)


def _write(path: Path, header: str, rows: list[str]) -> str:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    """Each batch command with a small valid input, as JSON on stdout."""
    ideas = _write(
        tmp_path / "ideas.csv", "id,text", [f"i{n},Door seal {n} that keeps the cold in" for n in range(5)]
    )
    areas = _write(
        tmp_path / "areas.csv", "id,name,description", ["k1,Refrigeration,cooling", "k2,Retail,shops"]
    )
    goals = _write(
        tmp_path / "goals.csv",
        "id,text,level,parent_id,unit",
        ["g1,Reliable fridges,1,,", "g2,Halve compressor failures,2,g1,", "g3,Open ten shops,2,g1,"],
    )
    texts = _write(tmp_path / "texts.csv", "id,text", ["t1,Our fridges last.", "t2,Cheap phones for all."])
    rules = _write(tmp_path / "rules.csv", "id,text", ["p1,We never cut corners on safety."])
    json_out = ["--format", "json"]
    return {
        "corridor triage": ["corridor", "triage", "-m", MISSION, "-i", ideas, *json_out],
        "knowledge rank": ["knowledge", "rank", "-m", MISSION, "-i", areas, *json_out],
        "cascade check": ["cascade", "check", "-m", MISSION, "-i", goals, *json_out],
        "cascade link": ["cascade", "link", "-i", goals, *json_out],
        "mission analyze": ["mission", "analyze", "-i", texts, *json_out],
        "brand check": ["brand", "check", "-m", MISSION, "-i", texts, *json_out],
        "principles check": ["principles", "check", "-m", MISSION, "-p", rules, "-i", texts, *json_out],
    }


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_quiet_silences_every_batch_command_and_leaves_stdout_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    warned = set()
    for name, args in _commands(tmp_path).items():
        code, loud_out, loud_err = _run(args)
        assert code == 0, (name, loud_err)
        if WARNING in loud_err:
            warned.add(name)
        code, quiet_out, quiet_err = _run([*args, "--quiet"])
        assert code == 0 and quiet_err == "", (name, quiet_err)
        assert json.loads(quiet_out) == json.loads(loud_out), name
        assert _run([*args, "-q"])[2] == "", name
    # Those that embed in one counted pass warn when not quiet (the test would pass vacuously otherwise).
    assert {"corridor triage", "knowledge rank", "cascade check", "mission analyze"} <= warned


def test_quiet_silences_the_scoring_bars_of_import_and_rescore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert _run(["demo", "--db", db, "--file", str(ORG_FILE)])[0] == 0
    for quiet in (False, True):
        fresh = [f"N{quiet:d}{n},Compressor sensor {n} for a quieter fridge" for n in range(3)]
        ideas = _write(tmp_path / f"new{quiet:d}.csv", "id,text", fresh)
        code, _, said = _run(["import", "ideas", ideas, "--db", db, *(["--quiet"] if quiet else [])])
        assert code == 0 and "3 created" in said, said  # the one-line result is said either way
        assert (WARNING in said) is not quiet and ("scoring ideas" in said) is not quiet, said
        code, _, said = _run(["corridor", "rescore", "--db", db, *(["-q"] if quiet else [])])
        assert code == 0 and "scored " in said, said
        assert (WARNING in said) is not quiet, said


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_quiet_progress_draws_nothing_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    progress = Progress(100_000, "embedding", quiet=True)
    progress._last = -1.0
    progress(250)
    progress(100_000)
    assert screen.getvalue() == ""
    Progress(100_000, "embedding")(100_000)
    assert "embedding: 100,000 texts" in screen.getvalue()  # the same bar, not quiet, draws


def test_every_batch_command_lists_the_one_quiet_option(tmp_path: Path) -> None:
    names = [*(_commands(tmp_path)), "corridor rescore", "import"]
    for name in names:
        out = _run([*name.split(), "--help"])[1]
        assert "--quiet" in out and "No size warning" in out, name
