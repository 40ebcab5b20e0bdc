"""Build the part-of grounding beyond HS 2022: src/hoshin/data/part_of_wordnet.json and threats_capec.json.

    python scripts/build_grounding.py /usr/share/wordnet path/to/capec/2.0/attack-pattern

WordNet 3.0 (Princeton University; Debian package wordnet-base, files in /usr/share/wordnet) gives two
kinds of entry, both read here, at build time only:
- part meronyms: "drip pan" is part of a refrigerator, "keyboard" part of a computer (the artifact
  pairs of data.noun's `%p` pointers, with the parts' own parts one level down);
- housings: the kinds of {housing} ("a protective cover designed to contain or support a mechanical
  component": shell/case/casing, cabinet, crankcase ...), a part of any made thing WordNet files
  under {device}, {machine}, {appliance} or {equipment}; the product words are listed once.
MITRE CAPEC (version 3.9, as STIX 2.0 in github.com/mitre/cti, capec/2.0/attack-pattern) gives the
attack patterns a "protection/security of computers" mission is against: every pattern neither
deprecated nor obsolete, by its name. A one-word name that WordNet 3.0 knows as a noun ("Flooding",
"Excavation", "Jamming") has senses outside computer attacks and is left out; coinages ("Phishing",
"Pharming", "Clickjacking") are kept. WordNet's {malevolent program} kinds (virus, worm, trojan ...)
are added beside them. domain/part_of.py reads both files.
"""

from __future__ import annotations

import glob
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "hoshin" / "data"
WORDNET = {
    "source": "WordNet 3.0, Princeton University (Debian package wordnet-base 1:3.0)",
    "version": "WordNet 3.0",
    "cite": "WordNet 3.0",
    "licence": "WordNet 3.0 licence (Princeton University; permissive, notice kept in NOTICE)",
}
CAPEC = {
    "source": "Common Attack Pattern Enumeration and Classification (CAPEC), The MITRE Corporation",
    "version": "CAPEC 3.9 (STIX 2.0, github.com/mitre/cti, capec/2.0)",
    "cite": "CAPEC 3.9",
    "licence": "CAPEC terms of use (MITRE: royalty-free, copyright designation and licence kept in NOTICE)",
}
ARTIFACT = "00021939"
HOUSING = "03546766"
# Made things that have a housing: {device}, {machine}, {home appliance}/{appliance}, {equipment}.
HOUSED = ("03183080", "03699975", "02729837", "03294048")
MALWARE = "06573020"  # {malevolent program}
# What a protection mission must name for attack patterns to concern it: {computer}, {computer
# network}, {software}, {internet}, {computer system}.
COMPUTING = ("03082979", "03085333", "06566077", "03580615", "03085915")
PROTECTION = ("protection", "security", "defence", "defense", "cybersecurity")


class WordNet:
    def __init__(self, folder: Path) -> None:
        self.words: dict[str, list[str]] = {}
        self.gloss: dict[str, str] = {}
        self.ptrs: dict[str, list[tuple[str, str]]] = {}
        for line in open(folder / "data.noun", encoding="latin-1"):
            if line.startswith("  "):
                continue
            head, _, gloss = line.partition(" | ")
            f = head.split()
            offset, n = f[0], int(f[3], 16)
            self.words[offset] = [f[4 + 2 * i].lower() for i in range(n)]
            i = 4 + 2 * n
            count, i = int(f[i]), i + 1
            ptrs = []
            for _ in range(count):
                symbol, target, pos = f[i : i + 3]
                i += 4
                if pos == "n":
                    ptrs.append((symbol, target))
            self.ptrs[offset] = ptrs
            self.gloss[offset] = gloss.split(";")[0].strip()
        self.nouns = {
            line.split()[0]
            for line in open(folder / "index.noun", encoding="latin-1")
            if not line.startswith(" ")
        }

    def related(self, offset: str, *symbols: str) -> list[str]:
        return [t for s, t in self.ptrs[offset] if s in symbols]

    def below(self, offset: str) -> set[str]:
        """Every hyponym of `offset`, however deep (instances too)."""
        found: set[str] = set()
        todo = [offset]
        while todo:
            for child in self.related(todo.pop(), "~", "~i"):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found


def phrase(lemma: str) -> str:
    return re.sub(r"\(.*?\)", "", lemma).replace("_", " ").strip()


def single_words(wn: WordNet, offset: str) -> list[str]:
    return [w for w in wn.words[offset] if "_" not in w and "-" not in w and w.isalpha()]


def made_things(wn: WordNet) -> set[str]:
    """Synsets of the made things a mission may produce: kinds of device, machine, appliance or
    equipment. Buildings, structures and systems are left out: a services mission that names
    "buildings" does not make every heating system core."""
    return set().union(*(wn.below(o) | {o} for o in HOUSED))


def meronym_entries(wn: WordNet) -> list[dict[str, object]]:
    artifacts = wn.below(ARTIFACT)
    parts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for whole in made_things(wn):
        products = single_words(wn, whole)
        if not products:
            continue
        direct = [p for p in wn.related(whole, "%p") if p in artifacts]
        deeper = [q for p in direct for q in wn.related(p, "%p") if q in artifacts]
        for part in direct + deeper:
            # A part that shares a word with its whole ("door" of {doorway, door}) is the product
            # itself in another sense, not a part of it.
            if set(wn.words[part]) & set(wn.words[whole]):
                continue
            parts[part][wn.words[whole][0]].update(products)
    entries = []
    for part, wholes in sorted(parts.items()):
        for use, products in sorted(wholes.items()):
            entries.append(
                {
                    "code": f"WN30-{part}",
                    "part": phrase(wn.words[part][0]),
                    "use": phrase(use),
                    "products": sorted(products),
                    "relation": "part",
                    "phrases": sorted({phrase(w) for w in wn.words[part]}),
                }
            )
    return entries


def housing_entries(wn: WordNet) -> tuple[list[dict[str, object]], list[str]]:
    housed = made_things(wn)
    products = sorted({w for o in housed for w in single_words(wn, o)})
    entries = []
    for offset in sorted(wn.below(HOUSING) | {HOUSING}):
        entries.append(
            {
                "code": f"WN30-{offset}",
                "part": "/".join(phrase(w) for w in wn.words[offset]),
                "use": wn.gloss[offset],
                "products": ["@housed"],
                "relation": "housing",
                "phrases": sorted({phrase(w) for w in wn.words[offset]}),
            }
        )
    return entries, products


def computing_words(wn: WordNet) -> list[str]:
    return sorted({w for o in COMPUTING for w in single_words(wn, o)} - {"net", "package", "site"})


def threat_entries(wn: WordNet, capec_dir: Path) -> list[dict[str, object]]:
    """Every entry is an attack pattern (or a malevolent program) that a mission naming one of
    PROTECTION, and a computing word in the same theme, is against; both lists are written once."""
    entries = []
    for path in sorted(glob.glob(str(capec_dir / "*.json"))):
        for item in json.load(open(path, encoding="utf-8"))["objects"]:
            if item.get("type") != "attack-pattern" or item.get("revoked"):
                continue
            if item.get("x_capec_status") in ("Deprecated", "Obsolete"):
                continue
            name = " ".join(item["name"].split())
            if " " not in name and name.lower() in wn.nouns:
                continue
            code = next(r["external_id"] for r in item["external_references"] if r["source_name"] == "capec")
            entries.append(
                {
                    "code": code,
                    "part": name,
                    "use": "attack pattern",
                    "phrases": [name.lower()],
                }
            )
    for offset in sorted(wn.below(MALWARE)):
        entries.append(
            {
                "code": f"WN30-{offset}",
                "part": phrase(wn.words[offset][0]),
                "use": "malevolent program",
                "cite": "WordNet 3.0",
                "phrases": sorted({phrase(w) for w in wn.words[offset]}),
            }
        )
    entries.sort(key=lambda e: str(e["code"]))
    return entries


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__)
        return 2
    wn = WordNet(Path(argv[1]))
    housing, housed = housing_entries(wn)
    parts = {**WORDNET, "housed": housed, "entries": meronym_entries(wn) + housing}
    threats = {
        **CAPEC,
        "also": WORDNET["source"] + ", for the kinds of {malevolent program}",
        "products": list(PROTECTION),
        "within": computing_words(wn),
        "entries": threat_entries(wn, Path(argv[2])),
    }
    for name, data in (("part_of_wordnet.json", parts), ("threats_capec.json", threats)):
        (DATA / name).write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
        print(f"{name}: {len(data['entries'])} entries")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
