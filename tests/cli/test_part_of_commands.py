"""`hoshin mission part-of list|remove|restore` over the demo organisation, on SQLite and PostgreSQL.
The demo maker names refrigerators, so its mission draws in HS 8414.30 (compressors)."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner, Result

from cli.conftest import load_demo_into
from hoshin.cli import app
from hoshin.service.verdict_reasons import open_store

COMPRESSORS = "8414.30"


def run(url: str, org: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["mission", "part-of", *args, "--db", url, "--org", org])


def listed(url: str, org: str) -> dict[str, dict[str, Any]]:
    result = run(url, org, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["code"]: row for row in json.loads(result.stdout)}


def snapshot(url: str, org: str) -> tuple[Any, ...]:
    with open_store(url) as repo:
        return repo.mission_versions(org), repo.audit_events(org), repo.verdicts(org, "idea")


def compressor_ideas_lifted(url: str, org: str) -> int:
    with open_store(url) as repo:
        return sum(COMPRESSORS in (v["why"] or "") for v in repo.verdicts(org, "idea"))


def test_remove_then_restore_an_entry(database_url: str) -> None:
    org = load_demo_into(database_url)
    assert listed(database_url, org)[COMPRESSORS]["removed"] is False
    rescored = CliRunner().invoke(app, ["corridor", "rescore", "--db", database_url, "--org", org])
    assert rescored.exit_code == 0, rescored.output
    lifted = compressor_ideas_lifted(database_url, org)
    assert lifted  # demo ideas naming a compressor are core by the entry

    removed = run(database_url, org, "remove", COMPRESSORS)
    assert removed.exit_code == 0, removed.output
    assert "HS 8414.30 (compressors) removed" in removed.stderr
    row = listed(database_url, org)[COMPRESSORS]
    assert row["removed"] is True and row["removed_by"] == "cli" and row["removed_at"]
    assert compressor_ideas_lifted(database_url, org) == 0
    with open_store(database_url) as repo:
        versions = repo.mission_versions(org)
        assert versions[-1]["removed_parts"][0]["code"] == COMPRESSORS
        assert versions[-1]["text"] == versions[-2]["text"]
        assert "mission.remove_part" in {e["action"] for e in repo.audit_events(org)}

    restored = run(database_url, org, "restore", COMPRESSORS)
    assert restored.exit_code == 0, restored.output
    assert listed(database_url, org)[COMPRESSORS]["removed"] is False
    assert compressor_ideas_lifted(database_url, org) == lifted


def test_a_wordnet_entry_is_removed_under_its_own_source(database_url: str) -> None:
    org = load_demo_into(database_url)
    removed = run(database_url, org, "remove", "wn30-04190747")
    assert removed.exit_code == 0, removed.output
    assert "WordNet 3.0 WN30-04190747 (" in removed.stderr and "HS WN30" not in removed.stderr
    assert listed(database_url, org)["WN30-04190747"]["removed"] is True


def test_bad_codes_are_refused_and_change_nothing(database_url: str) -> None:
    org = load_demo_into(database_url)
    before = snapshot(database_url, org)
    for args, code, words in (
        (("remove", "9999.99"), 2, "no entry of the extracts Hoshin ships"),
        (("remove", "fridge"), 2, "four digits, a dot and two digits"),
        (("remove", "4011.10"), 2, "not drawn in by this mission"),
        (("restore", COMPRESSORS), 1, "nothing to restore"),
    ):
        result = run(database_url, org, *args)
        assert result.exit_code == code, (args, result.output)
        assert result.stderr.startswith("error: code:") and words in result.stderr
    assert snapshot(database_url, org) == before
    assert run(database_url, org, "remove", COMPRESSORS).exit_code == 0
    once = snapshot(database_url, org)
    twice = run(database_url, org, "remove", COMPRESSORS)
    assert twice.exit_code == 1 and "removed already by cli" in twice.stderr
    assert "hoshin mission part-of restore 8414.30" in twice.stderr
    assert snapshot(database_url, org) == once


def test_help_teaches_the_commands() -> None:
    result = CliRunner().invoke(app, ["mission", "part-of", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for words in (
        "HS 2022",
        "WordNet 3.0",
        "CAPEC",
        "part-of remove 8414.30",
        "part-of restore 8414.30",
        "re-scored",
    ):
        assert words in result.output
    remove = CliRunner().invoke(app, ["mission", "part-of", "remove", "--help"], terminal_width=200)
    assert "CODE" in remove.output and "four digits, a dot and two digits" in remove.output
    assert "WN30-04190747" in remove.output and "CAPEC-98" in remove.output


def test_an_organisation_without_a_mission_has_no_entries_to_list_or_remove(database_url: str) -> None:
    made = CliRunner().invoke(app, ["init", "--db", database_url, "--org", "bare", "--name", "Bare"])
    assert made.exit_code == 0, made.output
    before = snapshot(database_url, "bare")
    for args in (("list",), ("remove", COMPRESSORS), ("restore", COMPRESSORS)):
        result = run(database_url, "bare", *args)
        assert result.exit_code == 1, result.output
        assert "no mission yet" in result.stderr and "hoshin import mission" in result.stderr
    assert snapshot(database_url, "bare") == before
