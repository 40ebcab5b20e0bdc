"""The head word of a short label or goal: the word the rest of the text qualifies.

"Wholesale of metals and metal ores" is about wholesale, not about mining, though most of its
words are about metals; "Printing Ink Manufacturing" is about ink, not printing; "bomb disposal
technician" is a technician. A parent that holds the goal's head word (or a word close to it) is
better evidence of a link than one that holds only the qualifiers, and the sentence vector alone
does not tell the two apart.

The rule is plain English phrase structure, no parser: the text is cut where a qualifying phrase
starts (a preposition such as "of", "for", "to", or a bracket); the head is the last content word
of the first piece that has one (English puts the head at the end of a noun phrase: "metal ores").
Filler such as "manufacturing", "services" or "activities" is skipped, so "Manufacture of
machinery for mining" is headed by "machinery".
"""

from __future__ import annotations

import re

from hoshin.domain.text import MISSION_FILLER, STOP_WORDS, words

__all__ = ["head_word"]

# Words that open a qualifying phrase: what follows says which kind, for whom, where, or what is
# left out. "other" starts one too ("... other than ..."), and "incidental" ("incidental to").
QUALIFIERS = frozenset(
    """
    of for to in on at by from with without into onto via through across within
    except excluding including incidental than other such like per
    """.split()
)
_BREAKS = re.compile(r"[(\[;:]")


def _is_content(word: str) -> bool:
    # The same test as the words a parent link is read from (see service.cascade.link_words).
    return len(word) > 2 and word not in STOP_WORDS and word not in MISSION_FILLER


def head_word(text: str) -> str | None:
    """The head word of `text` in lower case, or None when it has no content word."""
    piece: list[str] = []
    for word in words(_BREAKS.sub(" of ", text)) + ["of"]:
        if word not in QUALIFIERS:
            piece.append(word)
            continue
        content = [w for w in piece if _is_content(w)]
        if content:
            return content[-1]
        piece = []
    return None
