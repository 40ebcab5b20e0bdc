"""Build src/hoshin/data/part_of.json: the HS 2022 entries that name a good by what it is used in.

    python scripts/build_part_of.py path/to/harmonized-system.csv

The input is data/harmonized-system.csv of github.com/datasets/harmonized-system (HS 2022, "version":
"2022.0", ODC-PDDL-1.0). Only a small extract is shipped: the entries whose description says what
product they are "of a kind used in" ("Compressors; of a kind used in refrigerating equipment"), each
with the part it names, the product phrase, and the products that phrase stands for. A product phrase
stands for the goods a heading lists first when every word of the phrase occurs in that heading's
description ("refrigerating equipment" -> heading 84.18 "Refrigerators, freezers and other
refrigerating or freezing equipment" -> refrigerators, freezers). domain/part_of.py reads it.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "hoshin" / "data" / "part_of.json"
USED = re.compile(r"^(?P<before>.*?)\bof a kind used (?:in|on) (?P<use>[^;()]+)", re.IGNORECASE)
# Words too general to name a product a mission makes, or a part an idea names.
GENERAL = frozenset(
    """equipment apparatus machines machinery articles goods products parts accessories other
    appliances devices instruments materials preparations vehicles industries substances mixtures
    tools than power electrical""".split()
)
# Words ending in -ing that name goods or activities a mission can name ("casing and tubing" are parts).
KEPT_ING = frozenset("casing tubing drilling".split())
LITTLE = frozenset("a an the and or of for in on with other new kind similar like".split())


def is_noun_like(word: str) -> bool:
    """A word that can head a product name: not general, not an adjective or participle by its
    ending ("electric", "agricultural", "refrigerating", "fitted")."""
    return len(word) > 3 and word not in GENERAL and not word.endswith(("ic", "al", "ing", "ed", "less"))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z-]+", text.lower())


def use_phrase(text: str) -> str:
    """The product phrase after "of a kind used in": up to the first comma, unless the comma lists
    goods that a later "or"/"and" closes ("construction, mining or industrial handling vehicles")."""
    segments = text.split(",")
    kept = []
    for segment in segments:
        kept.append(segment)
        if " or " in segment or " and " in segment or len(segments) == 1:
            break
    else:
        kept = segments[:1]
    return ",".join(kept).strip()


def heads(phrase: str) -> list[str]:
    """The head noun of each good a phrase joins with "or"/"and": "buses or lorries" -> buses,
    lorries; "the manufacture of paints" -> paints (a head is the last word before "for", "of").
    Words listed before a general head qualify it, not name goods: "construction, mining or
    industrial handling vehicles" names none."""
    phrase = re.sub(r"^(the )?manufacture of ", "", phrase)
    phrase = re.split(r" (?:for|of|in) ", phrase)[0]
    items = [[w for w in words(i) if w not in LITTLE] for i in re.split(r",| and | or ", phrase)]
    items = [i for i in items if i]
    general = [n for n, i in enumerate(items) if len(i) > 1 and i[-1] in GENERAL]
    if general:
        items = items[general[-1] + 1 :]
    return [i[-1] for i in items if is_noun_like(i[-1]) or i[-1] in KEPT_ING]


def covers(phrase: list[str], text: list[str]) -> bool:
    """Every word of `phrase` occurs in `text`, a word and its forms ("refrigerating" -> "refrigerat")
    counting as one (shared first seven letters, or the whole word when shorter)."""
    keys = {w[:7] for w in text}
    return all(w[:7] in keys for w in phrase)


def listed_goods(description: str) -> list[str]:
    """The head nouns of the goods a heading lists first: "Refrigerators, freezers and other
    refrigerating or freezing equipment; heat pumps" -> refrigerators, freezers."""
    first = re.split(r"[;(]", description)[0]
    goods = []
    for item in re.split(r",| and | or ", first):
        item_words = [w for w in words(item) if w not in LITTLE]
        if item_words and is_noun_like(item_words[-1]):
            goods.append(item_words[-1])
    return goods


def part_name(before: str) -> str:
    """The part the entry names: the words just before "of a kind used", or, when the entry puts
    them before a semicolon ("Compressors; of a kind used in ..."), the words before that."""
    pieces = [p.strip(" ,;") for p in re.split(r"[;,]", before)]
    named = [p for p in pieces if [w for w in words(p) if w not in LITTLE]]
    if not named:
        return ""
    # "radio-broadcast receivers not capable of ...": the part is the noun phrase before the qualifier
    part = re.split(r" (?:not|whether|of|with|without|suitable) ", " " + named[-1] + " ")[0].strip()
    return part if 0 < len(part.split()) <= 4 else ""


def build(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    headings = [(r["hscode"], r["description"]) for r in rows if r["level"] == "4"]
    entries = []
    for row in rows:
        if row["level"] != "6":
            continue
        found = USED.search(row["description"])
        if not found:
            continue
        part = part_name(found["before"])
        use = use_phrase(found["use"])
        use_words = [w for w in words(use) if w not in LITTLE]
        if not heads(part) or not use_words:
            continue
        # A phrase headed by a general word ("refrigerating equipment") stands for the goods of the
        # headings whose first clause holds all its words; any other phrase names its goods itself.
        own = heads(use)
        listed = {
            g
            for _, text in headings
            for g in listed_goods(text)
            if len(use_words) > 1 and covers(use_words, words(re.split(r"[;(]", text)[0]))
        }
        products = sorted(set(own) | (listed if not own else set()))
        if not products:
            continue
        code = row["hscode"]
        entries.append(
            {
                "code": f"{code[:4]}.{code[4:]}",
                "part": part.lower(),
                "use": use.lower(),
                "products": products,
            }
        )
    return entries


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    data = {
        "source": "Harmonized Commodity Description and Coding System (HS), World Customs Organization",
        "version": "HS 2022 (github.com/datasets/harmonized-system, datapackage version 2022.0)",
        "licence": "ODC-PDDL-1.0 (Open Data Commons Public Domain Dedication and Licence)",
        "entries": build(rows),
    }
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(data['entries'])} entries -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
