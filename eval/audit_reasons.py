"""Audit of the words reasons quote as evidence: none may be a function word or an uninformative one.

    PYTHONPATH=src .venv/bin/python eval/audit_reasons.py [--examples N] [--quick]

Runs every batch command's service path on the development data (../shared/eval/dev, eval/sets/*,
the hand-written sets of eval/, read only) and on the demo organisation:
corridor triage, knowledge rank, cascade link, cascade check, twins (the duplicates' pair
reasons), principles check and brand check. From every reason (`why`, `detail`, `reason`) it takes
each quoted word ('...' or "..." of at most three words; longer quotes are texts, not evidence) and
flags it when it is
- a function word: in a general English stop-word list (scikit-learn's, independent of the
  product's own lists), or one of the generic words an outside reader named ('includes', 'other',
  'systems', 'services', ...), compared with its inflection bases so plurals and verb forms count;
- uninformative: it (or its base) occurs in at least 2 % of the packaged general corpus
  (hoshin/data/background.txt, the texts the product's general word rarity is counted over).
Prints, per reason kind, how many quoted words there were and how many were flagged, with
examples. Exit status 1 when any word is flagged (so it can guard a change). `--verdicts FILE`
writes every output less its sentences, so two versions can be compared (`cmp`): a change to the
reasons must leave that file as it was. Needs scikit-learn (in the development environment) for
its stop-word list, which is kept apart from the product's own on purpose.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from acceptance import cascade_rows
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from hoshin.data.corpora import background_texts
from hoshin.domain.text import words
from hoshin.service.alignment import Aligner
from hoshin.service.batch import link_goals, rank_knowledge, triage

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "eval" / "dev"
SETS = HERE / "sets"
DEMO = HERE.parent / "src" / "hoshin" / "data" / "demo" / "organisation.json"

# The generic words named in issue 20 and their kin: a reader counts them as no evidence at all.
NAMED_GENERIC = {"include", "includes", "other", "others", "system", "systems", "service", "services", "and"}
# Content words that the general list holds all the same (it was drawn from a word count, not a
# grammar): a reason quoting 'fire' for a fire-safety firm quotes evidence. Reported on their own
# line, not counted as flagged.
# "mine" is there as a pronoun; in these texts it is always a pit ("mine electrical engineer").
LIST_ARTEFACTS = frozenset(
    {"bill", "fire", "mill", "interest", "thick", "thin", "cry", "serious", "sincere", "empty", "mine"}
)
FUNCTION_WORDS = frozenset(ENGLISH_STOP_WORDS | NAMED_GENERIC) - LIST_ARTEFACTS
COMMON_SHARE = 0.02

# A quoted word: 'word' or "word" (apostrophes inside words such as "children's" are not quote
# marks). Evidence is always quoted one word at a time ('a', 'b'); a longer quote is a name or a
# text. A quote right after "theme" or "exclusion" is the name of one, not evidence.
_QUOTE = re.compile(r"(?<![\w'])(?<!theme )(?<!exclusion )(['\"])([^\W\d_][\w-]*)\1(?![\w])")


def base_forms(word: str) -> set[str]:
    """The word and its plain inflection bases ("systems" -> "system", "includes" -> "include",
    "including" -> "includ"/"include"), not the crude stem: "mining" is not "mine" and "care" is
    not "car"."""
    out = {word}
    if word.endswith("ies"):
        out.add(word[:-3] + "y")
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        out.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    # A verb ending comes off only where four letters or more are left ("ring" is not "r", "seed"
    # is not "see", "mining" is not "mine").
    for ending in ("ing", "ed"):
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= 4:
            out.update({base, base + "e"})
            if base[-1] == base[-2] and len(base) > 4:
                out.add(base[:-1])  # "shopping" is "shop"; "canning" is not "can"
    return out


def common_words() -> set[str]:
    texts = background_texts()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({b for w in words(text) for b in base_forms(w)})
    return {s for s, c in counts.items() if c >= COMMON_SHARE * len(texts)}


def quoted_words(reason: str) -> Iterator[str]:
    for m in _QUOTE.finditer(reason):
        yield m.group(2).lower()


class Audit:
    def __init__(self) -> None:
        self.common = common_words()
        self.total: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.function: dict[str, Counter[str]] = defaultdict(Counter)
        self.uninformative: dict[str, Counter[str]] = defaultdict(Counter)
        self.examples: dict[str, list[str]] = defaultdict(list)
        self.artefacts: Counter[str] = Counter()
        self.verdicts: list[str] = []  # every output less its sentences: reasons may change, these not

    def keep(self, kind: str, result: Any) -> None:
        """Keep what a command decided (scores, tiers, orders, issue kinds) without its sentences."""
        self.verdicts.append(kind + " " + json.dumps(_without_sentences(result), sort_keys=True, default=str))

    def add(self, kind: str, reason: str) -> None:
        if not reason:
            return
        self.reasons[kind] += 1
        bad = False
        for word in quoted_words(reason):
            self.total[kind] += 1
            forms = base_forms(word)
            if forms & LIST_ARTEFACTS:
                self.artefacts[word] += 1
            elif forms & FUNCTION_WORDS:
                self.function[kind][word] += 1
                bad = True
            elif forms & self.common:
                self.uninformative[kind][word] += 1
                bad = True
        if bad and len(self.examples[kind]) < 50:
            self.examples[kind].append(reason)

    def report(self, n_examples: int) -> int:
        flagged_all = 0
        print(f"{'reason kind':<22}{'reasons':>9}{'quoted':>9}{'function':>10}{'uninform.':>11}")
        for kind in sorted(self.reasons):
            f, u = sum(self.function[kind].values()), sum(self.uninformative[kind].values())
            flagged_all += f + u
            print(f"{kind:<22}{self.reasons[kind]:>9}{self.total[kind]:>9}{f:>10}{u:>11}")
        for kind in sorted(self.reasons):
            if self.function[kind] or self.uninformative[kind]:
                print(f"\n[{kind}] function words: {self.function[kind].most_common(15)}")
                print(f"[{kind}] uninformative: {self.uninformative[kind].most_common(15)}")
                for e in self.examples[kind][:n_examples]:
                    print(f"    {e[:220]}")
        print(f"\ncontent words the general list holds (not flagged): {self.artefacts.most_common(10)}")
        print(f"flagged quoted words in all: {flagged_all}")
        return 1 if flagged_all else 0


def _without_sentences(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_sentences(v) for k, v in value.items() if k not in ("why", "detail", "reason")}
    if isinstance(value, list):
        return [_without_sentences(v) for v in value]
    return value


def _jsonl(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def _sources(pattern: str) -> list[Path]:
    return sorted(DEV.glob(pattern)) + sorted(SETS.glob(f"*/{pattern}"))


def corridor(
    audit: Audit, aligner: Aligner, demo: dict[str, Any], acceptance: dict[str, Any], quick: bool
) -> None:
    cases = [
        (c["mission"], [{"id": i["id"], "text": i["text"]} for i in c["items"]])
        for c in _jsonl(_sources("corridor*.jsonl"))
    ]
    for c in acceptance.get("corridor", []):
        texts = [t for tier in ("core", "adjacent", "off") for t in c.get(tier, [])]
        cases.append((c["mission"], [{"id": str(n), "text": t} for n, t in enumerate(texts)]))
    cases.append((demo["mission"]["text"], [{"id": i["id"], "text": i["text"]} for i in demo["ideas"]]))
    for mission, rows in cases[:: 4 if quick else 1]:
        out = triage(aligner, mission, rows)
        audit.keep("corridor", out)
        for r in out:
            audit.add("corridor triage", r["why"])
    # The exclusion path: the demo's own ideas against a mission with an exclusion.
    rows = [{"id": i["id"], "text": i["text"]} for i in demo["ideas"]]
    for r in triage(
        aligner, demo["mission"]["text"], rows, exclusions=["commercial cooling systems and other services"]
    ):
        audit.add("corridor triage", r["why"])


def knowledge(
    audit: Audit, aligner: Aligner, demo: dict[str, Any], acceptance: dict[str, Any], quick: bool
) -> None:
    cases = [(c["mission"], c["areas"]) for c in _jsonl(_sources("knowledge*.jsonl"))]
    for c in acceptance.get("knowledge", []):
        names = c["needed"] + c["not_needed"]
        cases.append(
            (c["mission"], [{"id": str(n), "name": t, "description": ""} for n, t in enumerate(names)])
        )
    areas = [
        {"id": a["id"], "name": a["name"], "description": a.get("description", "")}
        for a in demo["knowledge_areas"]
    ]
    cases.append((demo["mission"]["text"], areas))
    for mission, rows in cases[:: 4 if quick else 1]:
        out = rank_knowledge(aligner, mission, rows)
        audit.keep("knowledge", out)
        for r in out:
            audit.add("knowledge rank", r["why"])


def _hierarchies(limit: int) -> Iterator[list[dict[str, str]]]:
    for h in _jsonl(_sources("cascade*.jsonl")):
        rows = [{"id": f"p{p['id']}", "text": p["text"], "level": "1", "parent_id": ""} for p in h["parents"]]
        rows += [
            {
                "id": f"c{c['id']}",
                "text": c["text"],
                "level": "2",
                "parent_id": f"p{c['parent']}" if n % 2 else "",
            }
            for n, c in enumerate(h["children"][:limit])
        ]
        yield rows


def _demo_goals(demo: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "id": g["id"],
            "text": g["text"],
            "level": str(g["level"]),
            "parent_id": (g.get("parent_ids") or [""])[0],
            "unit": g.get("unit_id") or "",
        }
        for g in demo["goals"]
    ]


def cascade(
    audit: Audit, aligner: Aligner, demo: dict[str, Any], acceptance: dict[str, Any], quick: bool
) -> None:
    from hoshin.service.cascade import check_goals

    trees = list(_hierarchies(40 if quick else 150)) + [_demo_goals(demo)]
    case = acceptance.get("cascade")
    if case:
        trees.append(cascade_rows(case))
    for rows in trees:
        out = link_goals(aligner, rows)
        audit.keep("link", out)
        for r in out:
            for s in r["suggestions"]:
                audit.add("cascade link", s["why"])
    missions = [demo["mission"]["text"]] * len(trees)
    if case:
        missions[-1] = case["mission"]
    for mission, rows in zip(missions, trees, strict=True):
        out = check_goals(aligner, mission, rows)
        audit.keep("check", out)
        for r in out:
            for issue in r.get("issues", []):
                audit.add(f"cascade check {issue['kind']}", issue["detail"])


def twins(audit: Audit, aligner: Aligner, demo: dict[str, Any]) -> None:
    from hoshin.service.duplicates import DEFAULT_THRESHOLD
    from hoshin.service.twin_scores import Pair, judge_pairs

    items = list(
        _jsonl([HERE / "twins_set.jsonl", HERE / "twins_heldout2.jsonl", HERE / "twins_swaps_tuning.jsonl"])
    )
    pairs_text = [(i["a"], i["b"]) for i in items]
    ideas = [i["text"] for i in demo["ideas"]]
    vectors = aligner.embed(ideas)
    sims = vectors @ vectors.T
    for a in range(len(ideas)):
        for b in range(a + 1, len(ideas)):
            if sims[a, b] >= 0.5:
                pairs_text.append((ideas[a], ideas[b]))
    texts = sorted({t for p in pairs_text for t in p})
    vec = dict(zip(texts, aligner.embed(texts), strict=True))
    pairs = [Pair(a, vec[a], b, vec[b], float(vec[a] @ vec[b])) for a, b in pairs_text]
    judged = judge_pairs(aligner, pairs, DEFAULT_THRESHOLD)
    audit.keep("twins", [(j.score, j.cosine) for j in judged])
    for j in judged:
        audit.add("twins", j.reason)


def principles(audit: Audit, demo: dict[str, Any], quick: bool) -> None:
    from hoshin.service.texts import check_principles, default_embedder

    embedder = default_embedder()
    by_principle: dict[str, list[str]] = defaultdict(list)
    for item in _jsonl(sorted(HERE.glob("principles_*.jsonl"))):
        if "principle" in item and "text" in item:
            by_principle[item["principle"]].append(item["text"])
    principle_rows = [{"id": f"P{n}", "text": p} for n, p in enumerate(by_principle)]
    texts = [t for ts in by_principle.values() for t in ts][:: 6 if quick else 1]
    texts += [m["text"] for m in demo["communications"]]
    rows = [{"id": str(n), "text": t} for n, t in enumerate(texts)]
    for start in range(0, len(rows), 200):
        out = check_principles(
            demo["mission"]["text"], principle_rows[:40], rows[start : start + 200], embedder
        )
        audit.keep("principles", out)
        for r in out:
            audit.add("principles check", r.get("why", ""))


def brand(audit: Audit, demo: dict[str, Any], acceptance: dict[str, Any]) -> None:
    from hoshin.service.texts import check_brand, default_embedder

    embedder = default_embedder()
    cases = [
        (
            demo["mission"]["text"],
            [m["text"] for m in demo["communications"]] + [i["text"] for i in demo["ideas"][:60]],
        )
    ]
    b = acceptance.get("brand")
    if b:
        cases.append((b["mission"], b["consistent"] + b["inconsistent"]))
    for mission, texts in cases:
        out = check_brand(mission, [{"id": str(n), "text": t} for n, t in enumerate(texts)], embedder)
        audit.keep("brand", out)
        for r in out:
            audit.add("brand check", r.get("why", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=6, help="flagged reasons shown per kind")
    parser.add_argument("--quick", action="store_true", help="a quarter of the cases (a smoke run)")
    parser.add_argument(
        "--verdicts", type=Path, help="write every output less its sentences here (to compare two versions)"
    )
    args = parser.parse_args()
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    acceptance_path = DEV / "acceptance-cases.json"
    acceptance = json.loads(acceptance_path.read_text(encoding="utf-8")) if acceptance_path.exists() else {}
    aligner = Aligner()
    audit = Audit()
    corridor(audit, aligner, demo, acceptance, args.quick)
    knowledge(audit, aligner, demo, acceptance, args.quick)
    cascade(audit, aligner, demo, acceptance, args.quick)
    twins(audit, aligner, demo)
    principles(audit, demo, args.quick)
    brand(audit, demo, acceptance)
    if args.verdicts:
        args.verdicts.write_text("\n".join(audit.verdicts) + "\n", encoding="utf-8")
    return audit.report(args.examples)


if __name__ == "__main__":
    sys.exit(main())
