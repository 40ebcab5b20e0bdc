"""The README documents every setting and every top-level command."""

from pathlib import Path

from hoshin.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    assert not missing, f"document these settings in README.md: {missing}"


def test_readme_gives_the_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
