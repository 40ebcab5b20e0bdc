"""Text plumbing shared by the mission, brand and principles checks: tokens, stems, sentences, cues.

Everything here is deterministic and dependency-free. The stemmer (`hoshin.domain.text.stem`, the
engine's one stemmer, re-exported here) is deliberately crude: it only has to make
"families"/"family" and "produced"/"produce" meet, never to be linguistically right, and cue
phrases are matched on stems, so the word lists can be written in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from hoshin.domain.text import STOP_WORDS, stem

__all__ = [
    "STOPWORDS",
    "Cue",
    "CueMatch",
    "cue_list",
    "Token",
    "content_stems",
    "find_cues",
    "is_negated",
    "phrase_around",
    "split_sentences",
    "split_units",
    "stem",
    "tokens",
]

# Letters and digits of any script; apostrophes and hyphens inside a word keep it whole
# ("energy-saving", "don't"). Emoji and odd punctuation simply fall between tokens.
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
# A sentence ends at . ! ? or … (optionally followed by a closing quote) before a capital or digit.
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’»)]))\s+(?=[\"'“‘«(]?[A-Z0-9À-Ý])")
_BULLET = re.compile(r"^\s*(?:[-*•·‣▪◦–—>]+|\d{1,2}[.)]|[a-zA-Z][.)])\s+")
_CLAUSE_SPLIT = re.compile(r"\s*(?:;|:|\s[—–-]\s|\(|\)|\s+\band\b\s+(?=(?:we|our|to)\b))\s*", re.IGNORECASE)

# The engine's stop words (`text.STOP_WORDS`) serve the cue checks too, under the name they used.
STOPWORDS = STOP_WORDS


@dataclass(frozen=True)
class Token:
    text: str  # as written
    lower: str
    stem: str
    start: int  # character offsets into the source text
    end: int


def tokens(text: str) -> list[Token]:
    """Every word of `text` with its stem and its position."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        out.append(Token(word, word.lower(), stem(word), m.start(), m.end()))
    return out


def content_stems(text: str) -> set[str]:
    """Stems of the words that carry meaning (no stopwords, no one-letter tokens)."""
    return {t.stem for t in tokens(text) if t.lower not in STOPWORDS and len(t.lower) > 1}


def split_sentences(text: str) -> list[str]:
    """Sentences and bullet points of `text`, bullets and surrounding quotes stripped; never empty strings."""
    pieces: list[str] = []
    for line in text.replace("\r", "\n").split("\n"):
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        for part in _SENTENCE_BREAK.split(line):
            part = part.strip().strip("\"'“”‘’«»").strip()
            if _WORD.search(part):
                pieces.append(part)
    return pieces


def split_units(text: str, max_words: int = 40) -> list[str]:
    """Short, self-contained pieces (sentences, bullets, clauses) for embedding one idea at a time."""
    units: list[str] = []
    for sentence in split_sentences(text):
        for clause in _CLAUSE_SPLIT.split(sentence):
            clause = clause.strip(" ,.;:!?\"'“”")
            if not _WORD.search(clause):
                continue
            words = clause.split()
            # Very long run-on clauses are cut so one idea does not drown in another.
            for start in range(0, len(words), max_words):
                units.append(" ".join(words[start : start + max_words]))
    return units


@dataclass(frozen=True)
class Cue:
    """A word or phrase that signals something, with a weight (1.0 = enough on its own)."""

    phrase: str
    weight: float = 1.0

    @cached_property
    def stems(self) -> tuple[str, ...]:
        # Worked out once per cue: every principle check walks the same few hundred cues.
        return tuple(stem(w) for w in _WORD.findall(self.phrase))


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    first: int  # token index of the first matched word
    last: int  # token index of the last matched word (inclusive)


def find_cues(toks: Sequence[Token], cues: Iterable[Cue]) -> list[CueMatch]:
    """Every place a cue's stems occur as consecutive tokens; longer cues first, no overlaps."""
    stems_seq = [t.stem for t in toks]
    # Where each stem occurs: a cue is tried only where its first word is, not at every position
    # (a principle check tries hundreds of cues on every sentence).
    starts: dict[str, list[int]] = {}
    for i, s in enumerate(stems_seq):
        starts.setdefault(s, []).append(i)
    present = (c for c in cues if c.stems and c.stems[0] in starts)
    ordered = sorted(present, key=lambda c: -len(c.stems))  # stable: ties keep the list's order
    taken: set[int] = set()
    found: list[CueMatch] = []
    for cue in ordered:
        pattern = cue.stems
        n = len(pattern)
        for i in starts[pattern[0]]:
            if i + n > len(stems_seq):
                break
            if tuple(stems_seq[i : i + n]) == pattern and not taken.intersection(range(i, i + n)):
                found.append(CueMatch(cue, i, i + n - 1))
                taken.update(range(i, i + n))
    found.sort(key=lambda m: m.first)
    return found


_NEGATORS = frozenset(
    "not no never without cannot can't won't don't doesn't didn't isn't aren't wasn't nobody none "
    "hardly lack lacks lacking".split()
)


def is_negated(toks: Sequence[Token], index: int, window: int = 3) -> bool:
    """True when one of the `window` words before token `index` negates it ("never skip tests")."""
    for t in toks[max(0, index - window) : index]:
        if t.lower.replace("’", "'") in _NEGATORS or t.lower.endswith("n't"):
            return True
    return False


def phrase_around(text: str, toks: Sequence[Token], first: int, last: int, reach: int = 3) -> str:
    """The words around a match, within its clause: the evidence a person reads to see why."""
    left = first
    while left > 0 and first - left < reach and not _boundary_between(text, toks[left - 1], toks[left]):
        left -= 1
    right = last
    while (
        right < len(toks) - 1
        and right - last < reach
        and not _boundary_between(text, toks[right], toks[right + 1])
    ):
        right += 1
    return text[toks[left].start : toks[right].end]


def _boundary_between(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return any(ch in gap for ch in ',;:.!?()—–\n"“”') or " - " in gap


# ================================================================ word lists
#
# Written for this project. Lists are comma-separated plain phrases; `cue_list` turns them into Cues.
# Some non-English words are included because mission statements mix languages ("Kunden", "qualité").


def cue_list(phrases: str, weight: float = 1.0) -> list[Cue]:
    return [Cue(p.strip(), weight) for p in phrases.replace("\n", " ").split(",") if p.strip()]


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(words))


COMPONENTS = (
    "customers",
    "products",
    "markets",
    "technology",
    "growth",
    "philosophy",
    "self_concept",
    "public_image",
    "employees",
)

# Things organisations make, sell or do for someone; used both as product cues and as concrete words.
_PRODUCT_NOUNS = """products, services, goods, solutions, refrigerators, fridges, freezers, appliances,
        machines,
machinery, equipment, tools, devices, cars, vehicles, bikes, bicycles, trucks, engines, tyres, tires,
        software,
apps, applications, platform, games, hardware, chips, semiconductors, computers, phones, food, foods, meals,
bread, coffee, tea, beer, wine, chocolate, snacks, drinks, beverages, groceries, medicines, medicine, drugs,
vaccines, therapies, treatments, healthcare, insurance, loans, banking, payments, investments, furniture,
clothing, clothes, fashion, shoes, toys, books, news, journalism, music, films, entertainment, energy,
electricity, power, water, housing, homes, buildings, construction, transport, travel, flights, hotels,
        hospitality,
education, courses, schools, logistics, delivery, shipping, packaging, paper, steel, chemicals,
materials, fertiliser, seeds, crops, cosmetics, beauty, jewellery, watches, glasses, lighting, lamps,
        solar panels,
batteries, pumps, valves, sensors, robots, instruments, telecommunications, connectivity, internet, broadband,
consulting, advice, research, cleaning, repair, maintenance, recycling, pet food, furniture, textiles, yarn,
ice cream, pizza, burgers, cheese, milk, dairy, meat, vegetables, fruit, flowers, plants, tours, events,
        tickets,
Produkte, Dienstleistungen, produits, productos, prodotti, produtos, servicios, services"""

COMPONENT_CUES: dict[str, list[Cue]] = {
    "customers": cue_list(
        """customers, customer, clients, client, consumers, users, patients, families, households, homes,
        guests, members, shoppers, passengers, travellers, travelers, students, learners, pupils,
        children, kids,
        parents, farmers, growers, businesses, small businesses, companies we serve, retailers,
        partners we serve,
        patrons, readers, listeners, viewers, fans, subscribers, owners, drivers, riders, citizens,
        communities we
        serve, everyone, every person, people everywhere, home cooks, athletes, gamers, developers,
        enterprises,
        organisations we serve, seniors, elderly, commuters, banks, hospitals, pets, dogs, cats,
        every child, millions of people, familias, familles, Familien, women, men, teenagers,
        professionals, buyers, tenants,
        Kunden, clientes, clienti, klanten, consommateurs"""
    )
    + cue_list("serve, people, those who, anyone, whoever, for all", 0.5),
    "products": cue_list(_PRODUCT_NOUNS)
    + cue_list(
        """produce, make, manufacture, build, bake, brew, craft, design, develop, create, provide, offer,
        deliver, sell, supply, distribute, grow, cook, serve up, publish, fabriquer, herstellen""",
        0.5,
    ),
    "markets": cue_list(
        """worldwide, around the world, across the world, all over the world, global, globally, globe,
        international, internationally, national, nationwide,
        regional, local, locally, Europe, European, Asia, Asian, Africa, African, America, American, Americas,
        Latin America, North America, South America, Australia, Oceania, Middle East, Nordic, Scandinavia,
        Germany, France, Spain, Italy, Netherlands, Britain, UK, United Kingdom, Ireland, Poland,
        Sweden, Norway,
        Denmark, Finland, Switzerland, Austria, Belgium, Portugal, Greece, Turkey, India, China, Japan, Korea,
        Brazil, Mexico, Canada, Kenya, Nigeria, Egypt, South Africa, Indonesia, Vietnam, Philippines,
        USA, United States,
        every continent, every country, countries, markets, market, region, regions, emerging markets,
        city, cities, rural, urban, metropolitan, neighbourhood, continents, county, counties, borough,
        province, provinces, Bavaria, California, Texas, London, Paris,
        Berlin, Tokyo, New York, Welt, monde, mundo, mondo, Europa, weltweit, mondial"""
    )
    + cue_list(
        """Dutch, German, French, Spanish, Italian, Swiss, British, Irish, Polish, Swedish, Norwegian, Danish,
        Finnish, Austrian, Belgian, Portuguese, Greek, Turkish, Indian, Chinese, Japanese, Korean, Brazilian,
        Mexican, Canadian, Kenyan, Nigerian, African, México, Lisbon, Madrid, Rome, Milan, Amsterdam,
        Vienna""",
    )
    + cue_list("world, across, abroad", 0.5),
    "technology": cue_list(
        """technology, technologies, tech, technological, digital, AI, artificial intelligence,
        machine learning,
        data, software, engineering, engineers, science, scientific, research, R&D, innovation, innovative,
        innovate, cutting-edge, state-of-the-art, automation, cloud, internet, online, platform,
        biotechnology,
        algorithms, analytics, robotics, sensors, patented, patents, laboratory, lab, computers, computer,
        open-source, open source, scientists, researchers, discovery, discoveries, discover,
        3D printing, 3D-printed, chips, microchips,
        semiconductors, Technologie, tecnología,
        tecnologia, technologie"""
    ),
    "growth": cue_list(
        """growth, grow our business, grow the company, profit, profits, profitable, profitability, revenue,
        shareholders, shareholder value, investors, returns, return on investment, financial, financially,
        earnings, long-term success, sustainable growth, survive, survival, expand, expansion, market share,
        economic value, value for our owners, dividend, still be here, still be around,
        Wachstum, croissance, crecimiento, rentable"""
    )
    + cue_list("grow, growing, long-term, thrive, lead the market, sales", 0.5),
    "philosophy": cue_list(
        """values, our values, core values, beliefs, believe, belief, integrity, honesty, honest, ethics,
        ethical, ethically,
        respect, respectful, trust, trustworthy, fairness, fair, fairly, transparency, transparent,
        responsibility,
        responsible, principles, principled, dignity, care for the planet, care for, caring, compassion,
        compassionate, kindness, humility, courage, passion, commitment, committed, dedicated, accountability,
        equality, inclusion, inclusive, diversity, justice, human rights, sustainability, sustainable, planet,
        environment, environmental, green, eco-friendly, conscience, Werte, valeurs, valores, ética, éthique,
        nachhaltig, durable, sostenible, integrität, kind, kindness, brave, curious, curiosity, with heart,
        welcoming, deserve, deserves, respeto, honnêteté, at the centre of, at the center of,
        at the heart of, living wage, fair trade, fairtrade, share our profits"""
    )
    + cue_list("value, care, quality, safety, safe, purpose, mission-driven, open, heart", 0.5),
    "self_concept": cue_list(
        """leading, leader, leaders, market leader, largest, biggest, finest, best-in-class,
        unrivalled, unrivaled, unmatched, unique, uniquely, distinctive, pioneer, pioneering, premier,
        number one,
        excellence, excel, expert, experts, expertise, specialist, specialists, know-how, heritage, tradition,
        since, renowned, trusted brand, first choice, strength, strengths, competence, only company,
        proven, experience, decades of, craftsmanship, meilleur, führend, líder,
        family business, family company, family firm, family-owned, family-run, cooperative,
        co-operative, co-op, employee-owned, worker-owned, owned by, than anyone else, than any other"""
    )
    + cue_list("best, the best, world-class", 0.5),
    "public_image": cue_list(
        """society, social, socially, community, communities, citizen, citizenship, corporate citizen,
        good neighbour, good neighbor, public, reputation, known as, be known for, recognised as,
        recognized as, planet, environment, environmental, climate,
        sustainability, sustainable, carbon, emissions, nature, future generations, the world a better place,
        a better world, make a difference, positive impact, impact, give back, charity, philanthropy,
        humanity,
        mankind, the common good, hunger, poverty, homelessness, inequality, pollution, landfill, earth,
        recycle, recycles, recycling, for good, towns, renewable, renewables, clean energy, low-energy,
        low-carbon, zero-carbon, net zero, energy use, organic, wildlife, biodiversity, habitats,
        wetlands, pollinators, without harming, hungry, less waste, less plastic,
        fewer chemicals, fewer pesticides,
        responsibly, responsible business, welfare, wellbeing of society, Gesellschaft,
        société, sociedad, comunidad, Umwelt"""
    )
    + cue_list("world, care, green, energy-saving, energy-efficient, local, neighbour, neighbor", 0.5),
    "employees": cue_list(
        """employees, employee, staff, workforce, colleagues, co-workers, coworkers, team members, our team,
        our people, skilled people, talented people, associates, workers, crew, personnel, talent, careers,
        workplace, place to work, great place to work, employer, hire, hiring, train, training our,
        develop our
        people, jobs, advisers, bakers, our own drivers, engineers and craftspeople, craftspeople,
        craftsmen, artisans, volunteers, people who work, who work for us, who work here, our drivers,
        Mitarbeiter,
        Mitarbeitende, employés, empleados, dipendenti, medewerkers, collaborateurs, équipe"""
    )
    + cue_list("people who, team, skilled, talented, built by, made by, handmade", 0.5),
}

# Words and phrases that sound like a mission but say nothing that could not be said of anyone.
BUZZWORDS = cue_list(
    """synergy, synergies, leverage, leveraging, world-class, best-in-class, cutting-edge, state-of-the-art,
    innovative solutions, solutions, holistic, paradigm, empower, empowering, value-added, added value,
    excellence, excellent, best practice, best practices, stakeholders, stakeholder value, next-generation,
    disruptive, game-changing, seamless, robust, scalable, dynamic, passionate, passion, exceed expectations,
    customer-centric, thought leader, thought leadership, to be the best, value creation, maximise value,
    maximize value, premier, unparalleled, unrivalled, unmatched, outstanding, superior, quality, innovation,
    innovative, excellence in everything, impact, the future, future-proof, transform, transformation,
    ecosystem, agile, mission-critical, win-win, strategic, key, core competencies, global leader, leading"""
)

CONCRETE_NOUNS = _stems(_PRODUCT_NOUNS) | _stems(
    """families, patients, farmers, children, students, nurses, doctors, teachers, drivers, cyclists, seniors,
    households, homeowners, tenants, retailers, restaurants, hospitals, schools, farms, factories, shops,
    compressor, door, doors, warranty, kilometres, miles, tonnes, hours, minutes, years, percent, kg,
        kWh, CO2"""
)

PLACES = _stems(
    """Europe, European, Asia, Africa, America, Americas, Australia, Germany, France, Spain, Italy,
    Netherlands,
    Britain, UK, Ireland, Poland, Sweden, Norway, Denmark, Finland, Switzerland, Austria, Belgium, Portugal,
    Greece, Turkey, India, China, Japan, Korea, Brazil, Mexico, Canada, Kenya, Nigeria, Egypt, Indonesia,
    Vietnam, Philippines, USA, Bavaria, California, Texas, London, Paris, Berlin, Tokyo, York, rural, urban,
    city, cities, village, villages, town, towns, region, Nordic, Scandinavia"""
)
