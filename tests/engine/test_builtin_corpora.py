"""The two built-in corpora: their shape, their breadth, and that they load from inside a package."""

from __future__ import annotations

import collections
import csv
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hoshin.data import corpora
from hoshin.data.corpora import (
    BACKGROUND_WORDS,
    CATALOGUE_COLUMNS,
    KNOWLEDGE_FIELDS,
    background_texts,
    knowledge_catalogue,
)

DATA_DIR = Path(corpora.__file__).parent


def _normalised(text: str) -> str:
    """Lower case, punctuation dropped: two lines that differ only by a comma count as the same."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


# ---------------------------------------------------------------------------- background corpus


def test_background_has_about_twelve_hundred_lines() -> None:
    assert 1100 <= len(background_texts()) <= 1400


def test_background_file_has_no_blank_or_padded_lines() -> None:
    raw = (DATA_DIR / "background.txt").read_text(encoding="utf-8")
    assert raw.endswith("\n") and not raw.endswith("\n\n")
    for number, line in enumerate(raw.splitlines(), start=1):
        assert line == line.strip() and line, f"line {number} is blank or has stray spaces: {line!r}"


def test_background_lines_are_short_phrases() -> None:
    low, high = BACKGROUND_WORDS
    wrong = [text for text in background_texts() if not low <= len(text.split()) <= high]
    assert wrong == []


def test_background_has_no_duplicates_even_ignoring_case_and_punctuation() -> None:
    counts = collections.Counter(_normalised(text) for text in background_texts())
    assert [text for text, n in counts.items() if n > 1] == []


def test_background_lines_are_single_descriptions_not_lists_or_sentences() -> None:
    # A line is one idea: no sentence breaks, no bullet markers, no stray list separators.
    odd = [
        t for t in background_texts() if re.search(r"[.;:!?]\s|^[-*•]|^\d+[.)]\s|\t", t) or t.endswith(".")
    ]
    assert odd == []


# Each area the corpus must cover, with whole words (a plural "s" is allowed) that show up when that
# area is really there. The floors are low on purpose: they catch an area being dropped, not small edits.
BACKGROUND_AREAS = {
    "agriculture": "farm farmer crop harvest cattle orchard livestock dairy farmland",
    "food and drink": "bakery beer cheese chocolate coffee meal sauce wine bread",
    "mining and quarrying": "mining quarry quarrying ore mine mineral drilling",
    "energy": "solar wind power electricity gas energy fuel heat",
    "construction": "construction building roofing bricklaying scaffolding plastering houses",
    "metals": "steel aluminium foundry metal forging iron copper brass",
    "chemicals and plastics": "chemical plastic paint adhesive detergent rubber resin",
    "textiles and apparel": "textile yarn fabric clothing clothes knitted dress wool",
    "wood, paper and printing": "timber wood wooden paper printing cardboard printed",
    "machinery and electronics": "machine machinery electronic chip sensor robot motor",
    "vehicles": "car vehicle bus lorry aircraft bicycle ship van motorcycle",
    "appliances": "fridge refrigerator freezer washing dishwasher oven kettle appliance microwave vacuum",
    "medical devices": "surgical implant hearing syringe prosthetic scanner defibrillator wheelchair",
    "furniture and toys": "furniture sofa table toy doll game chair puzzle",
    "utilities and waste": "water sewage waste recycling sewer drain",
    "wholesale and retail": "wholesale wholesaler shop store retail supermarket retailer",
    "transport and logistics": "freight delivery haulage warehouse courier shipping transport",
    "software and IT": "software app cloud data website computer laptop online",
    "telecoms": "broadband phone network fibre satellite telephone radio",
    "media and publishing": "publishing magazine newspaper film radio podcast book",
    "finance and insurance": "bank banking insurance loan investment mortgage credit",
    "real estate": "property letting estate housing lease leased flat apartment",
    "law": "law legal solicitor contract court barrister litigation",
    "consulting": "consultancy advice coaching consulting advising",
    "research": "research laboratory testing trial survey experiment",
    "education": "school teaching course lesson tutoring university class",
    "health care": "hospital clinic patient therapy nursing dental medicine",
    "social care": "care foster elderly homeless carer support refuge",
    "arts": "art artist theatre music gallery painting dance sculpture",
    "sport": "sport football gym tennis golf climbing swimming cycling",
    "hospitality": "hotel restaurant pub catering bar cafe",
    "tourism": "tour holiday travel visitor tourist trip",
    "public administration": "council public police passport tax registry government",
    "charities and NGOs": "charity volunteer campaign aid conservation community",
    "household activities": "household home laundry cleaning family garden",
    "hobbies": "collecting amateur club knitting birdwatching hiking model",
    "human resources and payroll": "payroll recruiting employee staff salary pension",
    "marketing and sales": "marketing campaign sales customer advertising brand",
    "procurement": "supplier purchase purchasing tender sourcing buying",
    "facilities": "office meeting facilities reception building security",
    "finance function": "budget invoice accounts cash audit tax accounting",
}


def _lines_about(words: str) -> list[str]:
    """Background lines containing any of the space-separated words (or the word plus "s")."""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words.split())) + r")s?\b")
    return [text for text in background_texts() if pattern.search(text.lower())]


@pytest.mark.parametrize("area", sorted(BACKGROUND_AREAS))
def test_background_covers_every_area(area: str) -> None:
    hits = _lines_about(BACKGROUND_AREAS[area])
    assert len(hits) >= 10, f"only {len(hits)} background lines about {area}"


def test_area_check_notices_an_area_that_is_missing() -> None:
    # The coverage test above is only worth having if absent subjects really score low.
    assert len(_lines_about("cryogenics hovercraft harpsichord")) < 10


def test_background_is_not_dominated_by_one_opening_word() -> None:
    # Varied wording matters: a corpus where most lines start "A service for..." would itself be a hub.
    openings = collections.Counter(text.split()[0].lower() for text in background_texts())
    word, count = openings.most_common(1)[0]
    assert count / len(background_texts()) < 0.10, f"{count} lines start with {word!r}"


def test_background_texts_returns_a_fresh_list_each_call() -> None:
    first = background_texts()
    first.clear()
    assert len(background_texts()) > 1000


# ---------------------------------------------------------------------------- knowledge catalogue


def _raw_catalogue() -> list[dict[str, str]]:
    with open(DATA_DIR / "knowledge_catalogue.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_catalogue_file_has_exactly_the_documented_columns() -> None:
    with open(DATA_DIR / "knowledge_catalogue.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == CATALOGUE_COLUMNS == ("id", "name", "description", "field")


def test_catalogue_has_about_four_hundred_areas() -> None:
    assert 380 <= len(knowledge_catalogue()) <= 460


def test_every_catalogue_row_is_complete_and_untrimmed() -> None:
    for row in _raw_catalogue():
        assert set(row) == set(CATALOGUE_COLUMNS), row
        for column, value in row.items():
            assert value and value == value.strip(), f"{row['id']}: {column} is empty or padded"


def test_catalogue_ids_are_unique_sequential_and_well_formed() -> None:
    ids = [row["id"] for row in knowledge_catalogue()]
    assert all(re.fullmatch(r"K-\d{4}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == [f"K-{n:04d}" for n in range(1, len(ids) + 1)]


def test_catalogue_names_are_short_and_unique() -> None:
    names = [row["name"] for row in knowledge_catalogue()]
    assert [n for n in names if not 2 <= len(n.split()) <= 6] == []
    counts = collections.Counter(_normalised(n) for n in names)
    assert [n for n, c in counts.items() if c > 1] == []


def test_catalogue_descriptions_are_single_distinct_sentences() -> None:
    descriptions = [row["description"] for row in knowledge_catalogue()]
    for text in descriptions:
        assert text[0].isupper() and text.endswith("."), text
        assert not re.search(r"[.!?]\s+[A-Z]", text), f"more than one sentence: {text}"
        assert 6 <= len(text.split()) <= 30, text
    assert len({_normalised(d) for d in descriptions}) == len(descriptions)


def test_catalogue_fields_come_from_the_allowed_set_and_all_are_used() -> None:
    fields = {row["field"] for row in knowledge_catalogue()}
    assert fields <= KNOWLEDGE_FIELDS
    assert fields == KNOWLEDGE_FIELDS, f"unused fields: {sorted(KNOWLEDGE_FIELDS - fields)}"


def test_no_field_holds_more_than_thirty_percent_of_the_catalogue() -> None:
    rows = knowledge_catalogue()
    counts = collections.Counter(row["field"] for row in rows)
    field, count = counts.most_common(1)[0]
    assert count / len(rows) <= 0.30, f"{field} holds {count} of {len(rows)} areas"


def test_every_field_has_a_useful_number_of_areas() -> None:
    counts = collections.Counter(row["field"] for row in knowledge_catalogue())
    assert min(counts.values()) >= 10, counts


@pytest.mark.parametrize(
    "needed",
    [
        "reading comprehension",
        "writing",
        "speaking",
        "active listening",
        "critical thinking",
        "decision-making",
        "problem solving",
        "monitoring",
        "coordinating",
        "instructing",
        "negotiation",
        "persuasi",
        "service orientation",
        "time management",
        "mathematics",
        "troubleshooting",
        "quality control",
        "equipment maintenance",
        "systems analysis",
        "people management",
        "budgeting",
        "refrigeration",
        "thermodynamics",
        "welding",
        "plumbing",
        "carpentry",
        "polymer",
        "procurement",
        "supply chain",
        "employment law",
    ],
)
def test_catalogue_names_the_areas_jobs_commonly_need(needed: str) -> None:
    names = [row["name"].lower() for row in knowledge_catalogue()]
    assert any(needed in name for name in names), f"no knowledge area named for {needed!r}"


def test_knowledge_catalogue_returns_fresh_rows_each_call() -> None:
    first = knowledge_catalogue()
    first[0]["name"] = "changed by a caller"
    first.pop()
    again = knowledge_catalogue()
    assert again[0]["name"] != "changed by a caller"
    assert len(again) == len(first) + 1


def test_loaders_read_the_files_once_per_process() -> None:
    background_texts()
    knowledge_catalogue()
    before = (corpora._background_lines.cache_info().hits, corpora._catalogue_rows.cache_info().hits)
    background_texts()
    knowledge_catalogue()
    after = (corpora._background_lines.cache_info().hits, corpora._catalogue_rows.cache_info().hits)
    assert after == (before[0] + 1, before[1] + 1)


# ---------------------------------------------------------------------------- packaging


def test_corpora_load_from_a_zipped_package(tmp_path: Path) -> None:
    """The loaders use importlib.resources, not file paths, so they work from a zip or a wheel."""
    archive = tmp_path / "hoshin.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("hoshin/__init__.py", "")
        bundle.writestr("hoshin/data/__init__.py", "")
        for name in ("corpora.py", "background.txt", "knowledge_catalogue.csv"):
            bundle.write(DATA_DIR / name, f"hoshin/data/{name}")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from hoshin.data import corpora\n"
        "assert corpora.__file__.startswith(sys.argv[1]), corpora.__file__\n"
        "print(len(corpora.background_texts()), len(corpora.knowledge_catalogue()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", script, str(archive)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(len(background_texts())), str(len(knowledge_catalogue()))]
