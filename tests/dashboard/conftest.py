"""Dashboard tests: plumbing with the hashing embedder (scores carry no meaning, counts do).

`demo` is the packaged demo organisation in a SQLite store, loaded once per module, with its
ideas scored on arrival and goals, knowledge areas and communications scored by refresh_verdicts.
The `org` fixture (tests/support.py) is the small organisation shared with the API tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner
from hoshin.service.dashboard import refresh_verdicts
from hoshin.service.demo import load_demo
from hoshin.service.verdict_reasons import open_store


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("dashboard") / "demo.sqlite3"
    url = f"sqlite:///{path}"
    with open_store(url) as repo:
        aligner = store_aligner(repo, HashingEmbedder())
        load_demo(repo, None, "tests", score=True, aligner=aligner)
        refresh_verdicts(repo, "frostline", aligner)
    yield url


@pytest.fixture
def demo(demo_url: str) -> Iterator[Any]:
    with open_store(demo_url) as repo:
        yield repo
