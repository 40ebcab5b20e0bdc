"""What every CLI command shares: error translation, output formats and the progress bar.

Commands stay thin: they parse options, call a service function, and hand the rows to `emit`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer

from hoshin.errors import HoshinError, InputError

__all__ = [
    "EXIT_BAD_INPUT",
    "FormatOption",
    "OutputOption",
    "Progress",
    "emit",
    "fail_cleanly",
    "pick_format",
]

EXIT_BAD_INPUT = 2
T = TypeVar("T")

FormatOption = typer.Option(
    None,
    "--format",
    "-f",
    help=(
        "Output format: json, jsonl, csv, xlsx (needs --output) or table. "
        "Default: table on a terminal, else json."
    ),
)
OutputOption = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")


@contextmanager
def fail_cleanly() -> Iterator[None]:
    """Turn Hoshin's errors into one line on stderr and exit code 2 (bad input) or 1 (anything else)."""
    try:
        yield
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except HoshinError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def pick_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for; else the output file's extension; else a table on a terminal, else json."""
    if fmt is not None:
        return fmt
    if output is not None and output.suffix.lower() in (".csv", ".xlsx", ".jsonl", ".json"):
        return output.suffix.lower().lstrip(".")
    return "table" if output is None and sys.stdout.isatty() else "json"


def emit(rows: Sequence[dict[str, Any]], fmt: str | None, output: Path | None) -> None:
    from hoshin.io.tables import write_table

    write_table(rows, pick_format(fmt, output), output if output is not None else sys.stdout)


class Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal (never pollutes pipes or CI logs)."""

    def __init__(self, total: int, label: str, min_total: int = 200) -> None:
        self.total = total
        self.label = label
        self.enabled = total >= min_total and sys.stderr.isatty()
        self.started = time.monotonic()
        self._last = 0.0

    def __call__(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = int(width * done / max(self.total, 1))
        rate = done / max(now - self.started, 1e-6)
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} {rate:,.0f}/s"
        )
        if done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def lazy(factory: Callable[[], T]) -> Callable[[], T]:
    """Build an expensive object on first use only (keeps `--help` fast)."""
    cache: list[T] = []

    def get() -> T:
        if not cache:
            cache.append(factory())
        return cache[0]

    return get
