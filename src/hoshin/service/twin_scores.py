"""Twin scores of idea pairs that sentence cosine has put close (see hoshin.domain.twins).

Each pair with something to compare needs the vectors of its two remainders (each text without
the words the pair shares). Those are embedded by the engine itself, not through the store's
vector cache: they are throwaway strings, one pair's, and would only fill the cache. So are the
single words a reason may name as close in meaning (a search leaves in the cache only the texts it
was given).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from hoshin.domain.twin_frame import frame_share
from hoshin.domain.twins import Difference, close_words, difference, twin_reason, twin_score
from hoshin.embedding.base import Embedder
from hoshin.embedding.cache import CachedEmbedder

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner

__all__ = ["PAIRS_AT_ONCE", "TwinJudgement", "judge_pairs", "plain_reason"]

PAIRS_AT_ONCE = 2_000  # pairs whose remainders are embedded in one go (bounds the memory held)


@dataclass(frozen=True)
class TwinJudgement:
    score: float  # the twin score the threshold applies to
    cosine: float  # the sentence cosine it started from
    reason: str


@dataclass(frozen=True)
class Pair:
    text_a: str
    vector_a: np.ndarray
    text_b: str
    vector_b: np.ndarray
    cosine: float


def _engine(aligner: Aligner) -> Embedder:
    embedder = aligner.embedder
    return embedder.inner if isinstance(embedder, CachedEmbedder) else embedder


# Rests and words recur (an inbox has few distinct words, and the same ideas are judged again at
# every search), so the process keeps the latest few thousand vectors: a model call for each
# search's words took the twins of a new idea far past their 50 ms.
_KEPT_AT_MOST = 20_000
_kept: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_kept_guard = threading.Lock()


def _vectors_of(aligner: Aligner, texts: Sequence[str]) -> dict[str, np.ndarray]:
    engine = _engine(aligner)
    found: dict[str, np.ndarray] = {}
    with _kept_guard:
        for text in texts:
            vector = _kept.get((engine.model_id, text))
            if vector is not None:
                _kept.move_to_end((engine.model_id, text))
                found[text] = vector
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        embedded = np.asarray(engine.embed(missing), dtype=np.float32)
        with _kept_guard:
            for text, vector in zip(missing, embedded, strict=True):
                found[text] = vector
                _kept[(engine.model_id, text)] = vector
            while len(_kept) > _KEPT_AT_MOST:
                _kept.popitem(last=False)
    return found


def _kept_vectors(aligner: Aligner, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """The vectors of `texts` the process already keeps, without a model call."""
    model_id = _engine(aligner).model_id
    with _kept_guard:
        return {t: v for t in texts if (v := _kept.get((model_id, t))) is not None}


def judge_pairs(
    aligner: Aligner, pairs: Sequence[Pair], threshold: float, embed_words: bool = True
) -> list[TwinJudgement]:
    """The twin score of each pair, with the reason, in input order.

    `embed_words` False (the twins search of a new idea, which has a 50 ms budget): the reason names
    close words only where the process already keeps both words' vectors, and no model call is
    made for words. The score never depends on the words: only the reason's "close words" part."""
    out: list[TwinJudgement] = []
    for start in range(0, len(pairs), PAIRS_AT_ONCE):
        out.extend(_judged(aligner, pairs[start : start + PAIRS_AT_ONCE], threshold, embed_words))
    return out


def _judged(
    aligner: Aligner, pairs: Sequence[Pair], threshold: float, embed_words: bool
) -> list[TwinJudgement]:
    diffs = [difference(p.text_a, p.text_b) for p in pairs]
    rests = sorted({r for d in diffs if d.comparable for r in (d.rest_a, d.rest_b)})
    own = sorted({w for d in diffs for w in (*d.own_a, *d.own_b)})
    # The rests and the single words go to the model in separate calls: one batch is padded to its
    # longest text, so thirty one-word texts padded to a rest's length cost more than both calls
    # together (57-114 ms against 25 + 21 ms for a search's 10 rests and 30 words on a loaded
    # 2-core machine). Words recur from search to search, so their call is mostly skipped.
    rest_vectors = _vectors_of(aligner, rests) if rests else {}
    # The words only feed the reason; a search of a new idea does not wait for them (12-28 ms of its
    # 30-50 ms at 200,000 ideas were the model call for the words).
    if not own:
        word_vectors = {}
    elif embed_words:
        word_vectors = _vectors_of(aligner, own)
    else:
        word_vectors = _kept_vectors(aligner, own)
    scored = []
    for pair, diff in zip(pairs, diffs, strict=True):
        agreement = None
        score = pair.cosine
        frame = 0.0
        if diff.comparable:
            to_b = float(rest_vectors[diff.rest_a] @ pair.vector_b)
            from_a = float(pair.vector_a @ rest_vectors[diff.rest_b])
            agreement = (to_b + from_a) / 2
            frame = frame_share(pair.text_a, pair.text_b)
            score = twin_score(pair.cosine, agreement, frame)
        scored.append((diff, agreement, score, frame))
    return [
        TwinJudgement(
            round(score, 4),
            round(pair.cosine, 4),
            twin_reason(
                diff,
                close_words(diff.own_a, diff.own_b, word_vectors),
                agreement,
                score >= threshold,
                frame,
            ),
        )
        for pair, (diff, agreement, score, frame) in zip(pairs, scored, strict=True)
    ]


def plain_reason(text_a: str, text_b: str) -> str:
    """The reason for a pair too far apart by cosine to be judged: the words it shares, if any."""
    diff: Difference = difference(text_a, text_b)
    return twin_reason(diff, [], None, False)
