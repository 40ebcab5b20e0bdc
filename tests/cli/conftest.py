"""The stateful brand, principles, mission and line-of-sight commands run over the demo organisation
with the hashing embedder (plumbing, not meaning). `demo_url` is one SQLite copy shared read-only by
a module; tests that change the database make their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hoshin.service.demo import load_demo
from hoshin.service.verdict_reasons import open_store


def load_demo_into(url: str) -> str:
    """Load the demo organisation into the database at `url`; returns its organisation id."""
    with open_store(url) as repo:
        return load_demo(repo, None, "tests", replace=True).organisation_id


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOSHIN_EMBEDDER", "hashing")
        patch.setenv("HOSHIN_HOME", str(tmp_path_factory.mktemp("cli-text-home")))
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('cli-text-demo')) / 'hoshin.sqlite3'}"
        load_demo_into(url)
        yield url
