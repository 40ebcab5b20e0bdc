"""`hoshin corridor triage`, `hoshin knowledge rank`, `hoshin cascade link`: the batch contract.

Thin: read and validate the input file, call hoshin.service.batch, emit rows. Heavy imports live
inside the commands so `hoshin --help` never loads torch.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.common import (
    FormatOption,
    OutputOption,
    Progress,
    QuietOption,
    emit,
    emit_stream,
    fail_cleanly,
)
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
        "organisation draws its lines; each verdict then names the example that decided it.\n\n"
        "Big inputs: the file is read a chunk of rows at a time (--chunk-size), so memory stays\n"
        "flat whatever its size (CSV, JSONL and XLSX; a .json list is parsed whole). A first pass\n"
        "checks every row before anything is written: a bad row exits 2 with no output (a file\n"
        "given with --output appears only when complete). The verdicts are those of one batch:\n"
        "an input larger than one chunk is embedded chunk by chunk first (the vectors kept in\n"
        "TMPDIR, about 400 bytes a row), then scored against the whole input's boilerplate words\n"
        "and best ideas, and written. Output is best first, as always, sorted through temporary\n"
        "files (about 400 bytes a row); --order input writes each chunk's verdicts as soon as they\n"
        "are scored, in the order of the input rows instead."
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
    order: str = typer.Option(
        "best",
        "--order",
        help="best: best first (the default, the batch contract); input: in the order of the input "
        "rows, each chunk written as soon as it is scored.",
    ),
    chunk_size: int = typer.Option(
        10_000, "--chunk-size", min=1, help="Rows scored at a time (memory grows with it)."
    ),
    quiet: bool = QuietOption,
) -> None:
    """Triage ideas as core, adjacent or off the mission, best first, each with its theme and why."""
    with fail_cleanly():
        from itertools import chain

        from hoshin.errors import InputError
        from hoshin.io.tables import TableSpec, iter_table, read_table
        from hoshin.service.batch import best_first, chunked, survey_texts, triage_chunks
        from hoshin.service.corridor_examples import EXAMPLES_SPEC, examples_from_rows

        if order not in ("best", "input"):
            raise InputError(f"--order must be best or input, not {order!r}")
        text = _mission(mission)
        spec = TableSpec(required=("id", "text"), non_empty=("id", "text"))
        examples = []
        if examples_file is not None:
            example_rows = read_table(examples_file, EXAMPLES_SPEC)
            examples = examples_from_rows(example_rows, str(examples_file))
        # First pass: every row checked (a bad row ends the run before any output), the rows and
        # their words counted; then the input is read again, chunk by chunk, to be scored.
        survey = survey_texts(row["text"] for row in iter_table(input_file, spec))
        progress = Progress(survey.count + len(examples), "embedding", quiet=quiet)
        scored = triage_chunks(
            _aligner(),
            text,
            lambda: chunked(iter_table(input_file, spec), chunk_size),
            survey,
            focus,
            exclude,
            progress=progress,
            examples=examples,
        )
        rows = chain.from_iterable(scored) if order == "input" else best_first(scored)
        emit_stream(rows, fmt, output)


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
    quiet: bool = QuietOption,
) -> None:
    """Rank knowledge areas by how much the mission needs them, each with a reason."""
    with fail_cleanly():
        from hoshin.io.tables import TableSpec, read_table
        from hoshin.service.batch import rank_knowledge

        text = _mission(mission)
        spec = TableSpec(required=("id", "name"), optional=("description",), non_empty=("id", "name"))
        rows = read_table(input_file, spec)
        progress = Progress(len(rows), "embedding", quiet=quiet)
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
    quiet: bool = QuietOption,  # nothing drawn here yet; taken so that every batch command takes it
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
