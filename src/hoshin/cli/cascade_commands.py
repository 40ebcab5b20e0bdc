"""`hoshin cascade check`: find goals a manager should look at again, with what to do about each.

Thin: read and validate the input file, call hoshin.service.cascade, emit rows. Heavy imports live
inside the command so `hoshin --help` never loads torch.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.common import FormatOption, OutputOption, Progress, emit, fail_cleanly
from hoshin.cli.groups import cascade

__all__ = ["cascade_check"]

_MISSION = typer.Option(..., "--mission", "-m", help="The mission statement, as text.")
_INPUT = typer.Option(..., "--input", "-i", help="File with columns id,text,level,parent_id,unit.")
_FOCUS = typer.Option([], "--focus", help="A focus area inside the mission (repeatable).")
_EXCLUDE = typer.Option([], "--exclude", help="Something ruled out of the mission (repeatable).")


@cascade.command(
    "check",
    epilog=(
        "Input: a CSV, XLSX, JSON or JSONL file with columns id,text,level,parent_id,unit (level 1 = top; "
        "parent_id may be blank or hold several ids separated by ';'; unit may be blank).\n\n"
        "Example:\n\n"
        "  hoshin cascade check --mission 'To produce reliable refrigerators.' "
        "--input goals.csv --format json\n\n"
        "Output (JSON list): one object per goal, in input order, {id, issues: [{kind, detail}]}, "
        "where kind is one of off-mission (the goal does not serve the mission), "
        "orphan (no parent and not core), "
        "weak-parent (another goal one level up fits it clearly better; the detail names it), duplicate "
        "(another goal says the same; the detail names it), conflict (another goal on the same subject cuts "
        "cost while this one raises quality, or the other way round). Then one last object "
        '{id: "_uncovered", uncovered_themes: \\[mission themes no goal serves], weak_units: \\[units whose '
        "goals' mean score is below 0.25, weakest first], unit_scores: {unit: mean score}}.\n\n"
        "Exit codes: 0 done (issues found or not), 2 bad input (the message names file, row and field)."
    ),
)
def cascade_check(
    mission: str = _MISSION,
    input_file: Path = _INPUT,
    focus: list[str] = _FOCUS,
    exclude: list[str] = _EXCLUDE,
    fmt: str = FormatOption,
    output: Path = OutputOption,
) -> None:
    """Check goals against the mission: off-mission, orphan, weak-parent, duplicate and conflicting goals."""
    with fail_cleanly():
        from hoshin.errors import InputError
        from hoshin.io.tables import TableSpec, read_table
        from hoshin.service.alignment import Aligner
        from hoshin.service.cascade import check_goals, parse_goals

        if not mission or not mission.strip():
            raise InputError("--mission is empty; give the mission statement as text")
        spec = TableSpec(
            required=("id", "text", "level"),
            optional=("parent_id", "unit"),
            non_empty=("id", "text", "level"),
        )
        rows = read_table(input_file, spec)
        parse_goals(rows, str(input_file))  # refuse a bad cascade before the model loads
        progress = Progress(len(rows), "embedding")
        source = str(input_file)
        emit(check_goals(Aligner(), mission, rows, focus, exclude, source, progress=progress), fmt, output)
