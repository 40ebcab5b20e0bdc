"""Part-of evidence: goods a trade nomenclature says are made for the product a mission names.

A sentence vector does not know that a compressor is the heart of a refrigerator: "Variable-speed
brushless compressor motor" reads as far from "To produce reliable refrigerators" as a mayonnaise
emulsifier does. The HS 2022 goods nomenclature says it in so many words ("Compressors; of a kind
used in refrigerating equipment", HS 8414.30). Hoshin ships a small extract of such entries
(data/part_of.json, scripts/build_part_of.py) and reads it here. Two more public sources feed the
same entries (scripts/build_grounding.py): WordNet 3.0's parts and housings of made things
(data/part_of_wordnet.json: a drip pan is part of a refrigerator; "for the outer case" names its
housing) and, for a mission protecting computers, MITRE CAPEC's attack patterns
(data/threats_capec.json: phishing). `Relation` says which an entry is.

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
    "PartLookup",
    "expansion",
    "lift_parts",
    "mission_themes",
    "Relation",
    "parse_entries",
    "parse_grounding",
    "named_head",
    "stored_removals",
    "word_key",
    "word_keys",
    "written_words",
]

_WORD = re.compile(r"[a-z][a-z-]+")
_RELATIVE = re.compile(r"\b(?:that|which|who|whose)\b", re.IGNORECASE)


def written_words(text: str) -> list[str]:
    """The words of `text` lower-cased, as part and product names are matched (a hyphenated word
    is one word: "low-gwp")."""
    return _WORD.findall(text.lower())


def word_keys(text: str) -> set[str]:
    """The keys (`word_key`) of every word of `text`."""
    return {word_key(w) for w in written_words(text)}


def named_head(text: str) -> str | None:
    """The head noun of what `text` names, read before any relative clause ("refrigerators that
    never let food spoil" -> refrigerators), None when it names none."""
    return head_word(_RELATIVE.split(text)[0])


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


class Relation:
    """How an entry ties its part to the product, which decides how an idea must name the part and
    how the reason reads."""

    KIND_USED_IN = "kind_used_in"  # HS: "Compressors; of a kind used in refrigerating equipment"
    PART = "part"  # WordNet part meronym: a drip pan is part of a refrigerator
    HOUSING = "housing"  # WordNet {housing}: the case of any device, machine or appliance
    THREAT = "threat"  # CAPEC attack pattern, WordNet malevolent program: what protection is against


@dataclass(frozen=True)
class PartOfEntry:
    """One entry: `part` is of a kind used in (or part of, or a threat to) `use`, which stands for
    `products`. Entries with `phrases` are named by one of those whole phrases, not by a head noun;
    those with `within` tie only to a theme that also holds one of those words."""

    code: str
    part: str
    use: str
    products: tuple[str, ...]
    relation: str = Relation.KIND_USED_IN
    phrases: tuple[str, ...] = ()
    within: tuple[str, ...] = ()
    source: str = "HS 2022"

    @cached_property
    def part_heads(self) -> frozenset[str]:
        """Keys of the part's head nouns ("casing and tubing" -> casing, tubing); for an entry named
        by whole phrases, the keys of their last words (a first, cheap test)."""
        if self.phrases:
            return frozenset(word_key(p.split()[-1]) for p in self.phrases if p.split())
        pieces = re.split(r" and | or ", self.part.lower())
        return frozenset(word_key(found[-1]) for p in pieces if (found := _WORD.findall(p)))

    @cached_property
    def phrase_keys(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(word_key(w) for w in written_words(p)) for p in self.phrases)

    @cached_property
    def product_keys(self) -> frozenset[str]:
        return frozenset(word_key(p) for p in self.products)

    @cached_property
    def within_keys(self) -> frozenset[str]:
        return frozenset(word_key(w) for w in self.within)


@dataclass(frozen=True)
class PartEvidence:
    """An entry tied to a mission: the mission names `product`, which `entry.use` stands for."""

    entry: PartOfEntry
    product: str

    @property
    def source(self) -> str:
        return self.entry.source

    def reason(self) -> str:
        e = self.entry
        cited = f"({e.source} {e.code})"
        if e.relation == Relation.PART:
            return f"Core: a {e.part} is part of a {e.use} {cited}, and the mission names {self.product}."
        if e.relation == Relation.HOUSING:
            return (
                f"Core: {e.part} is a housing ({e.use}; {e.source} {e.code}), here of the "
                f"{self.product} the mission names."
            )
        if e.relation == Relation.THREAT:
            return (
                f"Core: {e.part} is a known {e.use} {cited}, a threat the mission's "
                f"{self.product} is against."
            )
        return f"Core: {e.part} are of a kind used in {e.use} {cited}, and the mission names {self.product}."

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


def parse_grounding(raw: Any) -> tuple[PartOfEntry, ...]:
    """The entries of a parsed grounding file (part_of_wordnet.json, threats_capec.json,
    scripts/build_grounding.py): each entry a code, part, use, relation and the phrases that name
    it; products per entry, or once for the whole file ("products", or "@housed" standing for the
    file's "housed" list), and the file's "within" words. Malformed entries are skipped."""
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        return ()
    cite = raw.get("cite") if isinstance(raw.get("cite"), str) else ""
    shared = {
        key: tuple(w for w in raw.get(key) or () if isinstance(w, str) and w)
        for key in ("products", "housed", "within")
    }
    relation = Relation.THREAT if shared["products"] else Relation.PART
    found = []
    for item in raw["entries"]:
        if not isinstance(item, dict):
            continue
        code, part, use = (item.get(k) for k in ("code", "part", "use"))
        if not (isinstance(code, str) and code and isinstance(part, str) and isinstance(use, str)):
            continue
        products = item.get("products", list(shared["products"]))
        if products == ["@housed"]:
            products = list(shared["housed"])
        phrases = item.get("phrases") or [part.lower()]
        texts = (products, phrases)
        if not all(isinstance(t, list) and all(isinstance(w, str) and w for w in t) for t in texts):
            continue
        entry = PartOfEntry(
            code,
            part,
            use,
            tuple(products),
            relation=str(item.get("relation") or relation),
            phrases=tuple(phrases),
            within=shared["within"],
            source=str(item.get("cite") or cite),
        )
        if entry.part_heads and entry.products:
            found.append(entry)
    return tuple(found)


def mission_themes(model: MissionModel) -> dict[str, tuple[str, str]]:
    """Key -> (word, theme name) of the products the mission names (`mission_products`), with the
    theme that names each, for entries that also ask what the product is of ("protection of
    computer systems")."""
    kinds = (ThemeKind.WHAT, ThemeKind.FOCUS, ThemeKind.PRINCIPLE)
    found: dict[str, tuple[str, str]] = {}
    for theme in model.all_themes:
        if theme.kind not in kinds:
            continue
        # A relative clause qualifies the product as "for" or "of" does (head_word cuts at those).
        head = named_head(theme.name)
        if head:
            found.setdefault(word_key(head), (head, theme.name))
    return found


def mission_products(model: MissionModel) -> dict[str, str]:
    """Key -> word of the products the mission names: the head noun of each "what" theme and focus
    area ("reliable refrigerators" -> refrigerators), and of each theme read as a principle, as a
    product with a promise often is ("refrigerators that never let food spoil"). Whom a mission
    serves and how it works are left out: "for hospitals" does not make hospitals its product."""
    kinds = (ThemeKind.WHAT, ThemeKind.FOCUS, ThemeKind.PRINCIPLE)
    named = [t.name for t in model.all_themes if t.kind in kinds]
    # A relative clause qualifies the product as "for" or "of" does (head_word cuts at those).
    heads = (named_head(text) for text in named)
    return {word_key(h): h for h in heads if h}


def expansion(
    model: MissionModel, entries: tuple[PartOfEntry, ...], *, with_removed: bool = False
) -> tuple[PartEvidence, ...]:
    """The entries tied to a product the mission names, in the order given; those a strategist
    removed (`model.removed_parts`) are left out unless `with_removed` (to list them as removed)."""
    products = mission_themes(model)
    if not products:
        return ()
    named = frozenset(products)
    theme_words = {key: word_keys(name) for key, (_, name) in products.items()}
    tied = []
    for entry in entries:
        if entry.code in model.removed_parts and not with_removed:
            continue
        for key in sorted(entry.product_keys & named):
            if entry.within_keys and not entry.within_keys & theme_words[key]:
                continue
            tied.append(PartEvidence(entry, products[key][0]))
            break
    return tuple(tied)


@dataclass(frozen=True)
class PartLookup:
    """The tied entries by their parts' heads, made once per batch: `probe` (every head, less its
    last letter so plurals match too) rules out with one search the many ideas that name no part,
    and `by_head` leads an idea to the few entries its words could name, however many are tied (a
    protection mission ties hundreds of attack patterns)."""

    probe: re.Pattern[str]
    by_head: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, tied: tuple[PartEvidence, ...]) -> PartLookup:
        by_head: dict[str, list[int]] = {}
        for n, evidence in enumerate(tied):
            for head in evidence.entry.part_heads:
                by_head.setdefault(head, []).append(n)
        stems = sorted({head[:-1] for head in by_head if len(head) > 1})
        probe = re.compile("|".join(re.escape(stem) for stem in stems) or r"(?!)")
        return cls(probe, {head: tuple(found) for head, found in by_head.items()})


def evidence_for(
    text: str, tied: tuple[PartEvidence, ...], lookup: PartLookup | None = None
) -> PartEvidence | None:
    """The first tied entry whose part `text` names: a head noun of the part among its words, or
    for an entry named by phrases, one of its phrases (a housing only as "for the ... case").
    `lookup`: `PartLookup.of(tied)`, when the caller checks many texts."""
    if not tied:
        return None
    lookup = lookup or PartLookup.of(tied)
    lower = text.lower()
    if not lookup.probe.search(lower):
        return None
    words = _WORD.findall(lower)
    keys = [word_key(w) for w in words]
    candidates = sorted({n for key in set(keys) for n in lookup.by_head.get(key, ())})
    for n in candidates:
        evidence = tied[n]
        entry = evidence.entry
        if not entry.phrases:
            return evidence
        for phrase in entry.phrase_keys:
            for at in _places(keys, phrase):
                if entry.relation != Relation.HOUSING or _the_products_own(words, at, at + len(phrase)):
                    return evidence
    return None


# "for the outer case", "inside its cabinet": the product's own housing, the product left unsaid.
_PREPOSITIONS = frozenset("for in on of inside around to into within".split())
_DETERMINERS = frozenset("the its their".split())


def _places(keys: list[str], phrase: tuple[str, ...]) -> list[int]:
    """Where `phrase` (word keys) starts in `keys`."""
    n = len(phrase)
    return [i for i in range(len(keys) - n + 1) if tuple(keys[i : i + n]) == phrase] if n else []


def _the_products_own(words: list[str], start: int, end: int) -> bool:
    """A housing word (case, cabinet) has many other senses ("a business case"): it counts only
    as the object of a preposition with a definite determiner, up to two modifiers between ("for
    the outer case"), and not followed by "of"/"for" naming what else it belongs to."""
    if end < len(words) and words[end] in ("of", "for"):
        return False
    for gap in range(3):
        d = start - 1 - gap
        if d >= 1 and words[d] in _DETERMINERS and words[d - 1] in _PREPOSITIONS:
            return True
    return False


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
    lookup = PartLookup.of(tied)
    for i, text in enumerate(texts):
        if out[i] >= thresholds.core:
            continue
        if exclusion_z[i] >= thresholds.adjacent and exclusion_z[i] > out[i]:
            continue
        evidence = evidence_for(text, tied, lookup)
        if evidence is not None:
            out[i] = thresholds.core
            lifted[i] = evidence
    return (out, lifted) if lifted else (z, {})
