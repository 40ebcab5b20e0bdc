"""Mission tests over the demo organisation: `fresh_demo` (a new copy per test, hashing embedder)
is the brand tests' fixture (tests/brand/conftest.py); `embedder` and `stated_components` read
statements with the real model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from brand.conftest import fresh_demo  # noqa: F401  (the fixture, shared with tests/brand)
from hoshin.embedding import Embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The packaged MiniLM model, loaded once for the mission tests marked `model`."""
    from hoshin.embedding.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def stated_components(embedder: Embedder) -> Callable[[str], dict[str, str]]:
    """With the real model: the components a statement states, each with its evidence phrase."""
    from hoshin.service.texts import analyze_missions

    def stated(text: str) -> dict[str, str]:
        (row,) = analyze_missions([{"id": "m", "text": text}], embedder, with_themes=False)
        return {name: c["evidence"] for name, c in row["components"].items() if c["present"]}

    return stated
