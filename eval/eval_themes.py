"""Are the themes of a mission statement its ideas, as written? Measured on eval/themes_set.jsonl.

    .venv/bin/python eval/eval_themes.py [--detail]

Each line of the set is a statement written for this check with the phrases (contiguous, as written)
that carry its ideas, one per idea, each with its kind (what / whom / how / principle), and the half
it belongs to ("tuning" or "heldout"). A theme matches an idea when their content words overlap by
Jaccard >= 0.5; each theme matches at most one idea and each idea at most one theme (the best pairs
first). Prints per half:
- precision (matched themes / themes), recall (matched ideas / ideas) and F1 of ideas;
- kind accuracy of the matched themes;
- the share of themes whose shown phrase is a contiguous phrase of the statement (must stay 1.00);
- the mean length of a theme's shown phrase, in words.
--detail prints each tuning statement's themes beside its ideas (never the held-out half's).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from hoshin.domain.mission import extract_themes
from hoshin.domain.text import STOP_WORDS, words

HERE = Path(__file__).resolve().parent
MATCH = 0.5


def content(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOP_WORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def flat(text: str) -> str:
    """Lower case, one space between words, curly apostrophes straight: what "as written" compares."""
    return " ".join(text.lower().replace("’", "'").split())


def one_to_one(themes: list[str], ideas: list[str]) -> list[tuple[int, int]]:
    """(theme, idea) index pairs, the best overlaps first, each side used once."""
    pairs = sorted(
        ((jaccard(content(t), content(g)), i, j) for i, t in enumerate(themes) for j, g in enumerate(ideas)),
        reverse=True,
    )
    used_t: set[int] = set()
    used_g: set[int] = set()
    out = []
    for score, i, j in pairs:
        if score < MATCH or i in used_t or j in used_g:
            continue
        used_t.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def evaluate(rows: list[dict], detail: bool = False) -> dict[str, float]:
    n_themes = n_ideas = matched = kinds_right = contiguous = total_len = 0
    for row in rows:
        themes = extract_themes(row["text"])
        names = [t.name for t in themes]
        ideas = [g["phrase"] for g in row["ideas"]]
        pairs = one_to_one(names, ideas)
        n_themes += len(names)
        n_ideas += len(ideas)
        matched += len(pairs)
        kinds_right += sum(themes[i].kind == row["ideas"][j]["kind"] for i, j in pairs)
        statement = flat(row["text"])
        contiguous += sum(re.search(r"\b" + re.escape(flat(n)) + r"\b", statement) is not None for n in names)
        total_len += sum(len(n.split()) for n in names)
        if detail:
            hit = dict(pairs)
            print(f"\n{row['text']}")
            for i, t in enumerate(themes):
                mark = f"= {ideas[hit[i]]!r}" if i in hit else "  (no idea)"
                print(f"  {t.kind:<9} {t.name!r:<50} {mark}")
            for j, g in enumerate(row["ideas"]):
                if j not in hit.values():
                    print(f"  missed    {g['phrase']!r} ({g['kind']})")
    precision = matched / n_themes if n_themes else 0.0
    recall = matched / n_ideas if n_ideas else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "statements": len(rows),
        "themes": n_themes,
        "ideas": n_ideas,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "kind_acc": kinds_right / matched if matched else 0.0,
        "contiguous": contiguous / n_themes if n_themes else 0.0,
        "mean_words": total_len / n_themes if n_themes else 0.0,
    }


def main(argv: list[str]) -> int:
    rows = [json.loads(line) for line in (HERE / "themes_set.jsonl").read_text().splitlines() if line.strip()]
    detail = "--detail" in argv
    for half in ("tuning", "heldout"):
        part = [r for r in rows if r["split"] == half]
        m = evaluate(part, detail=detail and half == "tuning")
        print(
            f"themes {half:<8} statements {m['statements']:>2}  themes {m['themes']:>3}  "
            f"ideas {m['ideas']:>3}  "
            f"P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}  kind {m['kind_acc']:.2f}  "
            f"contiguous {m['contiguous']:.2f}  words {m['mean_words']:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
