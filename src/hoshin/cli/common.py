"""What every CLI command shares: error translation, output formats and the progress bar.

Commands stay thin: they parse options, call a service function, and hand the rows to `emit`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from hoshin.errors import HoshinError, InputError

if TYPE_CHECKING:
    from hoshin.store import Repository

__all__ = [
    "EXIT_BAD_INPUT",
    "FormatOption",
    "OutputOption",
    "Progress",
    "QuietOption",
    "emit",
    "emit_stream",
    "fail_cleanly",
    "pick_format",
    "size_warning",
    "InputOption",
    "MissionOption",
    "PrinciplesOption",
    "RequiredInputOption",
    "RequiredMissionOption",
    "batch_aligner",
    "given_mission",
    "need_mission",
    "organisation_of",
    "read_texts",
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
QuietOption = typer.Option(
    False,
    "--quiet",
    "-q",
    help="No size warning and no progress bar on stderr (errors are still shown).",
)


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


# Texts one core embeds per second when planning a run: the packaged model under onnxruntime does
# about 300 on an idle core and well under 100 on one shared with other work (bench/README.md).
PLANNING_RATE_PER_CORE = 150
# From this many texts on, the size warning is printed even when stderr is not a terminal (a job
# in a pipe or a log): a run this long should say so before it starts, wherever it is read.
LARGE_INPUT = 100_000


def emit_stream(rows: Iterable[dict[str, Any]], fmt: str | None, output: Path | None) -> None:
    """`emit` for rows that arrive one by one: each is written as it comes (a table waits for all).
    An output file appears only complete: on an error it is not created (nor an older one
    replaced)."""
    from hoshin.io.tables import TableWriter

    with TableWriter(pick_format(fmt, output), output if output is not None else sys.stdout) as writer:
        writer.write(rows)


class Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal (never pollutes pipes or CI logs).

    Before the work starts it prints one line with the size and a time estimate: on a terminal
    whenever the bar is drawn, elsewhere only for LARGE_INPUT texts or more. A 500,000-row triage
    used to run for a quarter of an hour with no sign of life and no hint of how long it would take.
    `quiet` (a command's --quiet) silences both, on a terminal too.
    """

    def __init__(self, total: int, label: str, min_total: int = 200, quiet: bool = False) -> None:
        self.total = total
        self.label = label
        self.enabled = not quiet and total >= min_total and sys.stderr.isatty()
        self.started = time.monotonic()
        self._last = 0.0
        if self.enabled or (not quiet and total >= LARGE_INPUT):
            sys.stderr.write(size_warning(total, label) + "\n")
            sys.stderr.flush()

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
        left = f" {_duration((self.total - done) / rate)} left" if 0 < done < self.total else ""
        bar = "#" * filled + "." * (width - filled)
        # Trailing spaces wipe the end of a longer line drawn before (the time left shrinks).
        sys.stderr.write(f"\r{self.label} [{bar}] {done}/{self.total} {rate:,.0f}/s{left}  ")
        if done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def size_warning(total: int, label: str) -> str:
    """One line: how many texts, and about how long they take here (none cached yet)."""
    cores = os.cpu_count() or 1
    seconds = total / (PLANNING_RATE_PER_CORE * cores)
    return (
        f"{label}: {total:,} texts, about {_duration(seconds)} on this machine's {cores} "
        f"core{'s' if cores != 1 else ''} (texts already in the vector cache are skipped; Ctrl-C stops)"
    )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def lazy(factory: Callable[[], T]) -> Callable[[], T]:
    """Build an expensive object on first use only (keeps `--help` fast)."""
    cache: list[T] = []

    def get() -> T:
        if not cache:
            cache.append(factory())
        return cache[0]

    return get


# ---- shared by the feature modules' commands ----


RequiredMissionOption = typer.Option(..., "--mission", "-m", help="The mission statement, as text.")


def given_mission(text: str) -> str:
    from hoshin.errors import InputError

    if not text or not text.strip():
        raise InputError("--mission is empty; give the mission statement as text")
    return text


def batch_aligner():  # noqa: ANN202 - typed in the service
    from hoshin.service.alignment import Aligner

    return Aligner()


MissionOption = typer.Option(None, "--mission", "-m", help="The mission statement, as text.")


InputOption = typer.Option(None, "--input", "-i", help="CSV, XLSX, JSON or JSONL file with columns id,text.")


RequiredInputOption = typer.Option(
    ..., "--input", "-i", help="CSV, XLSX, JSON or JSONL file with columns id,text."
)


PrinciplesOption = typer.Option(
    ..., "--principles", "-p", help="CSV, XLSX, JSON or JSONL file of principles with columns id,text."
)


def read_texts(path: Path) -> list[dict[str, str]]:
    from hoshin.io.tables import TableSpec, read_table

    return read_table(path, TableSpec(required=("id", "text"), non_empty=("id", "text")))


def need_mission(text: str | None) -> str:
    from hoshin.errors import InputError

    if text is None or not text.strip():
        raise InputError("--mission is missing or empty; give the mission statement as text")
    return text


def organisation_of(repo: Repository, org: str | None) -> str:
    """The organisation to work on: --org (which must exist) or the only one in the database."""
    if org is None:
        return repo.default_organisation()
    repo.organisation(org)  # NotFoundError naming the id, rather than a confusing "no mission yet"
    return org
