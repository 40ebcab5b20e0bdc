"""Built-in text corpora that ship inside the package.

Two files live beside this module and are read through ``importlib.resources``, so they load the same
way from a source checkout, an editable install or an installed wheel:

- ``background.txt``: about 1,200 short, plain descriptions of activities, products, services and jobs
  from every corner of economic and everyday life, one per line. The alignment engine compares texts
  and missions with this broad, neutral crowd to discount "hub" texts that sit close to everything,
  and to calibrate a mission's scores against its own typical similarity.
- ``knowledge_catalogue.csv``: about 400 knowledge areas (``id,name,description,field``) that an
  organisation's people may need, from welding to corporate finance to active listening. It seeds
  knowledge-management views and is the default list to rank against a mission.

Both loaders read their file once per process; each call returns a fresh copy, so a caller that
edits the result cannot change what the next caller sees.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

__all__ = [
    "BACKGROUND_WORDS",
    "CATALOGUE_COLUMNS",
    "KNOWLEDGE_FIELDS",
    "background_texts",
    "knowledge_catalogue",
]

BACKGROUND_FILE = "background.txt"
CATALOGUE_FILE = "knowledge_catalogue.csv"

#: Inclusive bounds on the number of words in one background line: long enough to say what the
#: activity is, short enough that no line drifts into a paragraph about several things.
BACKGROUND_WORDS = (4, 14)

#: The columns of the knowledge catalogue, in file order.
CATALOGUE_COLUMNS = ("id", "name", "description", "field")

#: The broad fields a knowledge area may belong to; ``general`` holds the abilities every job draws
#: on (listening, writing, judgement, time management, ...).
KNOWLEDGE_FIELDS = frozenset(
    {
        "business",
        "science",
        "engineering",
        "technology",
        "health",
        "law",
        "arts",
        "trades",
        "education",
        "public",
        "general",
    }
)


def _read_packaged(name: str) -> str:
    return resources.files("hoshin.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _background_lines() -> tuple[str, ...]:
    # Blank lines are tolerated so an editor's trailing newline never becomes an empty "text".
    lines = (line.strip() for line in _read_packaged(BACKGROUND_FILE).splitlines())
    return tuple(line for line in lines if line)


@lru_cache(maxsize=1)
def _catalogue_rows() -> tuple[tuple[str, ...], ...]:
    reader = csv.DictReader(io.StringIO(_read_packaged(CATALOGUE_FILE)))
    return tuple(tuple(row[column].strip() for column in CATALOGUE_COLUMNS) for row in reader)


def background_texts() -> list[str]:
    """Return the background corpus: one short activity description per item, in file order."""
    return list(_background_lines())


def knowledge_catalogue() -> list[dict[str, str]]:
    """Return the knowledge catalogue as dicts with the keys ``id``, ``name``, ``description``, ``field``.

    Rows come in id order (``K-0001`` first); ``field`` is always one of :data:`KNOWLEDGE_FIELDS`.
    """
    return [dict(zip(CATALOGUE_COLUMNS, row, strict=True)) for row in _catalogue_rows()]
