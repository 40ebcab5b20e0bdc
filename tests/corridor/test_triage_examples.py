"""`hoshin corridor triage --examples`: a reviewer's labelled ideas decide the tiers (DESIGN.md's
batch contract), and bad example files exit 2 naming the row and field."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from hoshin.cli import app
from hoshin.domain.corridor_examples import FEATURE_NAMES, ExampleLearner, judge_with_examples
from hoshin.service.corridor_examples import default_example_learner

MISSION = "We build reliable refrigerators"
IDEAS = (
    "id,text\n"
    "1,refrigerator door seal that lasts\n"
    "2,piano lessons for children\n"
    "3,countertop blender with glass jug\n"
)
EXAMPLES = (
    "id,text,tier,why\n"
    "E1,refrigerator door seal replacement kit,core,keeps the cold in\n"
    "E2,countertop blender motor,adjacent,\n"
    "E3,piano lessons,off,\n"
)


@pytest.fixture(autouse=True)
def fast_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_EMBEDDER", "hashing")


def triage(tmp_path: Path, examples: str, ideas: str = IDEAS, suffix: str = ".csv") -> tuple[int, str, str]:
    (tmp_path / "ideas.csv").write_text(ideas, encoding="utf-8")
    (tmp_path / f"examples{suffix}").write_text(examples, encoding="utf-8")
    args = ["corridor", "triage", "-m", MISSION, "-i", str(tmp_path / "ideas.csv")]
    args += ["--examples", str(tmp_path / f"examples{suffix}"), "--format", "json"]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_examples_decide_the_tiers_and_are_named_in_the_reason(tmp_path: Path) -> None:
    code, out, err = triage(tmp_path, EXAMPLES)
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert set(rows) == {"1", "2", "3"}  # the examples themselves are not verdicts
    assert rows["1"]["tier"] == "core"
    assert "'refrigerator door seal replacement kit' (E1), which a reviewer marked core" in rows["1"]["why"]
    assert "because keeps the cold in" in rows["1"]["why"]
    assert rows["2"]["tier"] == "off" and "'piano lessons' (E3)" in rows["2"]["why"]
    assert rows["3"]["tier"] == "adjacent" and "'countertop blender motor'" in rows["3"]["why"]


def test_scores_follow_tiers_best_first(tmp_path: Path) -> None:
    code, out, _ = triage(tmp_path, EXAMPLES)
    rows = json.loads(out)
    assert code == 0
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    bands = {"core": (0.7, 1.0), "adjacent": (0.4, 0.7), "off": (0.0, 0.4)}
    for row in rows:
        low, high = bands[row["tier"]]
        assert low <= row["score"] <= high


def test_examples_in_jsonl_with_capitalised_tiers(tmp_path: Path) -> None:
    lines = [
        {"text": "refrigerator door seal replacement kit", "tier": "Core"},
        {"text": "piano lessons", "tier": "OFF"},
    ]
    code, out, err = triage(tmp_path, "\n".join(json.dumps(x) for x in lines) + "\n", suffix=".jsonl")
    assert code == 0, err
    assert {r["id"]: r["tier"] for r in json.loads(out)}["1"] == "core"


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        (
            "text,tier\nrefrigerator door seal,central\npiano,off\n",
            "row 2, field 'tier': 'central' is not allowed",
        ),
        ("text,tier\nrefrigerator door seal,core\n,off\n", "row 3, field 'text': is empty"),
        ("text,tier\na,core\nb,\n", "row 3, field 'tier': is empty"),
        ("text,label\na,core\n", "missing column tier"),
        ("text,tier\na,core\nb,core\n", "every example is marked core, field 'tier'"),
    ],
)
def test_bad_examples_exit_2_naming_row_and_field(tmp_path: Path, examples: str, message: str) -> None:
    code, out, err = triage(tmp_path, examples)
    assert code == 2
    assert message in err and "examples.csv" in err
    assert out == ""


def test_every_shipped_feature_has_a_weight_per_tier() -> None:
    learner = default_example_learner()
    assert learner.weights.shape == (3, len(FEATURE_NAMES))
    assert np.all(np.isfinite(learner.weights)) and np.all(learner.scale > 0)


def test_a_copy_of_an_example_gets_that_examples_tier() -> None:
    """Whatever the mission scores say, an idea that is a copy of a reviewer's example (and far from
    the other examples) takes the example's tier and names it as nearest."""
    learner: ExampleLearner = default_example_learner()
    rng = np.random.default_rng(7)
    examples = rng.normal(size=(3, 16))
    examples /= np.linalg.norm(examples, axis=1, keepdims=True)
    example_z = np.array([4.0, 2.5, 0.5])  # core, adjacent, off as the mission sees them
    grades = [2, 1, 0]
    decided = judge_with_examples(learner, examples, example_z, examples, example_z, grades)
    assert decided.grades.tolist() == grades
    assert decided.nearest.tolist() == [0, 1, 2]
