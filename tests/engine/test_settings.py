"""Settings come from one typed object (hoshin.config.settings): every HOSHIN_* variable is declared
there once, read nowhere else, documented in the README, and refused with its name when malformed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hoshin.config import SETTINGS, Settings, settings
from hoshin.errors import ConfigError
from hoshin.service.jobs import RESCORE_CHUNK

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "hoshin"
CONFIG = SRC / "config.py"
README = (ROOT / "README.md").read_text(encoding="utf-8")
DECLARED = {setting.env for setting in SETTINGS}
_ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def _python_files() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.py") if path != CONFIG)


def _environment_reads(path: Path) -> list[str]:
    """Where the module at `path` touches the process environment other than by a plain name that
    is no HOSHIN_ setting (as `os.environ.setdefault("HF_HUB_OFFLINE", "1")` does): 'line: code'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hoshin_constants = {  # NAME = "HOSHIN_...": reading os.environ[NAME] is a direct read too
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and str(node.value.value).startswith("HOSHIN_")
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def plain_key(key: ast.expr) -> bool:
        if isinstance(key, ast.Constant):
            return isinstance(key.value, str) and not key.value.startswith("HOSHIN_")
        return isinstance(key, ast.Name) and key.id not in hoshin_constants  # a loop over literals

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if any(alias.name in _ENV_NAMES for alias in node.names):
                found.append(f"{node.lineno}: from os import {', '.join(a.name for a in node.names)}")
        if not (isinstance(node, ast.Attribute) and node.attr in _ENV_NAMES):
            continue
        parent = parents.get(node)
        if node.attr == "getenv" and isinstance(parent, ast.Call) and parent.func is node:
            call: ast.Call | None = parent
        elif isinstance(parent, ast.Attribute) and parent.attr in ("get", "setdefault"):
            grand = parents.get(parent)
            call = grand if isinstance(grand, ast.Call) and grand.func is parent else None
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            if plain_key(parent.slice):
                continue
            call = None
        else:
            call = None
        if call is not None and call.args and plain_key(call.args[0]):
            continue
        found.append(f"{node.lineno}: {ast.unparse(parent or node)}")
    return found


def test_no_module_but_config_reads_hoshin_variables() -> None:
    found = {
        str(path.relative_to(ROOT)): reads for path in _python_files() if (reads := _environment_reads(path))
    }
    assert not found, f"read these through hoshin.config.settings (declare them there): {found}"


def test_no_line_outside_config_names_a_setting_beside_the_environment() -> None:
    pattern = re.compile(r"(environ|getenv).*HOSHIN_|HOSHIN_.*(environ|getenv)")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not found, f"read these through hoshin.config.settings: {found}"


def test_the_check_catches_each_way_of_reading_a_variable(tmp_path: Path) -> None:
    reads = [
        'os.environ.get("HOSHIN_JOB_QUEUE")',
        'os.environ["HOSHIN_CACHE"]',
        'os.getenv("HOSHIN_" + "CACHE")',
        "os.environ.get(NAME)",
        "settings = dict(os.environ)",
        "from os import environ",
    ]
    sample = tmp_path / "sample.py"
    sample.write_text('import os\nNAME = "HOSHIN_RESCORE_CHUNK"\n' + "\n".join(reads) + "\n", "utf-8")
    assert len(_environment_reads(sample)) == len(reads)
    allowed = [
        "import os",
        'os.environ.setdefault("HF_HUB_OFFLINE", "1")',
        'for n in ("A", "B"):',
        "    os.environ[n] = '1'",
    ]
    sample.write_text("\n".join(allowed) + "\n", "utf-8")
    assert _environment_reads(sample) == []


def test_every_hoshin_name_in_the_code_is_a_declared_setting() -> None:
    mentioned = {
        name
        for path in SRC.rglob("*")
        if path.suffix in (".py", ".html", ".md", ".txt", ".json")
        for name in re.findall(r"HOSHIN_[A-Z0-9_]++(?!\*)", path.read_text(encoding="utf-8"))
    }
    assert "HOSHIN_JOB_QUEUE" in mentioned and "HOSHIN_RESCORE_CHUNK" in mentioned
    assert mentioned - DECLARED == set()  # HOSHIN_OIDC_* (a family) is left out


def test_every_setting_has_a_readme_row_and_help() -> None:
    rows = set(re.findall(r"^\| `(HOSHIN_[A-Z0-9_]+)` \|", README, flags=re.MULTILINE))
    assert rows == DECLARED
    assert all(setting.help and setting.default for setting in SETTINGS)
    assert len(DECLARED) == len(SETTINGS)


def test_unset_settings_take_their_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    assert settings.job_queue is None
    assert settings.job_queue_name == "hoshin"
    assert settings.rescore_chunk == 500 == RESCORE_CHUNK
    assert settings.cache is True
    assert settings.embedder == "minilm"
    assert settings.runtime == "auto"
    assert settings.device == "auto"
    assert settings.cpu_threads is None
    assert settings.db_pool == 32
    assert settings.secure_cookie is False
    assert settings.secret_key is None
    assert settings.oidc_scope == "openid profile email"


def test_values_are_read_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_JOB_QUEUE", " redis://127.0.0.1:6379/0 ")
    monkeypatch.setenv("HOSHIN_JOB_QUEUE_NAME", "staging")
    monkeypatch.setenv("HOSHIN_RESCORE_CHUNK", "20")
    monkeypatch.setenv("HOSHIN_CACHE", "OFF")
    monkeypatch.setenv("HOSHIN_EMBEDDER", "Hashing")
    assert settings.job_queue == "redis://127.0.0.1:6379/0"
    assert settings.job_queue_name == "staging"
    assert settings.rescore_chunk == 20
    assert settings.cache is False
    assert settings.embedder == "hashing"


@pytest.mark.parametrize(
    ("env", "value", "words"),
    [
        ("HOSHIN_JOB_QUEUE", "127.0.0.1:6379", "must be a Redis URL .*unset it"),
        ("HOSHIN_RESCORE_CHUNK", "0", "must be a positive whole number, not '0' \\(unset it"),
        ("HOSHIN_RESCORE_CHUNK", "many", "must be a positive whole number"),
        ("HOSHIN_CPU_THREADS", "-2", "must be a positive whole number"),
        ("HOSHIN_CACHE", "sometimes", "must be on or off, not 'sometimes'"),
        ("HOSHIN_EMBEDDER", "word2vec", "must be one of minilm, hashing, not 'word2vec'"),
        ("HOSHIN_RUNTIME", "cuda", "must be one of auto, onnx, torch"),
        ("HOSHIN_DB_POOL", "1", "must be at least 2, not 1"),
        ("HOSHIN_MAX_REQUEST_MB", "0", "must be between 1 and 4096 MiB, not 0"),
        ("HOSHIN_DASHBOARD_MAX_AGE_S", "nan", "must be between 0 .* and 86400 seconds, not nan"),
        ("HOSHIN_SIGN_IN_WINDOW_MIN", "soon", "must be a number of minutes, not 'soon' \\(unset it"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, words: str
) -> None:
    monkeypatch.setenv(env, value)
    setting = next(s for s in SETTINGS if s.env == env)
    with pytest.raises(ConfigError, match=f"^{env} {words}"):
        setting.value()


def test_a_setting_exports_to_the_processes_started_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSHIN_CPU_THREADS", "3")
    Settings.cpu_threads.export("1", keep_existing=True)
    assert settings.cpu_threads == 3
    Settings.cpu_threads.export("2")
    assert settings.cpu_threads == 2
