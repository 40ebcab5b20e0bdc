"""Time `mission analyze` on 600 varied statements with the real model (target: under 30 s on 2 cores).

Usage:  python bench/bench_mission_analysis.py [--count 600] [--embedder minilm|hashing]

Statements are built by recombining fragments written for this benchmark (openers, offers,
customers, places, values, odd shapes), so they vary in length and form like real ones. No vector
cache is used: every text is embedded, as on a first run.
"""

from __future__ import annotations

import argparse
import random
import time

from hoshin.embedding import create_embedder
from hoshin.service.texts import analyze_missions

OPENERS = ["We", "Our mission is to", "To", "Every day we", "Since 1950 we", "Together we", ""]
OFFERS = [
    "make reliable refrigerators",
    "bake fresh bread",
    "build affordable electric bikes",
    "write accounting software",
    "grow organic vegetables",
    "run free schools",
    "insure small farms",
    "brew craft beer",
    "design quiet heat pumps",
    "deliver parcels on time",
    "publish independent news",
    "develop vaccines",
    "repair old phones",
    "sell second-hand furniture",
    "teach coding online",
]
CUSTOMERS = [
    "for families",
    "for small businesses",
    "for patients",
    "for farmers",
    "for commuters",
    "for every child",
    "for our members",
    "for people who love good food",
    "",
]
PLACES = [
    "across Europe",
    "in rural India",
    "in Kenya and Uganda",
    "around the world",
    "in Bavaria",
    "in our neighbourhood",
    "in Latin America",
    "",
]
EXTRAS = [
    "built by skilled people who care for the planet",
    "with honesty and respect",
    "using data and machine learning",
    "while growing profitably",
    "as the market leader",
    "and we give back to our community",
    "with a team we train ourselves",
    "",
    "",
    "",
]
SHAPES = [
    "{s}.",
    "- {s}\n- {e}",
    "“{s}!”",
    "{s} 🚀",
    "{s}; {e}.",
    "{s}.\n\n{e}.",
    "{S}",
    "{s}... {e}?!",
    "{s}. {s2}. {e}.",
]


def statements(count: int, seed: int = 7) -> list[str]:
    """`count` statements, reproducible for a given seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):

        def sentence() -> str:
            parts = [rng.choice(OPENERS), rng.choice(OFFERS), rng.choice(CUSTOMERS), rng.choice(PLACES)]
            return " ".join(p for p in parts if p)

        s, s2, extra = sentence(), sentence(), rng.choice(EXTRAS) or "Quality first"
        out.append(rng.choice(SHAPES).format(s=s, s2=s2, e=extra, S=s.upper()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--embedder", default=None, help="minilm (default) or hashing")
    args = parser.parse_args()
    rows = [{"id": str(i), "text": t} for i, t in enumerate(statements(args.count))]
    embedder = create_embedder(args.embedder)
    started = time.perf_counter()
    embedder.embed(["warm up the model"])  # loading the model is not what this measures
    loaded = time.perf_counter()
    results = analyze_missions(rows, embedder)
    done = time.perf_counter()
    present = sum(sum(c["present"] for c in r["components"].values()) for r in results)
    print(f"model load: {loaded - started:.1f} s")
    print(
        f"analysed {len(results)} statements in {done - loaded:.1f} s "
        f"({len(results) / (done - loaded):.0f}/s), {present / len(results):.1f} components each on average"
    )
    print("target: under 30 s for 600 statements on 2 cores")


if __name__ == "__main__":
    main()
