"""Which sentences negate the act a principle asks for, by meaning (domain/principle_acts).

Kept apart from service/texts.py: one more embedding batch per check, over the principles' acts and
the sentences' clauses (only when some principle asks for an act).
"""

from __future__ import annotations

from collections.abc import Sequence

from hoshin.domain.principle_acts import ASKED, act_broken, act_clauses, principle_act
from hoshin.domain.principles import traded_phrase
from hoshin.embedding import Embedder

__all__ = ["acts_broken"]


def acts_broken(
    principles: Sequence[str], sentences: Sequence[str], embedder: Embedder
) -> list[dict[str, str]]:
    """Per principle, each sentence that negates the act it asks for, with the clause that does. A
    principle that ranks its value above something else ("Safety before speed") is left to the
    trade-off readings, and one that forbids an act to the word readings."""
    acts = [None if traded_phrase(p) else principle_act(p) for p in principles]
    acts = [a if a and a[0] == ASKED else None for a in acts]
    named = [a for a in acts if a]
    per_sentence = {s: act_clauses(s) for s in dict.fromkeys(sentences)}
    found = list(dict.fromkeys(c.text for cs in per_sentence.values() for c in cs))
    if not named or not found:
        return [{} for _ in principles]
    vectors = embedder.embed([a[1] for a in named] + found)
    act_vecs, clause_vecs = vectors[: len(named)], vectors[len(named) :]
    at = {text: k for k, text in enumerate(found)}
    to_act = act_vecs @ clause_vecs.T
    out: list[dict[str, str]] = []
    k = 0
    for act in acts:
        broken: dict[str, str] = {}
        if act:
            for sentence, clauses in per_sentence.items():
                rows = [at[c.text] for c in clauses]
                clause = act_broken(
                    act[0],
                    clauses,
                    [float(to_act[k, r]) for r in rows],
                )
                if clause:
                    broken[sentence] = clause
            k += 1
        out.append(broken)
    return out
