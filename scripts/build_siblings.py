"""Build src/hoshin/data/siblings_wordnet.json: the close kinds WordNet 3.0 groups products under.

    python scripts/build_siblings.py /usr/share/wordnet

A sibling product is another kind of the same thing: wall clocks and wristwatches are both
timepieces, armchairs and sofas both seats, tea and coffee both beverages. Read here, at build time
only, from WordNet 3.0 (Debian package wordnet-base; notice in NOTICE): every noun synset filed as
an artifact or a food (lexicographer files noun.artifact and noun.food) that is a hypernym, one or
two levels up, of such synsets, and whose kinds are few enough to be one kind of product
(`MAX_KINDS` hyponyms in all, however deep: {timepiece} 34, {seat} 69, {beverage} 339; {device}
2,764 is no kind of product). Each group lists its own words and the words of its kinds one and
two levels down (single words and two-word names: the head noun of an idea, or
the head with the word before it, is what is looked up), starred when it is a kind there only in
a sense other than its most frequent noun sense (index.noun's order): a mission's product and an
idea's sibling are read in that sense alone ("kettles" are pots, not kettledrums; "glass" is a
material, not a drinking glass). domain/siblings.py reads it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_grounding import ARTIFACT, WORDNET, WordNet, phrase  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "hoshin" / "data"
PRODUCT_FILES = ("06", "13")  # noun.artifact, noun.food
MAX_KINDS = 400
LEVELS = 2


def lexicographer_files(folder: Path) -> dict[str, str]:
    found = {}
    for line in open(folder / "data.noun", encoding="latin-1"):
        if not line.startswith("  "):
            fields = line.split(maxsplit=2)
            found[fields[0]] = fields[1]
    return found


def looked_up(words: list[str]) -> list[str]:
    """The words an idea's head (or head with the word before it) can match, in WordNet's order."""
    found = [
        phrase(w).lower()
        for w in words
        if w.count("_") <= 1 and w.replace("_", "").replace("-", "").isalpha()
    ]
    return list(dict.fromkeys(found))


def first_senses(folder: Path, products: set[str]) -> dict[str, str]:
    """Each word's most frequent noun sense (index.noun lists a word's senses by frequency), when
    that sense is a made thing or a food: "kettle" the pot, not the kettledrum; "glass" is first a
    material and "security" a state, so neither is read as a product at all."""
    found = {}
    for line in open(folder / "index.noun", encoding="latin-1"):
        if line.startswith(" "):
            continue
        fields = line.split()
        first = fields[-int(fields[2])]
        if first in products:
            found[phrase(fields[0]).lower()] = first
    return found


def groups(wn: WordNet, lex: dict[str, str], folder: Path) -> list[dict[str, object]]:
    products = {o for o, f in lex.items() if f in PRODUCT_FILES}
    first = first_senses(folder, products)
    members: dict[str, set[str]] = {}
    primary: dict[str, set[str]] = {}
    for synset in products:
        todo = [(synset, 0)]
        seen = {synset}
        while todo:
            node, level = todo.pop()
            if level == LEVELS:
                continue
            for up in wn.related(node, "@", "@i"):
                if up in seen or up not in products:
                    continue
                seen.add(up)
                todo.append((up, level + 1))
                words = looked_up(wn.words[synset])
                members.setdefault(up, set()).update(words)
                primary.setdefault(up, set()).update(w for w in words if first.get(w) == synset)
    found = []
    for up, kinds in sorted(members.items()):
        names = looked_up(wn.words[up])
        if len(kinds) < 2 or not names or len(wn.below(up)) > MAX_KINDS:
            continue
        # A kind directly under {artifact} ({facility}: museums, zoos, airports) is a whole field.
        if ARTIFACT in wn.related(up, "@", "@i"):
            continue
        found.append(
            {
                "code": f"WN30-{up}",
                "names": names,
                # "*": a kind through a sense of its word other than the most frequent one.
                "kinds": "|".join(w if w in primary[up] else w + "*" for w in sorted(kinds)),
            }
        )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = Path(argv[1])
    wn = WordNet(folder)
    found = groups(wn, lexicographer_files(folder), folder)
    data = {**WORDNET, "max_kinds": MAX_KINDS, "levels": LEVELS, "groups": found}
    path = DATA / "siblings_wordnet.json"
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
    print(f"{path.name}: {len(found)} groups, {sum(str(g['kinds']).count('|') + 1 for g in found)} kinds")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
