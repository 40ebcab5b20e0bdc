"""Hoshin: make an organisation's mission do real work.

The library API, for use from Python::

    from hoshin import Aligner, triage
    aligner = Aligner()                      # the packaged MiniLM model, offline
    rows = [{"id": "1", "text": "Low-GWP refrigerant blend for household fridges"}]
    triage(aligner, "To produce reliable refrigerators.", rows)
    # -> [{"id": "1", "text": ..., "score": 0.8, "tier": "core", "theme": ..., "why": ...}]

Names are imported on first use, so `import hoshin` (and the `hoshin` command) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Aligner": "hoshin.service.alignment",
    "MissionModel": "hoshin.domain.mission",
    "Theme": "hoshin.domain.mission",
    "build_mission_model": "hoshin.domain.mission",
    "Verdict": "hoshin.domain.verdict",
    "Tier": "hoshin.domain.verdict",
    "Thresholds": "hoshin.domain.calibration",
    "Embedder": "hoshin.embedding",
    "HashingEmbedder": "hoshin.embedding",
    "CachedEmbedder": "hoshin.embedding",
    "create_embedder": "hoshin.embedding",
    "triage": "hoshin.service.batch",
    "rank_knowledge": "hoshin.service.batch",
    "link_goals": "hoshin.service.batch",
    "analyze_missions": "hoshin.service.texts",
    "check_brand": "hoshin.service.texts",
    "check_principles": "hoshin.service.texts",
    "open_store": "hoshin.service.verdict_reasons",
    "read_table": "hoshin.io.tables",
    "write_table": "hoshin.io.tables",
    "HoshinError": "hoshin.errors",
    "InputError": "hoshin.errors",
    "RowError": "hoshin.errors",
    "NotFoundError": "hoshin.errors",
    "ConflictError": "hoshin.errors",
    "PermissionDenied": "hoshin.errors",
    "AuthenticationError": "hoshin.errors",
    "ConfigError": "hoshin.errors",
    "StorageError": "hoshin.errors",
    "EmbeddingError": "hoshin.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hoshin' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
