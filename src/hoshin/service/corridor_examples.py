"""Triage with a reviewer's examples: the use case behind `corridor triage --examples`.

The examples are scored in the same batch as the ideas (so both get the same calibration), then
the shared example learner (domain/corridor_examples.py) places every idea among them. The `why`
of each verdict names the example that decided it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from hoshin.domain.corridor_examples import (
    GRADE_OF_TIER,
    ExampleLearner,
    ExampleVerdicts,
    judge_with_examples,
)
from hoshin.domain.explain import judge
from hoshin.domain.verdict import Tier, Verdict
from hoshin.errors import InputError
from hoshin.io.tables import TableSpec
from hoshin.service.alignment import Aligner, ScoredBatch

__all__ = [
    "EXAMPLES_SPEC",
    "LabelledExample",
    "default_example_learner",
    "examples_from_rows",
    "judge_by_examples",
]

TIER_NAMES = tuple(t.value for t in (Tier.CORE, Tier.ADJACENT, Tier.OFF))

# An examples file: `text,tier` plus optional `id` and `why`; ids may be left out.
EXAMPLES_SPEC = TableSpec(
    required=("text", "tier"),
    optional=("id", "why"),
    non_empty=("text", "tier"),
    unique=None,
    choices={"tier": TIER_NAMES},
)


@dataclass(frozen=True)
class LabelledExample:
    """An idea a reviewer placed in a tier, with their optional reason."""

    text: str
    tier: Tier
    id: str = ""
    why: str = ""


@lru_cache(maxsize=1)
def default_example_learner() -> ExampleLearner:
    """The learner shipped with Hoshin (data/example_learner.json, fitted by
    eval/train_example_learner.py)."""
    raw = resources.files("hoshin.data").joinpath("example_learner.json").read_text("utf-8")
    return ExampleLearner.from_dict(json.loads(raw))


def examples_from_rows(rows: Sequence[dict[str, str]], source: str) -> list[LabelledExample]:
    """Examples from file rows read with EXAMPLES_SPEC (which checked each row's tier)."""
    examples = [LabelledExample(r["text"], Tier(r["tier"]), r.get("id", ""), r.get("why", "")) for r in rows]
    given = {e.tier for e in examples}
    if len(given) < 2:
        only = next(iter(given)).value if given else "nothing"
        raise InputError(
            f"{source}: every example is marked {only}, field 'tier'; the examples must show where the "
            "line runs, so give examples of at least two tiers (core, adjacent, off)"
        )
    return examples


def learner_vectors(aligner: Aligner, batch: ScoredBatch, texts: Sequence[str]) -> np.ndarray:
    """The vectors the learner compares ideas and examples by: the texts as written. Where the
    batch dropped no boilerplate words those are the vectors it scored (no second embedding);
    otherwise the texts are embedded whole, since the dropped words (e.g. "manufacturing" on every
    line) still tell similar lines apart (tier macro-F1 0.01 higher on ISIC and CPV lists)."""
    if not batch.drop and batch.vectors is not None:
        return batch.vectors
    return aligner.embed(list(texts))


def judge_by_examples(
    aligner: Aligner,
    batch: ScoredBatch,
    texts: Sequence[str],
    examples: Sequence[LabelledExample],
    learner: ExampleLearner | None = None,
    reference: tuple[float, float] | None = None,
) -> list[Verdict]:
    """Verdicts for `texts` (the first len(texts) lines of `batch`, whose remaining lines are the
    examples' texts in order), decided by the examples. `reference` (mean, spread of z) stands
    for a larger batch these texts are one chunk of (a streamed triage); by default the batch's
    own lines are the reference."""
    n = len(texts)
    vectors = learner_vectors(aligner, batch, [*texts, *(e.text for e in examples)])
    z = batch.result.z
    grades = [GRADE_OF_TIER[e.tier] for e in examples]
    learner = learner or default_example_learner()
    decided = judge_with_examples(learner, vectors[:n], z[:n], vectors[n:], z[n:], grades, reference)
    verdicts = []
    has_exclusion = bool(batch.mission.exclusion_names)
    for i in range(n):
        engine = batch.verdicts[i]
        _, _, excluded = judge(
            float(z[i]), aligner.thresholds, float(batch.result.exclusion_z[i]), has_exclusion
        )
        if excluded:
            # A strategist's explicit exclusion outranks what the examples suggest.
            verdicts.append(engine)
            continue
        tier = decided.tier(i)
        verdicts.append(
            Verdict(
                float(decided.scores[i]), tier, engine.theme, _why(tier, decided, i, examples, engine.theme)
            )
        )
    return verdicts


def _why(
    tier: Tier, decided: ExampleVerdicts, i: int, examples: Sequence[LabelledExample], theme: str
) -> str:
    sure = f"{decided.confidence[i]:.0%} sure"
    nearest = int(decided.nearest[i])
    label = tier.value.capitalize()
    if nearest < 0:
        marked = ", ".join(sorted({e.tier.value for e in examples}))
        return (
            f"{label}: placed by the reviewer's examples (none marked {tier.value}; given: {marked}); "
            f"nearest theme '{theme}' ({sure})."
        )
    example = examples[nearest]
    name = f" ({example.id})" if example.id else ""
    because = f", because {example.why.rstrip('.')}" if example.why else ""
    return (
        f"{label}: like '{example.text}'{name}, which a reviewer marked {tier.value}{because}; "
        f"nearest theme '{theme}' ({sure})."
    )
