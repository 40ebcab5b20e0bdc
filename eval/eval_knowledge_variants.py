"""Knowledge ranking variants side by side (issue 20): nDCG@5 per source beside raw cosine.

Every text is embedded once and kept in a cache file, so each variant is a few lines of numpy on
the same vectors. Sources: the dev skills list and each eval/sets/<source>/knowledge*.jsonl.

    python eval/eval_knowledge_variants.py [cache.pkl]
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


from metrics import ndcg  # noqa: E402

from hoshin.domain.alignment import EngineParams, calibrated_rows  # noqa: E402
from hoshin.domain.calibration import hubness  # noqa: E402
from hoshin.domain.knowledge_reading import best_centre, mission_parts  # noqa: E402
from hoshin.domain.mission import ThemeKind  # noqa: E402
from hoshin.domain.text import without_exceptions  # noqa: E402
from hoshin.service.alignment import Aligner, facet_texts  # noqa: E402

DEV = HERE.parents[1] / "shared" / "eval" / "dev"


def sources() -> dict[str, list[dict[str, Any]]]:
    out = {"dev": [json.loads(x) for x in open(DEV / "knowledge-onet-skills.jsonl", encoding="utf-8")]}
    for path in sorted(glob.glob(str(HERE / "sets" / "*" / "knowledge*.jsonl"))):
        out[Path(path).parent.name] = [json.loads(x) for x in open(path, encoding="utf-8")]
    return out


def build(aligner: Aligner) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, cases in sources().items():
        rows = []
        for case in cases:
            areas = case["areas"]
            themes = aligner.mission_model(case["mission"]).themes or ()
            facets = [f for t in themes if t.kind == ThemeKind.WHAT for f in facet_texts(t)]
            rows.append(
                {
                    "gain": [max(0.0, case["importance"][a["id"]] - 1.0) for a in areas],
                    "full": aligner.embed([f"{a['name']}: {a['description']}" for a in areas]),
                    "name": aligner.embed([a["name"] for a in areas]),
                    "desc": aligner.embed([a["description"] or a["name"] for a in areas]),
                    "mission": aligner.embed([case["mission"]])[0],
                    "statement": aligner.embed([without_exceptions(case["mission"])])[0],
                    "parts": aligner.embed(mission_parts(case["mission"])),
                    "facets": aligner.embed(facets) if facets else np.zeros((0, 384)),
                }
            )
        data[name] = rows
    data["background"] = aligner.background
    return data


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


class Variants:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data, self.bg = data, data["background"]
        self.params = EngineParams()
        self.bg_hub = hubness(self.bg, self.bg, self.params.hub_k, exclude_self=True)

    def z(self, items: np.ndarray, targets: np.ndarray, hub_weight: float = 0.5) -> np.ndarray:
        params = replace(self.params, hub_weight=hub_weight)
        return calibrated_rows(items, np.atleast_2d(targets), self.bg, params, self.bg_hub)

    def score(
        self,
        c: dict[str, Any],
        parts: float = 1.0,
        tau: float = 1.0,
        feedback: float = 0.25,
        facets: float = 0.25,
        hub: float = 0.5,
        name: float = 0.0,
        top: int = 3,
    ) -> np.ndarray:
        """The shipped reading with every weight open (parts 0 and feedback 0: the reading before)."""
        items = unit(name * c["name"] + (1 - name) * c["full"]) if name else c["full"]
        nf = len(c["facets"])
        zz = self.z(items, np.vstack([c["statement"][None], c["facets"], c["parts"]]), hub)
        s = zz[:, 0]
        if nf:
            s = (s + facets * zz[:, 1 : 1 + nf].mean(axis=1)) / (1 + facets)
        zp = zz[:, 1 + nf :]
        if parts and zp.shape[1] >= 2:
            m = zp.max(axis=1)
            soft = m + tau * np.log(np.exp((zp - m[:, None]) / tau).mean(axis=1))
            s = (s + parts * soft) / (1 + parts)
        if feedback:
            centre = best_centre(items, s, top)
            if centre is not None:
                s = (s + feedback * self.z(items, centre, hub)[:, 0]) / (1 + feedback)
        return s

    def ndcg(self, fn: Any) -> dict[str, float]:
        out = {}
        for src, cases in self.data.items():
            if src == "background":
                continue
            values = []
            for c in cases:
                order = np.argsort(-fn(c), kind="stable")
                values.append(ndcg([c["gain"][j] for j in order], c["gain"], 5))
            out[src] = round(float(np.mean(values)), 4)
        return out


def main() -> int:
    cache = sys.argv[1] if len(sys.argv) > 1 else "/tmp/know_cache.pkl"
    if os.path.exists(cache):
        data = pickle.load(open(cache, "rb"))
    else:
        data = build(Aligner())
        pickle.dump(data, open(cache, "wb"))
    v = Variants(data)
    bg_mean = v.bg.mean(axis=0)
    rows: list[tuple[str, Any]] = [
        ("raw cosine", lambda c: c["full"] @ c["mission"]),
        ("before (statement + facets)", lambda c: v.score(c, parts=0, feedback=0)),
        ("+ sentences", lambda c: v.score(c, feedback=0)),
        ("+ feedback", lambda c: v.score(c, parts=0)),
        ("shipped (both)", lambda c: v.score(c)),
        ("name weighted 0.2 / 0.5", lambda c: v.score(c, name=0.2)),
        ("", lambda c: v.score(c, name=0.5)),
        ("hub weight 0.4 / 0.6 / 0.75", lambda c: v.score(c, hub=0.4)),
        ("", lambda c: v.score(c, hub=0.6)),
        ("", lambda c: v.score(c, hub=0.75)),
        ("mean-over-background hub 0.5", lambda c: v.score(c) - 5.0 * (c["full"] @ bg_mean)),
        ("centred on background mean", lambda c: unit(c["full"] - bg_mean) @ unit(c["statement"] - bg_mean)),
        ("feedback top 5 / weight 0.5", lambda c: v.score(c, top=5)),
        ("", lambda c: v.score(c, feedback=0.5)),
        ("sentences plain max", lambda c: v.score(c, tau=0.05)),
    ]
    for label, fn in rows:
        print(f"{label:<32} {v.ndcg(fn)}", flush=True)
    # Leave one source out: the best (parts, feedback) on one source, read on the other.
    grid = list(itertools.product((0.0, 0.5, 1.0, 2.0), (0.0, 0.25, 0.5)))
    found = {g: v.ndcg(lambda c, g=g: v.score(c, parts=g[0], feedback=g[1])) for g in grid}
    for chosen in ("dev", "esco"):
        best = max(grid, key=lambda g: found[g][chosen])
        print(f"chosen on {chosen}: parts {best[0]}, feedback {best[1]} -> {found[best]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
