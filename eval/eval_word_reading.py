"""A word-level reading of each idea beside the sentence score: measured, not kept (issue 20).

Usage:  python eval/eval_word_reading.py

Each content word of an idea's scored text is embedded alone (once per distinct word); its cosine to
the mission targets is weighted by its rarity in the packaged background corpus (idf / 7.8, to a
power p); the idea's word signal is its best word, calibrated as a z against the same signal of the
background lines for that mission. Targets: the mission rows the engine embeds ("rows": statement,
themes, parts/materials facets), the mission's content words embedded alone ("words"), or both;
cosines as they are, or first z-scored per target against every background word ("per-word").
Combined with the shipped z as max(z, word z - d) or z + w x word z, after feedback (the centre is
not re-chosen). Prints nDCG@10, AUC of core vs off and tier macro-F1 (shipped thresholds) on every
graded corridor source, and the hand-written corridor acceptance cases that pass. The table in
docs/calibration.md ("A word-level reading of each idea") comes from this output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metrics import auc, macro_f1, ndcg  # noqa: E402

from hoshin.data.corpora import background_texts  # noqa: E402
from hoshin.domain.text import MISSION_FILLER, content_words, scored_text, stem  # noqa: E402
from hoshin.service.alignment import Aligner  # noqa: E402
from hoshin.service.cascade import general_word_rarity  # noqa: E402

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "eval" / "dev"
SOURCES = {
    "dev": DEV / "corridor-manufacturing.jsonl",
    "cpc": HERE / "sets" / "cpc" / "corridor-cpc-services.jsonl",
    "cpv": HERE / "sets" / "cpv" / "corridor-cpv-groups.jsonl",
    "isic": HERE / "sets" / "isic" / "corridor-isic-divisions.jsonl",
}
RARITY_SCALE = 7.8  # the largest idf of the background corpus: weights run up to 1
CORE, ADJACENT = 3.4, 2.2


@dataclass
class Words:
    """One text's words: their rarity and their cosine to every target (rows first, then words)."""

    rarity: np.ndarray  # (w,)
    cosines: np.ndarray  # (w, targets)


@dataclass
class Case:
    z: np.ndarray  # shipped z of every text
    n_rows: int  # targets before the mission's own words
    texts: list[Words]
    background: list[Words]
    grades: list[int] | None = None
    expect: list[str] | None = None
    names: list[str] | None = None


class Reader:
    def __init__(self) -> None:
        self.aligner = Aligner()
        self.rarity = general_word_rarity()
        self.background = background_texts()
        self.kept: dict[str, np.ndarray] = {}

    def vectors(self, words: list[str]) -> np.ndarray:
        new = sorted({w for w in words if w not in self.kept})
        if new:
            self.kept.update(zip(new, self.aligner.embed(new)))
        return np.array([self.kept[w] for w in words])

    def words(self, texts: list[str], drop: frozenset[str], targets: np.ndarray) -> list[Words]:
        out = []
        for text in texts:
            ws = list(dict.fromkeys(content_words(scored_text(text, drop), MISSION_FILLER)))
            if not ws:
                out.append(Words(np.zeros(0), np.zeros((0, len(targets)))))
                continue
            rarity = np.array([self.rarity[stem(w)] for w in ws])
            out.append(Words(rarity, self.vectors(ws) @ targets.T))
        return out

    def case(self, mission: str, texts: list[str]) -> Case:
        model = self.aligner.mission_model(mission)
        batch = self.aligner.score_batch(model, texts)
        own = [w for w in dict.fromkeys(content_words(mission, MISSION_FILLER)) if w not in batch.drop]
        rows = batch.mission.vectors
        targets = np.concatenate([rows, self.vectors(own)]) if own else rows
        return Case(
            batch.result.z.copy(),
            len(rows),
            self.words(texts, batch.drop, targets),
            self.words(self.background, batch.drop, targets),
        )


def word_z(case: Case, targets: str, power: int, per_word: bool) -> np.ndarray:
    width = case.texts[0].cosines.shape[1] if case.texts else case.n_rows
    if targets == "rows" or width == case.n_rows:
        pick: Callable[[np.ndarray], np.ndarray] = lambda c: c[:, : case.n_rows]  # noqa: E731
    elif targets == "words":
        pick = lambda c: c[:, case.n_rows :]  # noqa: E731
    else:
        pick = lambda c: c  # noqa: E731
    mean, spread = 0.0, 1.0
    if per_word:
        every = np.concatenate([pick(w.cosines) for w in case.background if len(w.rarity)])
        mean, spread = every.mean(axis=0), every.std(axis=0) + 1e-6

    def signal(items: list[Words]) -> np.ndarray:
        out = np.zeros(len(items))
        for k, w in enumerate(items):
            if len(w.rarity):
                best = ((pick(w.cosines) - mean) / spread).max(axis=1)
                out[k] = (best * (w.rarity / RARITY_SCALE) ** power).max()
        return out

    null = signal(case.background)
    return (signal(case.texts) - null.mean()) / max(float(null.std()), 1e-6)


def tiers(z: np.ndarray) -> np.ndarray:
    return np.where(z >= CORE, 2, np.where(z >= ADJACENT, 1, 0))


def graded(cases: list[Case], score: Callable[[Case], np.ndarray]) -> str:
    nd, au, truth, pred = [], [], [], []
    for case in cases:
        z, g = score(case), np.array(case.grades)
        order = np.argsort(-z, kind="stable")
        nd.append(ndcg(list(g[order]), list(g), 10))
        au.append(auc(list(z[g == 2]), list(z[g == 0])))
        truth += list(g)
        pred += list(tiers(z))
    return f"{np.mean(nd):.3f} {np.nanmean(au):.3f} {macro_f1(truth, pred, [0, 1, 2]):.3f}"


def accepted(cases: list[Case], score: Callable[[Case], np.ndarray]) -> str:
    passed, failed = 0, []
    for case in cases:
        for name, expect, tier, z in zip(
            case.names or [], case.expect or [], tiers(score(case)), score(case)
        ):
            got = ("off", "adjacent", "core")[tier]
            ok = got == expect if expect != "adjacent" else got != "core"
            passed += ok
            if not ok:
                failed.append(f"{name[:24]} {z:.2f}")
    return f"{passed} {failed}"


def main() -> int:
    reader = Reader()
    graded_cases: dict[str, list[Case]] = {}
    for name, path in SOURCES.items():
        graded_cases[name] = []
        for line in open(path, encoding="utf-8"):
            raw = json.loads(line)
            case = reader.case(raw["mission"], [i["text"] for i in raw["items"]])
            case.grades = [i["grade"] for i in raw["items"]]
            graded_cases[name].append(case)
    acceptance = []
    for raw in json.loads((DEV / "acceptance-cases.json").read_text("utf-8"))["corridor"]:
        texts, expect = [], []
        for tier in ("core", "adjacent", "off"):
            texts += raw.get(tier, [])
            expect += [tier] * len(raw.get(tier, []))
        case = reader.case(raw["mission"], texts)
        case.expect, case.names = expect, texts
        acceptance.append(case)

    def report(label: str, score: Callable[[Case], np.ndarray]) -> None:
        numbers = " | ".join(f"{s} {graded(c, score)}" for s, c in graded_cases.items())
        print(f"{label:<28} | {numbers} | acc {accepted(acceptance, score)}", flush=True)

    report("shipped", lambda c: c.z)
    kept: dict[tuple[int, str, int, bool], np.ndarray] = {}
    for per_word in (False, True):
        for targets in ("rows", "words", "both"):
            for power in (0, 1, 2):

                def signal(c: Case, t: str = targets, p: int = power, pw: bool = per_word) -> np.ndarray:
                    key = (id(c), t, p, pw)
                    if key not in kept:
                        kept[key] = word_z(c, t, p, pw)
                    return kept[key]

                tag = f"{'per-word ' if per_word else ''}{targets} p={power}"
                for d in (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5):
                    report(f"{tag} max d={d}", lambda c, d=d, f=signal: np.maximum(c.z, f(c) - d))
                for w in (0.1, 0.2, 0.3, 0.5):
                    report(f"{tag} add w={w}", lambda c, w=w, f=signal: c.z + w * f(c))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
