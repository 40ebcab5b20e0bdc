"""`hoshin corridor duplicates`, reviewer overrides steering later verdicts, and bad idea input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import hoshin.cli.corridor  # noqa: F401  (registers the commands)
from corridor.twins import TWIN, add_twins, state
from hoshin.cli import app
from hoshin.service.corridor import override_tier, score_ideas


def run(org: Any, *args: str) -> Any:
    return CliRunner().invoke(app, ["corridor", *args, "--db", org.store.url, "--org", org.id])


def test_duplicates_command_lists_candidate_groups(org: Any) -> None:
    add_twins(org)
    result = run(org, "duplicates", "--threshold", "0.8", "--format", "json")
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)
    assert [g["ids"] for g in groups] == ["I-3 I-4"] and groups[0]["merged"] is False
    assert json.loads(run(org, "duplicates", "--threshold", "1", "--format", "json").stdout) == []


def test_duplicates_command_refuses_a_bad_threshold(org: Any) -> None:
    for bad in ("0", "1.5", "-1"):
        result = run(org, "duplicates", "--threshold", bad)
        assert result.exit_code == 2 and "threshold" in result.stderr
    assert run(org, "duplicates", "--threshold", "high").exit_code == 2


def test_overrides_of_two_tiers_steer_the_verdict_of_a_similar_idea(org: Any, aligner: Any) -> None:
    add_twins(org)
    engine = {v["id"]: v for v in score_ideas(org.store, org.id, aligner)}
    wanted = next(t for t in ("off", "core", "adjacent") if t != engine["I-4"]["tier"])
    other = next(t for t in ("off", "core", "adjacent") if t != wanted)
    override_tier(org.store, org.id, "I-3", wanted, "roof solar is facilities, not product", "rev")
    # One tier labelled shows the learner nowhere to draw a line: the engine's verdicts stand.
    assert {v["id"]: v["tier"] for v in score_ideas(org.store, org.id, aligner)} == {
        i: v["tier"] for i, v in engine.items()
    }
    override_tier(org.store, org.id, "I-1", other, "the reviewers' second tier", "rev")
    again = {v["id"]: v for v in score_ideas(org.store, org.id, aligner)}
    # The twin of a labelled idea follows its label, and its reason names that idea.
    assert again["I-4"]["tier"] == wanted and "like I-3 " in again["I-4"]["why"]
    assert f"the engine alone said {engine['I-4']['tier']}" in again["I-4"]["why"]
    low, high = {"off": (0.0, 0.4), "adjacent": (0.4, 0.7), "core": (0.7, 1.0)}[wanted]
    assert low <= again["I-4"]["score"] < high  # a score in the band of its new tier


def test_bad_idea_input_is_refused_and_stores_nothing(org: Any, tmp_path: Path) -> None:
    client = org.client("contributor", how="token")
    before = state(org)
    for text in ("", "   ", "x" * 20_001):
        response = client.post("/api/v1/ideas", json={"id": "I-9", "text": text, "unit_id": "U-RD"})
        assert response.status_code == 422, text[:10]
    latin1 = tmp_path / "ideas.csv"
    latin1.write_bytes("id,text\nI-9,Caf\xe9 for visitors\n".encode("latin-1"))
    result = CliRunner().invoke(app, ["import", "ideas", str(latin1), "--db", org.store.url, "--org", org.id])
    assert result.exit_code == 2 and "UTF-8" in result.stderr
    assert state(org) == before


def test_similar_box_text_is_checked_like_an_idea(org: Any) -> None:
    client = org.client("contributor", how="token")
    assert client.post("/api/v1/ideas/similar", json={"text": TWIN + "\ufffd"}).status_code == 422
