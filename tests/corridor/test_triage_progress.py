"""A large batch says how big it is and about how long it takes before it starts (issue 24, item 9):
a 500,000-row triage ran for a quarter of an hour with no sign of life."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app, common
from hoshin.cli.common import Progress, size_warning

MISSION = "To produce reliable refrigerators."


def _ideas(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "ideas.csv"
    lines = ["id,text"] + [f"{i},Door seal variant {i} that keeps the cold in" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _triage(path: Path) -> tuple[int, str, str]:
    args = ["corridor", "triage", "-m", MISSION, "-i", str(path), "--format", "json"]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def test_a_large_input_is_announced_with_an_estimate_even_in_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "LARGE_INPUT", 50)  # the real bound is 100,000 texts
    code, out, err = _triage(_ideas(tmp_path, 60))
    assert code == 0 and len(json.loads(out)) == 60  # the JSON on stdout is untouched
    assert "embedding: 60 texts, about " in err and "vector cache" in err


def test_a_small_input_in_a_pipe_prints_nothing_on_stderr(tmp_path: Path) -> None:
    code, _, err = _triage(_ideas(tmp_path, 20))
    assert code == 0 and err == ""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_follows_the_estimate_and_shows_the_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    progress = Progress(1000, "embedding")
    progress._last = -1.0  # draw the next call whatever the clock says
    progress(250)
    lines = screen.getvalue().split("\r")
    assert lines[0].startswith("embedding: 1,000 texts, about ")
    assert "250/1000" in lines[1] and " left" in lines[1]


def test_the_estimate_reads_in_plain_units(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert "about 28 min on this machine's 2 cores" in size_warning(500_000, "embedding")
    assert "about 1 s" in size_warning(10, "embedding")
    assert "h on this machine" in size_warning(5_000_000, "embedding")
