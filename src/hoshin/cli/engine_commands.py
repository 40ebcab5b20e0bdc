"""`hoshin corridor triage`, `hoshin knowledge rank`, `hoshin cascade link`: the batch contract.

Thin: read and validate the input file, call hoshin.service.batch, emit rows. Heavy imports live
inside the commands so `hoshin --help` never loads torch.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.common import FormatOption, OutputOption, Progress, emit, fail_cleanly
from hoshin.cli.groups import cascade, corridor, knowledge

MissionOption = typer.Option(..., "--mission", "-m", help="The mission statement, as text.")


def _mission(text: str) -> str:
    from hoshin.errors import InputError

    if not text or not text.strip():
        raise InputError("--mission is empty; give the mission statement as text")
    return text


def _aligner():  # noqa: ANN202 - typed in the service
    from hoshin.service.alignment import Aligner

    return Aligner()


@corridor.command(
    "triage",
    epilog=(
        "Input: a CSV, XLSX, JSON or JSONL file with columns id,text (one idea per row).\n\n"
        "Examples:\n\n"
        "  hoshin corridor triage --mission 'To produce reliable refrigerators.' --input ideas.csv\n\n"
        "  hoshin corridor triage -m 'To produce reliable refrigerators.' -i ideas.xlsx "
        "--focus 'refrigerant chemistry' --exclude 'consumer electronics' --format csv -o triaged.csv\n\n"
        "  hoshin corridor triage -m 'To produce reliable refrigerators.' -i ideas.csv "
        "--examples reviewed.csv\n\n"
        "Tiers: core (the mission's own business), adjacent (related, not central), off.\n\n"
        "--examples takes a file with columns text,tier (and optional id, why): ideas a reviewer has\n"
        "already placed, at least two tiers among them. A few per tier (3-5) teach Hoshin where this\n"
        "organisation draws its lines; each verdict then names the example that decided it."
    ),
)
def corridor_triage(
    mission: str = MissionOption,
    input_file: Path = typer.Option(..., "--input", "-i", help="File with columns id,text."),
    focus: list[str] = typer.Option([], "--focus", help="A focus area inside the corridor (repeatable)."),
    exclude: list[str] = typer.Option(
        [], "--exclude", help="Something ruled out of the corridor (repeatable)."
    ),
    examples_file: Path | None = typer.Option(
        None,
        "--examples",
        "-e",
        help="File with columns text,tier (optional id, why): ideas a reviewer already placed as "
        "core, adjacent or off. The verdicts follow them.",
    ),
    fmt: str = FormatOption,
    output: Path = OutputOption,
) -> None:
    """Triage ideas as core, adjacent or off the mission, best first, each with its theme and why."""
    with fail_cleanly():
        from hoshin.io.tables import TableSpec, read_table
        from hoshin.service.batch import triage
        from hoshin.service.corridor_examples import EXAMPLES_SPEC, examples_from_rows

        text = _mission(mission)
        rows = read_table(input_file, TableSpec(required=("id", "text"), non_empty=("id", "text")))
        examples = []
        if examples_file is not None:
            example_rows = read_table(examples_file, EXAMPLES_SPEC)
            examples = examples_from_rows(example_rows, str(examples_file))
        progress = Progress(len(rows) + len(examples), "embedding")
        verdicts = triage(_aligner(), text, rows, focus, exclude, progress=progress, examples=examples)
        emit(verdicts, fmt, output)


@knowledge.command(
    "rank",
    epilog=(
        "Input: a file with columns id,name,description (description may be blank).\n\n"
        "Example:\n\n"
        "  hoshin knowledge rank --mission 'To create convenient and reliable protection of computer "
        "systems from external threats.' --input areas.csv --format table"
    ),
)
def knowledge_rank(
    mission: str = MissionOption,
    input_file: Path = typer.Option(..., "--input", "-i", help="File with columns id,name,description."),
    fmt: str = FormatOption,
    output: Path = OutputOption,
) -> None:
    """Rank knowledge areas by how much the mission needs them, each with a reason."""
    with fail_cleanly():
        from hoshin.io.tables import TableSpec, read_table
        from hoshin.service.batch import rank_knowledge

        text = _mission(mission)
        spec = TableSpec(required=("id", "name"), optional=("description",), non_empty=("id", "name"))
        rows = read_table(input_file, spec)
        progress = Progress(len(rows), "embedding")
        emit(rank_knowledge(_aligner(), text, rows, progress=progress), fmt, output)


@cascade.command(
    "link",
    epilog=(
        "Input: a file with columns id,text,level,parent_id (level 1 = top; parent_id may be blank) and\n"
        "optionally unit (a goal of the same unit counts as a likelier parent).\n\n"
        "Example:\n\n"
        "  hoshin cascade link --input goals.csv --format json\n\n"
        "Output: for each goal below level 1, every goal one level up as a possible parent, best first."
    ),
)
def cascade_link(
    input_file: Path = typer.Option(..., "--input", "-i", help="File with columns id,text,level,parent_id."),
    fmt: str = FormatOption,
    output: Path = OutputOption,
) -> None:
    """Suggest parents for goals: each goal's candidates one level up, ranked, with the evidence."""
    with fail_cleanly():
        from hoshin.io.tables import TableSpec, read_table
        from hoshin.service.batch import link_goals

        spec = TableSpec(
            required=("id", "text", "level"),
            optional=("parent_id", "unit"),
            non_empty=("id", "text", "level"),
        )
        rows = read_table(input_file, spec)
        emit(link_goals(_aligner(), rows, source=str(input_file)), fmt, output)
