"""Twin score of two idea texts: is it one proposal said twice, or two proposals on one topic?

Sentence cosine alone cannot tell: ideas from one inbox that share a frame ("Let customers pay
invoices by card online" / "Let customers download their invoices online") score as high as true
rewordings ("Use recycled steel for the outer cabinet" / "Build the fridge case from recycled
sheet metal"), often higher. What tells them apart is what remains once the words the two texts
share are set aside: in a rewording, each text's remainder still says what the other text says;
between two proposals of one field, the remainders are the two different proposals.

So the score blends the sentence cosine with the "rest agreement": the mean of the cosine of text
A without the shared words to the whole of B, and of A to B without the shared words. Texts that
share no word, or where one text's words are all in the other, keep their cosine. Weights and the
default threshold were chosen on the tuning half of eval/twins_set.jsonl (hand-written pairs from
four fields; the other four fields held out): twins scoring above every stranger, 0.14 -> 0.64 of
the tuning twins, 0.00 -> 0.61 held out (see eval/eval_twins.py).

Two ideas that are one sentence with the object, material, place or quantity swapped ("Use
recycled steel for the outer cabinet" / "Use recycled plastic for the door shelves") lose a frame
penalty (domain/twin_frame.py): recall at zero strangers, raw cosine beside, tuning half 0.14 |
0.64 -> 0.68, held-out half 0.00 | 0.61 -> 0.57, eval/twins_heldout2.jsonl (eight other fields,
mostly such swaps, written before the change) 0.06 | 0.47 -> 0.75; AUC 0.951 -> 0.972, 0.933 ->
0.948, 0.879 -> 0.970.

Scoring every pair of a large inbox this way would need a model call per pair, so it re-ranks the
few pairs that sentence cosine has already put close (`candidate_pairs`): the blend can only move
a pair below its cosine when the rest disagrees, so pairs under the threshold by cosine stay out.

Measured and not kept (tuning half; held out in aggregate only): remainders' vectors made from
single-word vectors (their mean, or the sentence less the shared words) instead of embedding the
remainder as text lost recall on one half or the other; for strangers that swap a material or a
part (issue 20's "recycled plastic for the door shelves", 0.468, over its twin at 0.460), word
cosines do not tell a swap from a rewording ("plastic"/"metal" 0.69, "spanish"/"english" 0.72
against "steel"/"metal" 0.78, "motor"/"engine" 0.73; "cabinet"/"case" 0.23 under "door"/"case"
0.33), and rest-to-rest cosine or the weaker side of the agreement did not lift the twin over it. Against
the rewording itself ("Build the fridge case from recycled sheet metal", 0.469) that stranger is
in no shared frame and still scores over the twin: "recycled plastic"/"recycled sheet metal" 0.71
against "recycled steel" 0.77, "door shelves"/"fridge case" 0.39 against "outer cabinet" 0.38.
Also measured and not kept: the "own gain" (how much closer the two texts are to each other than
to their shared words alone, one more text embedded per pair), weight 0.2 on top of the blend:
tuning recall at zero strangers 0.68 -> 0.75 but held out 0.57 -> 0.54 and heldout2 unchanged, and
it lifted the issue's stranger above against the rewording (0.469 -> 0.477).
Later (issue 20 item 4; docs/calibration.md, "Twins: a third held-out set"): word-level alignment
by single-word or contextual token vectors, other rest agreements, length normalisation and a
cosine floor outside a shared frame; the floor lifted the tuning material's twins but grouped more
strangers of the held-out half, the rest did not lift recall at zero strangers on the tuning material.

Pure: the caller embeds the remainders and the words (the embedder is I/O).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from hoshin.domain.evidence_words import quotable_pairs, quotable_words, quote
from hoshin.domain.text import content_words, stem
from hoshin.domain.twin_frame import FRAME_FROM, frame_penalty

__all__ = [
    "CLOSE_WORD",
    "REST_WEIGHT",
    "Difference",
    "candidate_pairs",
    "close_words",
    "difference",
    "linked_groups",
    "same_root",
    "twin_reason",
    "twin_score",
]

REST_WEIGHT = 0.6  # share of the rest agreement in the score (the cosine has the remainder)
CLOSE_WORD = 0.6  # word-vector cosine from which two different words are named as close in a reason
_ROOT_AT_LEAST = 5  # letters a shorter stem needs before it counts as the root of a longer one


def same_root(a: str, b: str) -> bool:
    """Two words of one root: the same stem, or one stem of five letters or more starting the other
    ("compressed"/"compressors", which the crude stemmer leaves apart)."""
    sa, sb = stem(a), stem(b)
    if sa == sb:
        return True
    short, long = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    return len(short) >= _ROOT_AT_LEAST and long.startswith(short)


@dataclass(frozen=True)
class Difference:
    """What two texts share and what each says besides."""

    shared: tuple[str, ...]  # A's content words that B also uses (by root), in A's order
    own_a: tuple[str, ...]  # A's content words B does not use
    own_b: tuple[str, ...]

    # The rests are content words only: a frame of small words both texts keep ("use ... for the")
    # made "Use recycled steel for the outer cabinet" and "Use recycled plastic for the door
    # shelves" agree more than the rewording "Build the fridge case from recycled sheet metal".
    @property
    def rest_a(self) -> str:
        """What A says besides the shared words: its own content words."""
        return " ".join(self.own_a)

    @property
    def rest_b(self) -> str:
        return " ".join(self.own_b)

    @property
    def comparable(self) -> bool:
        """Whether the rests say anything to compare: some words shared, and each text has
        content words of its own (else the sentence cosine decides alone)."""
        return bool(self.shared and self.own_a and self.own_b)


def difference(text_a: str, text_b: str) -> Difference:
    """The words two texts share (by root) and what each says besides."""
    mine = list(dict.fromkeys(content_words(text_a)))
    theirs = list(dict.fromkeys(content_words(text_b)))
    shared_a = {w for w in mine if any(same_root(w, t) for t in theirs)}
    shared_b = {t for t in theirs if any(same_root(w, t) for w in mine)}
    return Difference(
        shared=tuple(w for w in mine if w in shared_a),
        own_a=tuple(w for w in mine if w not in shared_a),
        own_b=tuple(t for t in theirs if t not in shared_b),
    )


def twin_score(cosine: float, rest_agreement: float | None, frame: float = 0.0) -> float:
    """The blend of sentence cosine and rest agreement (None: nothing to compare, the cosine), less
    the penalty of a shared frame (`frame`: the frame share, see domain/twin_frame.py)."""
    if rest_agreement is None:
        return cosine
    blend = (1.0 - REST_WEIGHT) * cosine + REST_WEIGHT * rest_agreement
    return blend - frame_penalty(frame, cosine)


def close_words(
    own_a: Sequence[str], own_b: Sequence[str], vectors: Mapping[str, np.ndarray], floor: float = CLOSE_WORD
) -> list[tuple[str, str]]:
    """Pairs (word of A, word of B) close in meaning, each word at most once, closest first."""
    found = []
    for a in own_a:
        for b in own_b:
            if a in vectors and b in vectors:
                found.append((float(vectors[a] @ vectors[b]), a, b))
    found.sort(key=lambda f: -f[0])
    used: set[str] = set()
    pairs = []
    for similarity, a, b in found:
        if similarity < floor:
            break
        if a not in used and b not in used:
            used.update((a, b))
            pairs.append((a, b))
    return pairs


def twin_reason(
    diff: Difference,
    close: Sequence[tuple[str, str]],
    rest_agreement: float | None,
    twin: bool,
    frame: float = 0.0,
) -> str:
    """Why two texts are (or are not) one idea: the words they share, the words close in meaning,
    whether what each says besides agrees, and, where it cost the pair, that the two are one
    sentence with other words swapped in (`frame`: the frame share, see domain/twin_frame.py)."""
    # Only words a reason may quote are named (domain/evidence_words.py); the score used them all.
    shared = quotable_words(diff.shared)
    shown_close = quotable_pairs(close)
    parts = []
    if shared:
        parts.append(f"shares {quote(shared)}")
    if shown_close:
        parts.append("close words " + ", ".join(f"{a!r} ~ {b!r}" for a, b in shown_close))
    if rest_agreement is not None:
        verdict = "agrees" if twin else "differs"
        own_a, own_b = quotable_words(diff.own_a, 4), quotable_words(diff.own_b, 4)
        rests = f"{quote(own_a) or '-'} / {quote(own_b) or '-'}: " if own_a or own_b else ""
        parts.append(f"the rest {verdict} ({rests}{rest_agreement:.2f})")
        if frame > FRAME_FROM and not twin:
            parts.append(f"the same wording around other words ({frame:.2f} of the words in order)")
    elif not shared:
        parts.append("no shared words; " + ("close in meaning" if twin else "not close enough"))
    return "; ".join(parts)


def candidate_pairs(
    vectors: np.ndarray, floor: float, per_row: int, chunk: int = 2_048
) -> Iterator[tuple[int, int, float]]:
    """(i, j, cosine) with i < j for pairs at or above `floor` where j is among i's `per_row`
    closest rows or i among j's: what the twin score re-ranks. Rows are taken a chunk at a time
    and each keeps at most `per_row` partners, so memory stays bounded whatever the inbox holds
    (many ideas on one topic would otherwise give millions of pairs above the floor)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    n = len(vectors)
    seen: set[tuple[int, int]] = set()
    for start in range(0, n, chunk):
        sims = vectors[start : start + chunk] @ vectors.T
        rows = np.arange(len(sims))
        sims[rows, start + rows] = -np.inf  # not its own partner
        keep = min(per_row, n - 1)
        if keep <= 0:
            return
        top = np.argpartition(-sims, keep - 1, axis=1)[:, :keep]
        for r, cols in enumerate(top):
            i = start + r
            for j in cols.tolist():
                score = float(sims[r, j])
                key = (min(i, j), max(i, j))
                if score >= floor and key not in seen:
                    seen.add(key)
                    yield key[0], key[1], score


def linked_groups(ids: Sequence[str], links: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Groups of ids joined by links (row pairs), transitively; largest first, single ids left out,
    ids in input order within a group and groups in order of their first id on ties."""
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[str]] = {}
    for i in range(len(ids)):
        members.setdefault(root(i), []).append(ids[i])
    ordered = sorted((r for r, g in members.items() if len(g) > 1), key=lambda r: (-len(members[r]), r))
    return [members[r] for r in ordered]
