"""`hoshin corridor rescore | inbox | override` on a stored organisation."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

import hoshin.cli.corridor  # noqa: F401  (registers the commands, whatever cli/__init__ imports)
from corridor.support import state
from hoshin.cli import app


def run(org: Any, *args: str) -> Any:
    return CliRunner().invoke(app, ["corridor", *args, "--db", org.store.url, "--org", org.id])


def test_rescore_then_inbox_as_json(org: Any) -> None:
    result = run(org, "rescore")
    assert result.exit_code == 0, result.output
    assert "scored 2 ideas" in result.stderr
    inbox = run(org, "inbox", "--format", "json")
    assert inbox.exit_code == 0, inbox.output
    rows = json.loads(inbox.stdout)
    assert sorted(r["id"] for r in rows) == ["I-1", "I-2"]
    assert all(r["tier"] in ("core", "adjacent", "off") and r["why"] for r in rows)
    tier = rows[0]["tier"]
    only = json.loads(run(org, "inbox", "--tier", tier, "--format", "json").stdout)
    assert {r["id"] for r in only} == {r["id"] for r in rows if r["tier"] == tier}


def test_override_is_stored_and_shown_in_the_inbox(org: Any) -> None:
    assert run(org, "rescore").exit_code == 0
    result = run(org, "override", "I-2", "core", "--reason", "service contracts keep fridges running")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(run(org, "inbox", "--format", "json").stdout)}
    assert rows["I-2"]["effective_tier"] == "core"
    assert rows["I-2"]["override_reason"] == "service contracts keep fridges running"
    assert rows["I-2"]["reviewer"] == "cli"
    # The override, then the re-score it caused (it teaches the corridor).
    assert [e["action"] for e in org.store.audit_events(org.id)[-2:]] == ["idea.override", "corridor.relearn"]


def test_bad_input_exits_with_a_message_and_changes_nothing(org: Any) -> None:
    before = state(org)
    bad_tier = run(org, "override", "I-1", "maybe", "--reason", "x")
    assert bad_tier.exit_code == 2 and "unknown tier 'maybe'" in bad_tier.stderr
    empty = run(org, "override", "I-1", "core", "--reason", "  ")
    assert empty.exit_code == 2 and "needs a reason" in empty.stderr
    unknown = run(org, "override", "I-NOPE", "core", "--reason", "x")
    assert unknown.exit_code == 1 and "I-NOPE" in unknown.stderr
    inbox = run(org, "inbox", "--status", "done")
    assert inbox.exit_code == 2 and "unknown status" in inbox.stderr
    assert state(org) == before
