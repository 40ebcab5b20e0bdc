"""Part-of evidence: goods a trade nomenclature says are made for the product a mission names.

A sentence vector does not know that a compressor is the heart of a refrigerator: "Variable-speed
brushless compressor motor" reads as far from "To produce reliable refrigerators" as a mayonnaise
emulsifier does. The HS 2022 goods nomenclature says it in so many words ("Compressors; of a kind
used in refrigerating equipment", HS 8414.30). Hoshin ships a small extract of such entries
(data/part_of.json, scripts/build_part_of.py) and reads it here.

Once per mission model (never per idea), `expansion` keeps the entries whose product is a product
the mission itself names: the head noun of one of its "what" themes or focus areas. An idea that
names the part of one of them (`evidence_for`: the part's head noun among its words) is then core
at least, with a reason citing the entry. A strategist may remove an entry that is wrong for their
organisation (its code is kept on the mission version, `MissionModel.removed_parts`): the expansion
then leaves it out, and no idea is lifted by it. The gate is the head noun: "Manufacture of basic metals"
is headed by "metals", which no entry names as the product a part is used in, so industry-wide
missions are left alone unless they name a product outright.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from hoshin.domain.calibration import Thresholds
from hoshin.domain.head_word import head_word
from hoshin.domain.mission import MissionModel, ThemeKind

__all__ = [
    "PartEvidence",
    "PartOfEntry",
    "evidence_for",
    "expansion",
    "lift_parts",
    "parse_entries",
    "stored_removals",
    "word_key",
]

_WORD = re.compile(r"[a-z][a-z-]+")
_RELATIVE = re.compile(r"\b(?:that|which|who|whose)\b", re.IGNORECASE)


def word_key(word: str) -> str:
    """A word and its plural read alike: "compressors" and "compressor", "lorries" and "lorry"."""
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "uses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@dataclass(frozen=True)
class PartOfEntry:
    """One nomenclature entry: `part` is of a kind used in `use`, which stands for `products`."""

    code: str
    part: str
    use: str
    products: tuple[str, ...]

    @cached_property
    def part_heads(self) -> frozenset[str]:
        """Keys of the part's head nouns ("casing and tubing" -> casing, tubing)."""
        pieces = re.split(r" and | or ", self.part.lower())
        return frozenset(word_key(found[-1]) for p in pieces if (found := _WORD.findall(p)))


@dataclass(frozen=True)
class PartEvidence:
    """An entry tied to a mission: the mission names `product`, which `entry.use` stands for."""

    entry: PartOfEntry
    product: str
    source: str = "HS 2022"

    def reason(self) -> str:
        e = self.entry
        return (
            f"Core: {e.part} are of a kind used in {e.use} ({self.source} {e.code}), "
            f"and the mission names {self.product}."
        )

    def as_dict(self) -> dict[str, str]:
        e = self.entry
        return {"part": e.part, "use": e.use, "code": e.code, "product": self.product, "source": self.source}


def parse_entries(raw: Any) -> tuple[PartOfEntry, ...]:
    """The entries of a parsed part_of.json; anything malformed is skipped, so bad data means fewer
    entries (none at worst), never a failed triage."""
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        return ()
    found = []
    for item in raw["entries"]:
        if not isinstance(item, dict):
            continue
        code, part, use, products = (item.get(k) for k in ("code", "part", "use", "products"))
        if not (isinstance(code, str) and isinstance(part, str) and isinstance(use, str)):
            continue
        if not isinstance(products, list) or not all(isinstance(p, str) and p for p in products):
            continue
        entry = PartOfEntry(code, part, use, tuple(products))
        if entry.part_heads and entry.products:
            found.append(entry)
    return tuple(found)


def stored_removals(raw: Any) -> list[dict[str, str]]:
    """The removals a mission version keeps (`{code, removed_by, removed_at}`), each code once;
    anything malformed is skipped, so bad data means fewer removals, never a failed triage."""
    found: dict[str, dict[str, str]] = {}
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str) or not item["code"]:
            continue
        by, at = item.get("removed_by"), item.get("removed_at")
        found.setdefault(
            item["code"],
            {
                "code": item["code"],
                "removed_by": by if isinstance(by, str) else "",
                "removed_at": at if isinstance(at, str) else "",
            },
        )
    return list(found.values())


def mission_products(model: MissionModel) -> dict[str, str]:
    """Key -> word of the products the mission names: the head noun of each "what" theme and focus
    area ("reliable refrigerators" -> refrigerators), and of each theme read as a principle, as a
    product with a promise often is ("refrigerators that never let food spoil"). Whom a mission
    serves and how it works are left out: "for hospitals" does not make hospitals its product."""
    kinds = (ThemeKind.WHAT, ThemeKind.FOCUS, ThemeKind.PRINCIPLE)
    named = [t.name for t in model.all_themes if t.kind in kinds]
    # A relative clause qualifies the product as "for" or "of" does (head_word cuts at those).
    heads = (head_word(_RELATIVE.split(text)[0]) for text in named)
    return {word_key(h): h for h in heads if h}


def expansion(
    model: MissionModel, entries: tuple[PartOfEntry, ...], *, with_removed: bool = False
) -> tuple[PartEvidence, ...]:
    """The entries tied to a product the mission names, in the order given; those a strategist
    removed (`model.removed_parts`) are left out unless `with_removed` (to list them as removed)."""
    products = mission_products(model)
    if not products:
        return ()
    tied = []
    for entry in entries:
        if entry.code in model.removed_parts and not with_removed:
            continue
        for product in entry.products:
            if word_key(product) in products:
                tied.append(PartEvidence(entry, products[word_key(product)]))
                break
    return tuple(tied)


def evidence_for(text: str, tied: tuple[PartEvidence, ...]) -> PartEvidence | None:
    """The first tied entry whose part `text` names (a head noun of the part among its words)."""
    if not tied:
        return None
    lower = text.lower()
    # Most ideas name no part at all: a substring test rules them out before the words are split.
    if not any(head[:-1] in lower for evidence in tied for head in evidence.entry.part_heads):
        return None
    keys = {word_key(w) for w in _WORD.findall(lower)}
    for evidence in tied:
        if evidence.entry.part_heads & keys:
            return evidence
    return None


def lift_parts(
    texts: Sequence[str],
    z: np.ndarray,
    exclusion_z: np.ndarray,
    tied: tuple[PartEvidence, ...],
    thresholds: Thresholds,
) -> tuple[np.ndarray, dict[int, PartEvidence]]:
    """`z` with every text below core that names a tied part raised to the core bound (a copy;
    `z` itself is left alone), and the entry that raised each, by position. A text an exclusion
    rules out (as `explain.judge` reads it) stays where it is. The caller sets the batch's feedback
    centre and core bound before: a lifted idea moves neither, nor any other idea's score."""
    if not tied:
        return z, {}
    lifted: dict[int, PartEvidence] = {}
    out = np.array(z, dtype=np.float64, copy=True)
    for i, text in enumerate(texts):
        if out[i] >= thresholds.core:
            continue
        if exclusion_z[i] >= thresholds.adjacent and exclusion_z[i] > out[i]:
            continue
        evidence = evidence_for(text, tied)
        if evidence is not None:
            out[i] = thresholds.core
            lifted[i] = evidence
    return (out, lifted) if lifted else (z, {})
