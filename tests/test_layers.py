"""The import directions between Hoshin's layers (docs/architecture.md), read from the source.

Every `import` in src/hoshin counts, those inside functions too: an import deferred for speed is
still a dependency. A layer may import itself and the layers listed for it, nothing else.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

# layer -> the layers it may import. Leaves first; read upwards.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "data": set(),
    "threads": {"errors", "config"},
    "config_parsers": {"errors"},  # the parsers behind config's settings
    "config": {"errors", "config_parsers"},
    "io": {"errors"},
    "domain": {"errors"},
    "embedding": {"domain", "errors", "config", "threads", "data"},
    "store": {"domain", "embedding", "errors", "config"},
    "service": {"domain", "embedding", "store", "errors", "config", "io", "data", "threads"},
    "web": set(),  # templates and static files only
    "api": {"service", "domain", "errors", "config", "web"},  # the HTTP toolkit
    "features": {"api", "service", "domain", "errors", "config", "io", "web"},
    "app": {"api", "features", "service", "errors", "config", "threads", "web"},
    "cli": {"app", "api", "service", "domain", "embedding", "store", "errors", "config", "io", "threads"},
    "hoshin": {"service", "domain", "embedding", "store", "errors"},  # the package's lazy public API
}
# Single module-to-module edges outside the table, each with its reason.
EXCEPTIONS = {
    ("hoshin.api.deps", "hoshin.store"),  # opens the database on the first request that needs it
    ("hoshin.api.deps", "hoshin.store.repository"),  # the store's type, for the checker only
}
# No adapter loads code by name: that hides an import from this test (and from readers).
NO_LOADING_BY_NAME = ("api", "features", "app", "web", "cli")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "hoshin":
        return None
    return parts[1] if len(parts) > 1 else "hoshin"


def _imports() -> dict[str, set[str]]:
    """module -> the modules it imports (`from hoshin.features import auth` imports hoshin.features.auth)."""
    paths = sorted((SRC / "hoshin").rglob("*.py"))
    modules = {_module(path) for path in paths}
    found: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        module = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found[module].update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    inner = f"{node.module}.{alias.name}"
                    found[module].add(inner if inner in modules else node.module)
    return found


def test_every_layer_is_known() -> None:
    layers = {_layer(module) for module in _imports()}
    assert layers <= set(ALLOWED), f"add {sorted(layers - set(ALLOWED))} to ALLOWED"


def test_imports_point_only_in_allowed_directions() -> None:
    wrong = []
    for module, targets in _imports().items():
        here = _layer(module)
        for target in targets:
            there = _layer(target)
            if there is None or there == here or there in ALLOWED[here or ""]:
                continue
            if (module, target) not in EXCEPTIONS:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layer directions:\n" + "\n".join(sorted(wrong))


def test_the_layer_table_has_no_cycle() -> None:
    seen: dict[str, str] = {}

    def visit(layer: str, path: tuple[str, ...]) -> None:
        if seen.get(layer) == "done":
            return
        assert seen.get(layer) != "open", f"cycle: {' -> '.join((*path, layer))}"
        seen[layer] = "open"
        for lower in ALLOWED[layer]:
            visit(lower, (*path, layer))
        seen[layer] = "done"

    for layer in ALLOWED:
        visit(layer, ())


def test_no_module_cycle_inside_the_adapters() -> None:
    """Inside api/, features/ and the app factory too, no two modules import each other."""
    graph = {m: {t for t in ts if _layer(t) in ("api", "features", "app")} for m, ts in _imports().items()}
    adapters = [m for m in graph if _layer(m) in ("api", "features", "app")]
    state: dict[str, str] = {}

    def visit(module: str, path: tuple[str, ...]) -> None:
        if state.get(module) == "done" or module not in graph:
            return
        assert state.get(module) != "open", f"cycle: {' -> '.join((*path, module))}"
        state[module] = "open"
        for target in graph[module]:
            visit(target, (*path, module))
        state[module] = "done"

    for module in adapters:
        visit(module, ())


@pytest.mark.parametrize("layer", NO_LOADING_BY_NAME)
def test_adapters_do_not_load_modules_by_name(layer: str) -> None:
    folder = SRC / "hoshin" / layer
    files = sorted(folder.rglob("*.py")) if folder.is_dir() else [SRC / "hoshin" / f"{layer}.py"]
    offenders = [str(p.relative_to(SRC)) for p in files if "import_module" in p.read_text(encoding="utf-8")]
    assert not offenders, f"modules loaded by name in {offenders}"
