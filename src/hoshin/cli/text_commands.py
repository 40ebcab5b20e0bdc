"""`hoshin mission analyze`, `hoshin brand check`, `hoshin principles check`: batch commands on files.

Thin: parse options, read the files, call hoshin.service.texts, emit rows. Everything heavy is
imported inside the commands so `hoshin --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from hoshin.cli.common import FormatOption, OutputOption, QuietOption, emit, fail_cleanly, pick_format
from hoshin.cli.groups import brand, mission, principles

MissionOption = typer.Option(None, "--mission", "-m", help="The mission statement, as text.")
InputOption = typer.Option(None, "--input", "-i", help="CSV, XLSX, JSON or JSONL file with columns id,text.")
RequiredInputOption = typer.Option(
    ..., "--input", "-i", help="CSV, XLSX, JSON or JSONL file with columns id,text."
)
PrinciplesOption = typer.Option(
    ..., "--principles", "-p", help="CSV, XLSX, JSON or JSONL file of principles with columns id,text."
)


def _read_texts(path: Path) -> list[dict[str, str]]:
    from hoshin.io.tables import TableSpec, read_table

    return read_table(path, TableSpec(required=("id", "text"), non_empty=("id", "text")))


def _need_mission(text: str | None) -> str:
    from hoshin.errors import InputError

    if text is None or not text.strip():
        raise InputError("--mission is missing or empty; give the mission statement as text")
    return text


@mission.command(
    "analyze",
    epilog=(
        "Examples:\n\n"
        "  hoshin mission analyze --mission 'To produce reliable refrigerators.'\n\n"
        "  hoshin mission analyze --input statements.csv --format csv --output report.csv"
    ),
)
def mission_analyze(
    mission_text: str = MissionOption,
    input_file: Path = InputOption,
    fmt: str = FormatOption,
    output: Path = OutputOption,
    quiet: bool = QuietOption,
) -> None:
    """Which of the nine classic components (customers, products, markets, technology, growth,
    philosophy, self_concept, public_image, employees) each statement states, with the phrase that
    shows it, what is missing, how specific and readable it is, and suggestions."""
    with fail_cleanly():
        from hoshin.cli.common import Progress
        from hoshin.errors import InputError
        from hoshin.service.texts import analyze_missions, default_embedder

        if (mission_text is None) == (input_file is None):
            raise InputError(
                "give either --mission TEXT or --input FILE (columns id,text), not both or neither"
            )
        if input_file is not None:
            rows = _read_texts(input_file)
        else:
            rows = [{"id": "mission", "text": _need_mission(mission_text)}]
        progress = Progress(len(rows), "analysing", quiet=quiet)
        analyses = analyze_missions(rows, default_embedder(), progress=progress)
        if pick_format(fmt, output) != "table":
            emit(analyses, fmt, output)
            return
        # An analysis is a small report, not a row: its own layout instead of JSON in table cells.
        from hoshin.cli.mission_table import write_mission_table

        if output is None:
            write_mission_table(analyses, sys.stdout)
        else:
            with open(output, "w", encoding="utf-8") as handle:
                write_mission_table(analyses, handle)


@brand.command(
    "check",
    epilog=(
        "Example:\n\n"
        "  hoshin brand check --mission 'To produce reliable refrigerators.' --input posts.csv --format json"
    ),
)
def brand_check(
    mission_text: str = MissionOption,
    input_file: Path = RequiredInputOption,
    fmt: str = FormatOption,
    output: Path = OutputOption,
    quiet: bool = QuietOption,  # nothing drawn here yet; taken so that every batch command takes it
) -> None:
    """Check texts (posts, ads, press releases) against the brand attributes the mission promises:
    per text a score, a tier, the sentences that support or contradict each attribute, and why."""
    with fail_cleanly():
        from hoshin.service.texts import check_brand, default_embedder

        text = _need_mission(mission_text)
        rows = _read_texts(input_file)
        emit(check_brand(text, rows, default_embedder()), fmt, output)


@principles.command(
    "check",
    epilog=(
        "Example:\n\n"
        "  hoshin principles check --mission 'To produce reliable refrigerators.' "
        "--principles principles.csv --input proposals.csv --format json"
    ),
)
def principles_check(
    mission_text: str = MissionOption,
    principles_file: Path = PrinciplesOption,
    input_file: Path = RequiredInputOption,
    fmt: str = FormatOption,
    output: Path = OutputOption,
    quiet: bool = QuietOption,  # nothing drawn here yet; taken so that every batch command takes it
) -> None:
    """For every text and every principle: does the text contradict it, support it, or not touch it?
    The evidence is the sentence that decided."""
    with fail_cleanly():
        from hoshin.service.texts import check_principles, default_embedder

        text = _need_mission(mission_text)
        principle_rows = _read_texts(principles_file)
        rows = _read_texts(input_file)
        emit(check_principles(text, principle_rows, rows, default_embedder()), fmt, output)
