"""Two ideas in one frame: the same sentence with its object, material, place or quantity swapped.

"Use recycled steel for the outer cabinet" and "Use recycled plastic for the door shelves" keep
every word but the ones that make the proposal; their sentence cosine (0.60) is inflated by that
frame, and what each says besides the shared words still reads as "recycled material for a fridge
part". A rewording rarely keeps the other's sentence: it says the thing in its own order and words
("Build the fridge case from recycled sheet metal"). So how much of the two word sequences lines up
in order (the frame share, over all words, small ones included: the frame is made of them) tells a
swap from a rewording where meaning alone cannot. On the tuning half of eval/twins_set.jsonl and
its swap supplement (eval/twins_swaps_tuning.jsonl), the 19 pairs with more than 0.42 of their
words in one frame were all strangers; the twins reach 0.40 at most ("Translate the app into
Spanish and Portuguese" / "Localise the application for Spanish- and Portuguese-speaking users").

A frame is not a verdict: "Use reclaimed aluminium for the motor housings" is a twin of "Use
recycled aluminium for the motor housings" in one frame. What differs there says the same, and the
sentence cosine stays near 1, so the penalty is scaled by how far apart the sentences still are
(1 - cosine): a swap of near-synonyms costs almost nothing, a swap of different things costs most.

Pure: words in, numbers out.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from hoshin.domain.text import stem, words

__all__ = ["FRAME_FROM", "FRAME_PENALTY", "frame_penalty", "frame_share"]

# Chosen on the tuning half and its swap supplement (a plateau: from 0.30 to 0.40 and a weight of
# 1.0 to 2.0 all kept every swap stranger under every swap twin; 0.35 and 1.5 in its middle).
FRAME_FROM = 0.35  # frame share from which a pair counts as one sentence with parts swapped
FRAME_PENALTY = 1.5  # score taken off per unit of frame share above FRAME_FROM and of (1 - cosine)


def frame_share(text_a: str, text_b: str) -> float:
    """The share of the two texts' words (by stem, in order) that one alignment lines up: 1 for one
    sentence, 0 for no word in common (2 x matched words / all words, as difflib counts)."""
    stems_a = [stem(w) for w in words(text_a)]
    stems_b = [stem(w) for w in words(text_b)]
    if not stems_a or not stems_b:
        return 0.0
    return SequenceMatcher(a=stems_a, b=stems_b, autojunk=False).ratio()


def frame_penalty(frame: float, cosine: float) -> float:
    """What the twin score loses for a frame share of `frame` at a sentence cosine of `cosine`."""
    return FRAME_PENALTY * max(0.0, frame - FRAME_FROM) * max(0.0, 1.0 - cosine)
