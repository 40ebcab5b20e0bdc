"""Fixtures for the demo-organisation tests: the packaged JSON and its PLANTED.md, read once per session."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

DEMO = resources.files("hoshin.data").joinpath("demo")


@pytest.fixture(scope="session")
def demo() -> dict[str, Any]:
    return json.loads(DEMO.joinpath("organisation.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def planted_text() -> str:
    return DEMO.joinpath("PLANTED.md").read_text(encoding="utf-8")
