"""`make run` tells a new user how to sign in: `hoshin demo` (which it runs before serving) ends with
the demo users' log-ins, whether it loaded the demo now or found it loaded before."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

LOG_INS = ("admin / demo-admin", "strategist / demo-strategist", "viewer / demo-viewer")


@pytest.fixture(autouse=True)
def hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def test_demo_prints_the_log_ins_when_loading_and_when_already_loaded(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    for args in (["demo", "--db", db], ["demo", "--db", db, "--if-empty"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        for log_in in LOG_INS:
            assert log_in in result.stderr, (args, result.stderr)
        assert result.stdout == ""  # stdout stays clean for data


def test_make_run_loads_the_demo_before_serving() -> None:
    root = Path(__file__).parents[2]
    plan = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert plan.index("hoshin demo") < plan.index("hoshin serve")
