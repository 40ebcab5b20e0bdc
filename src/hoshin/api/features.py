"""Feature modules: each capability brings its own REST routes and pages.

A feature module lives in `hoshin.features.<name>` and exposes `api` (an APIRouter mounted under
/api/v1) and/or `pages` (an APIRouter of HTML pages), either may be None. Keeping each capability
in its own module keeps routes.py and pages.py small and lets the capabilities grow apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from fastapi import APIRouter

__all__ = ["FEATURES", "Feature", "load_features"]

# In order: the first feature to declare a path serves it.
FEATURES = ("dashboard", "knowledge", "cascade", "corridor", "brand", "people", "jobs", "single_sign_on")


@dataclass(frozen=True)
class Feature:
    name: str
    api: APIRouter | None
    pages: APIRouter | None


def load_features() -> list[Feature]:
    features = []
    for name in FEATURES:
        module = import_module(f"hoshin.features.{name}")
        features.append(Feature(name, getattr(module, "api", None), getattr(module, "pages", None)))
    return features
