"""Every command's --help names the values to type in words (TEXT, PATH), never Python type
placeholders such as `<str>` or `<list[str]>`, and shows no value after a flag."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from typer.main import get_command
from typer.testing import CliRunner

from hoshin.cli import app

_PLACEHOLDER = re.compile(r"<[a-z_]+(\[[a-z_, |]+\])?( range)?>")


def _paths(command: Any, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, [*path, name])


def test_no_help_text_shows_a_type_placeholder() -> None:
    runner = CliRunner()
    paths = list(_paths(get_command(app), []))
    assert ["corridor", "triage"] in paths and ["jobs", "list"] in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, path
        assert not _PLACEHOLDER.search(result.output), (path, _PLACEHOLDER.findall(result.output))


def test_repeatable_and_file_options_read_as_words() -> None:
    result = CliRunner().invoke(app, ["corridor", "triage", "--help"], terminal_width=200)
    focus = next(line for line in result.output.splitlines() if "--focus" in line)
    assert "TEXT" in focus and "list" not in focus
    source = next(line for line in result.output.splitlines() if "--input" in line)
    assert "PATH" in source
