"""The stateful commands, run in-process through Typer's runner (and once as a real process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hoshin.cli import app

ORG_FILE = Path(__file__).parents[1] / "store" / "fixtures" / "organisation.json"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_init_creates_database_and_organisation(db: str) -> None:
    result = run("init", "--db", db, "--org", "acme", "--name", "Acme")
    assert result.exit_code == 0, result.output
    exported = run("export", "units", "--db", db, "--format", "json")
    assert exported.exit_code == 0 and json.loads(exported.stdout) == []
    again = run("init", "--db", db)
    assert again.exit_code == 0


def test_init_needs_org_and_name_together(db: str) -> None:
    result = run("init", "--db", db, "--org", "acme")
    assert result.exit_code == 2
    assert "--org and --name together" in result.stderr


def test_demo_import_export_backup_restore_round(db: str, tmp_path: Path) -> None:
    assert run("demo", "--db", db, "--file", str(ORG_FILE)).exit_code == 0
    refused = run("demo", "--db", db, "--file", str(ORG_FILE))
    assert refused.exit_code == 1 and "--replace" in refused.stderr
    assert run("demo", "--db", db, "--file", str(ORG_FILE), "--if-empty").exit_code == 0

    out = tmp_path / "ideas.csv"
    assert run("export", "ideas", "--db", db, "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,text,source")
    imported = run("import", "ideas", str(out), "--db", db)
    assert imported.exit_code == 0 and "0 created, 2 updated" in imported.stderr

    backup = tmp_path / "b.json.gz"
    assert run("backup", str(backup), "--db", db).exit_code == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    assert run("restore", str(backup), "--db", other).exit_code == 0
    goals = run("export", "goals", "--db", other, "--format", "json")
    assert [g["id"] for g in json.loads(goals.stdout)] == ["G-C1", "G-K1", "G-U1"]


def test_bad_import_exits_2_naming_file_row_field_and_leaves_db_alone(db: str, tmp_path: Path) -> None:
    run("demo", "--db", db, "--file", str(ORG_FILE))
    bad = tmp_path / "units.csv"
    bad.write_text("id,name,parent_id\nU-X,X,U-CO\nU-Y,Y,U-GHOST\n", encoding="utf-8")
    result = run("import", "units", str(bad), "--db", db)
    assert result.exit_code == 2
    assert f"{bad}, row 3, field 'parent_id'" in result.stderr
    units = json.loads(run("export", "units", "--db", db, "--format", "json").stdout)
    assert len(units) == 3


def test_unknown_kind_and_missing_organisation_exit_2(db: str, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,name\nA,B\n", encoding="utf-8")
    result = run("import", "planets", str(path), "--db", db)
    assert result.exit_code == 2 and "unknown kind 'planets'" in result.stderr
    result = run("import", "units", str(path), "--db", db)
    assert result.exit_code == 2 and "holds no organisation" in result.stderr


def test_audit_records_cli_changes(db: str, tmp_path: Path) -> None:
    from hoshin.service.verdict_reasons import open_store

    run("demo", "--db", db, "--file", str(ORG_FILE))
    path = tmp_path / "units.json"
    path.write_text('[{"id": "U-NEW", "name": "New", "parent_id": "U-CO"}]', encoding="utf-8")
    assert run("import", "units", str(path), "--db", db).exit_code == 0
    with open_store(db) as repo:
        events = repo.audit_events("coolco")
    assert [(e["action"], e["username"]) for e in events] == [("demo", "cli"), ("import", "cli")]
    assert events[1]["detail"]["counts"]["units"] == {"created": 1, "updated": 0}


@pytest.mark.parametrize("command", ["init", "demo", "import", "export", "backup", "restore", "serve"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "--db" in result.stdout


def test_help_loads_no_database_or_model_code() -> None:
    """`hoshin --help` must not import the database layer, torch or openpyxl (how fast it starts
    is a benchmark, bench/bench_cli_startup.py, not a timed test)."""
    code = (
        "import sys; import hoshin.cli; "
        "print(any(m.split('.')[0] in ('sqlalchemy', 'torch', 'openpyxl') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"]
