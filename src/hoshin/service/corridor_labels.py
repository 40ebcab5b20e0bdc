"""The reviewers' labels teach the corridor: one learner for overrides and teach labels alike.

A reviewer's tier for an idea (an override with its reason, or one click on the Teach page) is kept
on the idea with the mission version it was given under. While that version is current, and once
labels of at least two tiers exist, the labelled ideas are the examples of the shared example
learner (domain/corridor_examples.py, the one `corridor triage --examples` uses): it places every
other idea among them, in each full re-score and for each arriving idea. With fewer than two tiers
labelled the engine's zero-shot verdicts stand. Labels of an earlier mission version stay on their
ideas (the inbox shows them) but teach nothing: the line may have moved with the mission.

Where the learner keeps the engine's tier, the engine's verdict stays as it is: its score and its
sentence, which a re-score of a million ideas writes only when someone reads it. Where the learner
moves the tier, the verdict takes the learner's tier and banded score and a sentence naming the
labelled idea that decided it, and is marked decided by an example (with that idea's id), which the
inbox and its CSV/XLSX exports show. A labelled idea is judged without its own label, so its verdict says
what the other labels make of it, beside the reviewer's tier the inbox shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeGuard

import numpy as np

from hoshin.domain.corridor_examples import ExampleLearner, judge_with_examples
from hoshin.domain.quantised import Vectors, rows_of
from hoshin.domain.verdict import Tier, Verdict
from hoshin.service.corridor_examples import default_example_learner
from hoshin.store.verdict_batches import TIER_CODES, VerdictBatch

if TYPE_CHECKING:
    from hoshin.domain.calibration import Thresholds
    from hoshin.service.alignment import Aligner

__all__ = ["LABEL_TIERS", "Decided", "ReviewerLabels", "excluded_rows", "teaches"]

LABEL_TIERS = ("core", "adjacent", "off")
# The learner's grades run off 0, adjacent 1, core 2; verdict batches code core 0, adjacent 1, off 2.
_GRADE = {"off": 0, "adjacent": 1, "core": 2}
_CHUNK = 65_536  # ideas judged at once: a million ideas never hold a million x labels matrix


def teaches(tier: object, version: object, current_version: int) -> TypeGuard[str]:
    """Whether an idea's reviewer tier, given under `version`, is an example for the current
    mission version (a tier not tied to any version teaches whichever is current)."""
    return tier in LABEL_TIERS and (version is None or version == current_version)


def excluded_rows(
    z: np.ndarray, exclusion_z: np.ndarray, thresholds: Thresholds, has_exclusion: bool
) -> np.ndarray:
    """Which verdicts an exclusion decided (domain/explain.judge): a strategist's explicit
    exclusion outranks what the labels suggest, as in `corridor triage --examples`."""
    if not has_exclusion:
        return np.zeros(len(z), dtype=bool)
    exclusion_z = np.asarray(exclusion_z, dtype=np.float64)
    return (exclusion_z >= thresholds.adjacent) & (exclusion_z > np.asarray(z, dtype=np.float64))


@dataclass(frozen=True)
class Decided:
    """What the labels decided for each idea: tier codes (TIER_CODES order), banded 0..1 scores,
    the probability of the decided tier, and the nearest label of that tier (-1 when none)."""

    codes: np.ndarray
    scores: np.ndarray
    confidence: np.ndarray
    nearest: np.ndarray


@dataclass(frozen=True)
class ReviewerLabels:
    """The labelled ideas of one full pass, as the learner's examples."""

    ids: tuple[str, ...]
    texts: tuple[str, ...]
    tiers: tuple[str, ...]
    vectors: np.ndarray  # (labels, d), as Aligner.embed_scored gives them
    z: np.ndarray  # each labelled idea's calibrated z in that pass
    centre: float  # mean and spread of the pass's z (with the labels'), for the `batch_z` feature
    spread: float
    learner: ExampleLearner

    @classmethod
    def fit(
        cls,
        aligner: Aligner,
        labelled: Sequence[tuple[str, str, str]],
        labelled_z: np.ndarray,
        all_z: np.ndarray,
    ) -> ReviewerLabels | None:
        """`labelled`: (id, text, tier) of each labelled idea, `labelled_z` their z in the pass,
        `all_z` every idea's. None with fewer than two tiers: nothing to place ideas between."""
        if len({tier for _, _, tier in labelled}) < 2:
            return None
        texts = [text for _, text, _ in labelled]
        labelled_z = np.asarray(labelled_z, dtype=np.float64)
        # As judge_with_examples standardises: the batch's ideas and the examples together.
        everything = np.concatenate([np.asarray(all_z, dtype=np.float64), labelled_z])
        return cls(
            tuple(i for i, _, _ in labelled),
            tuple(texts),
            tuple(tier for _, _, tier in labelled),
            np.asarray(aligner.embed_scored(texts), dtype=np.float32),
            labelled_z,
            float(everything.mean()),
            float(everything.std()),
            default_example_learner(),
        )

    @property
    def grades(self) -> np.ndarray:
        return np.array([_GRADE[t] for t in self.tiers], dtype=int)

    def decide(self, vectors: Vectors, z: np.ndarray, own: np.ndarray | None = None) -> Decided:
        """The labels' verdict for each row of `vectors` (z: the rows' calibrated z). `own[i]`, when
        0 or more, is row i's own label, left out of its judgement."""
        n = len(z)
        z = np.asarray(z, dtype=np.float64)
        codes = np.empty(n, dtype=np.int8)
        scores = np.empty(n, dtype=np.float64)
        confidence = np.empty(n, dtype=np.float64)
        nearest = np.full(n, -1, dtype=np.int64)
        grades = self.grades
        own = np.full(n, -1, dtype=np.int64) if own is None else np.asarray(own, dtype=np.int64)

        def put(rows: np.ndarray, keep: np.ndarray) -> None:
            block = rows_of(vectors, rows).astype(np.float32, copy=False)
            found = judge_with_examples(
                self.learner,
                block,
                z[rows],
                self.vectors[keep],
                self.z[keep],
                grades[keep],
                (self.centre, self.spread),
            )
            codes[rows] = 2 - found.grades
            scores[rows] = found.scores
            confidence[rows] = found.confidence
            nearest[rows] = np.where(found.nearest >= 0, keep[np.maximum(found.nearest, 0)], -1)

        everyone = np.arange(len(self.ids))
        plain = np.flatnonzero(own < 0)
        for start in range(0, len(plain), _CHUNK):
            put(plain[start : start + _CHUNK], everyone)
        for row in np.flatnonzero(own >= 0).tolist():
            put(np.array([row]), everyone[everyone != own[row]])
        return Decided(codes, scores, confidence, nearest)

    def sentence(self, decided: Decided, i: int, theme: str, engine_tier: str) -> str:
        """The `why` of a verdict whose tier the labels moved: the labelled idea that decided it."""
        tier = TIER_CODES[int(decided.codes[i])]
        sure = f"{decided.confidence[i]:.0%} sure; the engine alone said {engine_tier}"
        j = int(decided.nearest[i])
        if j < 0:
            given = ", ".join(sorted(set(self.tiers)))
            return (
                f"{tier.capitalize()}: placed by the reviewers' labels (none marked {tier}; given: "
                f"{given}); nearest theme '{theme}' ({sure})."
            )
        text = self.texts[j] if len(self.texts[j]) <= 80 else self.texts[j][:77].rstrip() + "..."
        return (
            f"{tier.capitalize()}: like {self.ids[j]} '{text}', which a reviewer marked {tier}; "
            f"nearest theme '{theme}' ({sure})."
        )

    def own_labels(self, ids: Sequence[str]) -> np.ndarray:
        """Each id's position among the labels, -1 for an idea without one."""
        index = {idea_id: j for j, idea_id in enumerate(self.ids)}
        return np.array([index.get(i, -1) for i in ids], dtype=np.int64)

    def apply(
        self,
        verdicts: Sequence[Verdict],
        ids: Sequence[str],
        vectors: Vectors,
        z: np.ndarray,
        excluded: np.ndarray,
    ) -> list[Verdict]:
        """The engine's verdicts with the tiers the labels moved (ideas in the order of `ids`)."""
        decided = self.decide(vectors, z, self.own_labels(ids))
        out = list(verdicts)
        for i, verdict in enumerate(verdicts):
            tier = TIER_CODES[int(decided.codes[i])]
            if excluded[i] or tier == verdict.tier.value:
                continue
            why = self.sentence(decided, i, verdict.theme, verdict.tier.value)
            out[i] = Verdict(
                float(decided.scores[i]), Tier(tier), verdict.theme, why, True, self.example_of(decided, i)
            )
        return out

    def example_of(self, decided: Decided, i: int) -> str | None:
        """The labelled idea that decided verdict i (None when the labels had none of its tier)."""
        j = int(decided.nearest[i])
        return self.ids[j] if j >= 0 else None

    def apply_to_batch(self, batch: VerdictBatch, vectors: Vectors, excluded: np.ndarray) -> VerdictBatch:
        """`apply` for a whole pass held as a batch (`vectors`: the ideas' own, in batch order)."""
        decided = self.decide(vectors, batch.z, self.own_labels(batch.record_ids))
        engine = np.asarray(batch.tier, dtype=np.int8)
        moved = np.flatnonzero((decided.codes != engine) & ~excluded)
        if not len(moved):
            return batch
        tiers = engine.copy()
        tiers[moved] = decided.codes[moved]
        scores = np.array(batch.score, dtype=np.float64)
        scores[moved] = decided.scores[moved]
        whys = dict(batch.whys)
        examples = dict(batch.examples)
        for n in moved.tolist():
            whys[n] = self.sentence(decided, n, batch.theme(n), TIER_CODES[int(engine[n])])
            examples[n] = self.example_of(decided, n)
        return replace(
            batch,
            score=scores,
            tier=tiers.astype(batch.tier.dtype),
            whys=whys,
            examples=examples,
            _built={},
        )
