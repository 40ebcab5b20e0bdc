"""Sibling products: another kind of the same thing than the product a mission names.

A sentence vector reads "Wall clocks" closer to "accurate wristwatches" than "Sapphire crystal for
the watch face", so a maker of wristwatches would see wall clocks core and the crystal adjacent.
Wall clocks are a neighbouring product, not the mission's: adjacent at most. WordNet 3.0 says so
in its hypernyms: clock and wristwatch are both kinds of {timepiece}; armchair and sofa of {seat};
tea and coffee of {beverage}; washing machine and refrigerator of {white goods}.

The data (data/siblings_wordnet.json, scripts/build_siblings.py, read from WordNet at build time
only) is the small groups of made things and foods: a hypernym with few kinds in all and the
words of its kinds one and two levels down. Once per mission model (never per idea),
`mission_siblings` reads the groups its products belong to and keeps every other kind in them as
a sibling, leaving out the products themselves, their own kinds ("armchair" for a maker of
seats), the groups' own names (broader words, not siblings), and any part tied to the product
(part-of evidence wins). At triage `cap_siblings` looks up only the core ideas' head nouns: one that
is a sibling, and names neither the product nor a tied part, is held just below core, with a
reason that cites the group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoshin.domain.calibration import Thresholds
from hoshin.domain.mission import MissionModel
from hoshin.domain.part_of import (
    PartEvidence,
    PartLookup,
    evidence_for,
    mission_themes,
    named_head,
    word_key,
    word_keys,
    written_words,
)
from hoshin.domain.text import STOP_WORDS

__all__ = [
    "SiblingEvidence",
    "SiblingGroups",
    "SiblingReading",
    "NO_SIBLINGS",
    "sibling_named",
    "cap_siblings",
    "mission_siblings",
    "parse_siblings",
    "phrase_key",
]

# Below the core bound by as much as an exclusion caps below adjacent (explain.judge).
_BELOW_CORE = 0.01


def phrase_key(phrase: str) -> str:
    """A one- or two-word name read alike in the plural: "wall clocks" -> "wall clock"."""
    return " ".join(word_key(w) for w in written_words(phrase))


@dataclass(frozen=True)
class SiblingGroups:
    """The groups of siblings (`names`: the hypernym's own words; `kinds`: the keys of its kinds
    in their words' most frequent sense) and, per key, the groups it is a kind in (in any sense:
    `by_kind`, to tell a word WordNet knows as a product at all; in its most frequent one:
    `by_first`)."""

    codes: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]
    kinds: tuple[frozenset[str], ...]
    by_kind: dict[str, tuple[int, ...]]
    by_first: dict[str, tuple[int, ...]]
    cite: str = "WordNet 3.0"

    def groups_of(self, key: str) -> tuple[int, ...]:
        return self.by_first.get(key, ())


def parse_siblings(raw: Any) -> SiblingGroups | None:
    """The groups of a parsed siblings_wordnet.json; malformed groups are skipped, and a file with
    none gives None (no idea is capped), never a failed triage."""
    if not isinstance(raw, dict) or not isinstance(raw.get("groups"), list):
        return None
    codes: list[str] = []
    names: list[tuple[str, ...]] = []
    kinds: list[frozenset[str]] = []
    by_kind: dict[str, list[int]] = {}
    by_first: dict[str, list[int]] = {}
    keyed: dict[str, str] = {}  # a word is in several groups: read each once

    def key_of(word: str) -> str:
        found = keyed.get(word)
        if found is None:
            found = keyed[word] = phrase_key(word)
        return found

    for item in raw["groups"]:
        if not isinstance(item, dict):
            continue
        code, named, listed = item.get("code"), item.get("names"), item.get("kinds")
        if not (isinstance(code, str) and code and isinstance(listed, str) and isinstance(named, list)):
            continue
        if not named or not all(isinstance(w, str) and w for w in named):
            continue
        words = [w for w in listed.split("|") if w.strip("* ")]
        keys = frozenset(key_of(w.rstrip("*")) for w in words) - {""}
        if len(keys) < 2:
            continue
        n = len(codes)
        codes.append(code)
        names.append(tuple(named))
        first = frozenset(key_of(w) for w in words if not w.endswith("*")) - {""}
        kinds.append(first)
        for key in keys:
            by_kind.setdefault(key, []).append(n)
        for key in first:
            by_first.setdefault(key, []).append(n)
    if not codes:
        return None
    cite = raw.get("cite")
    cite = cite if isinstance(cite, str) and cite else "WordNet 3.0"
    return SiblingGroups(
        tuple(codes),
        tuple(names),
        tuple(kinds),
        {k: tuple(v) for k, v in by_kind.items()},
        {k: tuple(v) for k, v in by_first.items()},
        cite,
    )


@dataclass(frozen=True)
class SiblingEvidence:
    """`kind` is another kind of `group` (WordNet `code`) than the `product` the mission names."""

    kind: str
    group: str
    code: str
    product: str
    source: str = "WordNet 3.0"

    def reason(self, named: str | None = None) -> str:
        """The sentence of a capped verdict; `named`: the idea's words for the kind, as written."""
        named = named or self.kind
        verb = "is" if phrase_key(named) == " ".join(written_words(named)) else "are"
        return (
            f"Adjacent at most: {named} {verb} another kind of {self.group} than the "
            f"{self.product} the mission names ({self.source} {self.code})."
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "group": self.group,
            "code": self.code,
            "product": self.product,
            "source": self.source,
        }


# "Redesign the ice maker", "its freezer": the product's own, not another product beside it.
_OWN = frozenset("the its their our".split())


def _named_before(text: str, head: str) -> tuple[str, str]:
    """(the head with the word before it, the head), both as written in `text` ("car seats",
    "seats"); the pair is the head alone when nothing comes before it."""
    words = written_words(text)
    at = words.index(head) if head in words else -1
    if at > 0 and words[at - 1] not in STOP_WORDS:
        return f"{words[at - 1]} {head}", head
    return head, head


def _said_as_its_own(text: str, named: str) -> bool:
    """`named` follows "the", "its", "their" or "our" (with at most one word between): a thing of
    the product's own ("the ice maker" of a refrigerator), as a housing is (domain/part_of.py)."""
    words = written_words(text)
    first = named.split()[0]
    at = words.index(first) if first in words else -1
    return any(0 <= at - gap and words[at - gap] in _OWN for gap in (1, 2))


def _product_reading(text: str, groups: SiblingGroups) -> tuple[str, str] | None:
    """(key, words as written) of the product a theme names, as WordNet lists it: the head noun
    with the word before it when that is a name of its own ("car seats", "washing machines"), else
    the head; None when WordNet's products hold neither."""
    head = named_head(text)
    if not head:
        return None
    pair, single = _named_before(text, head)
    for named in (pair, single):
        if groups.groups_of(phrase_key(named)):
            return phrase_key(named), named
    return None


@dataclass(frozen=True)
class SiblingReading:
    """What one mission model's triage needs: its siblings by key, the keys of the product heads it
    names (an idea naming one is about the product, not a sibling), and every key WordNet lists as
    a product (shared, not copied: to tell a head that names no product, "blends")."""

    siblings: dict[str, SiblingEvidence]
    product_heads: frozenset[str]
    known: Mapping[str, tuple[int, ...]]

    def __bool__(self) -> bool:
        return bool(self.siblings)

    def listed(self) -> list[dict[str, Any]]:
        """The siblings as `hoshin mission show` lists them: one row per product and group
        (`product, group, code, source, kinds`), the kinds in alphabetical order."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for e in sorted(self.siblings.values(), key=lambda e: (e.product, e.group, e.kind)):
            row = rows.setdefault(
                (e.product, e.code),
                {"product": e.product, "group": e.group, "code": e.code, "source": e.source, "kinds": []},
            )
            row["kinds"].append(e.kind)
        return list(rows.values())


NO_SIBLINGS = SiblingReading({}, frozenset(), {})


def _mission_texts(model: MissionModel) -> list[str]:
    return [model.text, *(t.name for t in model.all_themes)]


def mission_siblings(
    model: MissionModel, groups: SiblingGroups | None, parts: tuple[PartEvidence, ...] = ()
) -> SiblingReading:
    """The siblings of every product the mission names; none when it names no product WordNet
    files as a made thing or a food."""
    if groups is None:
        return NO_SIBLINGS
    products: dict[str, str] = {}
    for _, theme in mission_themes(model).values():
        reading = _product_reading(theme, groups)
        if reading:
            products.setdefault(*reading)
    if not products:
        return NO_SIBLINGS
    heads = frozenset(k.split()[-1] for k in products)
    # Never a sibling: a product the mission names (by its head too), a kind of one, a broader
    # word for one, or a part tied to one (by its whole name or its head: "air compressor").
    keep_out = set(products) | heads
    for n, own in enumerate(groups.names):
        if any(phrase_key(w) in products for w in own):
            keep_out |= groups.kinds[n]
    part_heads: set[str] = set()
    for evidence in parts:
        part_heads |= evidence.entry.part_heads
        keep_out |= {" ".join(p) for p in evidence.entry.phrase_keys}
    for key in products:
        for n in groups.groups_of(key):
            keep_out |= {phrase_key(w) for w in groups.names[n]}
    # A word the mission itself uses is its own, whatever its head: "Fiber, Yarn, and Thread
    # Mills" is headed by yarn but makes thread too.
    said = word_keys(" ".join(_mission_texts(model)))
    found: dict[str, SiblingEvidence] = {}
    for key, named in products.items():
        for n in groups.groups_of(key):
            group = groups.names[n][0]
            for kind in sorted(groups.kinds[n] - keep_out):
                if kind.split()[-1] in said or kind.split()[-1] in part_heads:
                    continue
                found.setdefault(kind, SiblingEvidence(kind, group, groups.codes[n], named, groups.cite))
    return SiblingReading(found, heads, groups.by_kind) if found else NO_SIBLINGS


def sibling_named(text: str, reading: SiblingReading) -> tuple[SiblingEvidence, str] | None:
    """The sibling `text` is about, and its words as written: its head noun, with the word before
    it when that pair is the name ("wall clocks"); the word before alone when the head names no
    product at all ("tea blends"). None for one said as the product's own ("the ice maker")."""
    if not reading.siblings:
        return None
    head = named_head(text)
    if not head:
        return None
    pair, single = _named_before(text, head)
    # A two-word name WordNet lists ("magnifying glasses") is read as itself, never as its head;
    # the word before the head is read alone only when the head names no product ("tea blends").
    tried = [pair]
    if pair == single or phrase_key(pair) not in reading.known:
        tried.append(single)
        if pair != single and phrase_key(single) not in reading.known:
            tried.append(pair.split()[0])
    for n, named in enumerate(tried):
        evidence = reading.siblings.get(phrase_key(named))
        if evidence is not None:
            if _said_as_its_own(text, pair):
                return None
            # The words that matched; "tea blends" whole when its first word did.
            return evidence, pair if n == 2 else named
    return None


def cap_siblings(
    texts: Sequence[str],
    z: np.ndarray,
    reading: SiblingReading,
    parts: tuple[PartEvidence, ...],
    thresholds: Thresholds,
) -> tuple[np.ndarray, dict[int, str]]:
    """`z` with every core text about a sibling product held just below the core bound (a copy;
    `z` is left alone), and each capped text's reason, by position. Only core texts are read, so
    most ideas cost nothing. A text that names the mission's product itself, or a part tied to
    it, is left as it is."""
    if not reading.siblings:
        return z, {}
    lookup = PartLookup.of(parts) if parts else None
    capped: dict[int, str] = {}
    out = np.array(z, dtype=np.float64, copy=True)
    for i in np.flatnonzero(np.asarray(z) >= thresholds.core):
        text = texts[int(i)]
        found = sibling_named(text, reading)
        if found is None:
            continue
        if reading.product_heads & word_keys(text):
            continue
        if parts and evidence_for(text, parts, lookup) is not None:
            continue
        evidence, named = found
        out[i] = thresholds.core - _BELOW_CORE
        capped[int(i)] = evidence.reason(named)
    return (out, capped) if capped else (z, {})
