"""`hoshin mission`: the mission statement on the command line.

`analyze` is a batch command (text or a file, no database); `show` prints the current mission of
the organisation in the database named by --db.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hoshin.cli.admin import DbOption, OrgOption, _open
from hoshin.cli.common import FormatOption, OutputOption, emit, fail_cleanly
from hoshin.cli.groups import mission

if TYPE_CHECKING:
    pass
import sys

from hoshin.cli.common import (
    InputOption,
    MissionOption,
    QuietOption,
    need_mission,
    organisation_of,
    pick_format,
    read_texts,
)


@mission.command("show")
def show(
    history: bool = typer.Option(False, "--history", help="Every stored version, newest first."),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The analysis of the stored mission: the components it states and what it leaves out.

    Also how specific it is, suggestions and its themes.

    Example:  hoshin mission show --history --format json
    """
    with fail_cleanly():
        from hoshin.service.brand import mission_analysis
        from hoshin.service.corridor import store_aligner

        with _open(db) as repo:
            versions = mission_analysis(repo, organisation_of(repo, org), store_aligner(repo))
        emit(versions if history else versions[:1], fmt, output)


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
            rows = read_texts(input_file)
        else:
            rows = [{"id": "mission", "text": need_mission(mission_text)}]
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
