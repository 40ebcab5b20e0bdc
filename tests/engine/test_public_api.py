"""The public library API is a promise: adding a name is a decision, removing one breaks users."""

import subprocess
import sys

import hoshin

PINNED = {
    "Aligner",
    "AuthenticationError",
    "CachedEmbedder",
    "ConfigError",
    "ConflictError",
    "Embedder",
    "EmbeddingError",
    "HashingEmbedder",
    "HoshinError",
    "InputError",
    "MissionModel",
    "NotFoundError",
    "PermissionDenied",
    "RowError",
    "StorageError",
    "Theme",
    "Thresholds",
    "Tier",
    "Verdict",
    "analyze_missions",
    "build_mission_model",
    "check_brand",
    "check_principles",
    "create_embedder",
    "link_goals",
    "open_store",
    "rank_knowledge",
    "read_table",
    "triage",
    "write_table",
    "__version__",
}


def test_public_names_are_pinned() -> None:
    assert set(hoshin.__all__) == PINNED


def test_every_public_name_resolves() -> None:
    for name in hoshin.__all__:
        value = getattr(hoshin, name)
        if name == "__version__":
            assert isinstance(value, str) and value.count(".") == 2, value
        else:
            # The class or function of that name itself, from inside the package (not a module, a
            # stray value or something re-exported from a dependency).
            assert (value.__name__, value.__module__.split(".")[0]) == (name, "hoshin"), name


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        hoshin.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_hoshin_and_the_cli_does_not_load_torch() -> None:
    code = "import sys, hoshin, hoshin.cli; print('torch' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
