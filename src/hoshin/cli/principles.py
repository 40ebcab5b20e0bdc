"""`hoshin principles`: the organisation's principles on the command line.

`check` is a batch command on files (no database); `list` and `flags` read the organisation in the
database named by --db, through the same service functions as the principles page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hoshin.cli.admin import DbOption, OrgOption, _open
from hoshin.cli.common import FormatOption, OutputOption, emit, fail_cleanly
from hoshin.cli.groups import principles

if TYPE_CHECKING:
    from typing import Any
from hoshin.cli.common import (
    MissionOption,
    PrinciplesOption,
    QuietOption,
    RequiredInputOption,
    need_mission,
    organisation_of,
    read_texts,
)


@principles.command("list")
def list_principles(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The principles of the current mission, with rationale and owner.

    Example:  hoshin principles list --format json
    """
    with fail_cleanly():
        from hoshin.service.brand import principles as stated_principles

        with _open(db) as repo:
            rows = stated_principles(repo, organisation_of(repo, org))
        emit(rows, fmt, output)


@principles.command("flags")
def flags(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Stored texts that contradict a principle: the record, the principle, the sentence and why.

    Goals, ideas, communications and documents are read.

    Example:  hoshin principles flags --format csv -o flags.csv
    """
    with fail_cleanly():
        from hoshin.service.brand import all_principle_flags
        from hoshin.service.corridor import store_aligner

        with _open(db) as repo:
            found = all_principle_flags(repo, organisation_of(repo, org), store_aligner(repo))
        rows = [{"record": f"{f['kind']}/{f['id']}", **f} for f in found]
        emit(rows, fmt, output)


@principles.command(
    "check",
    epilog=(
        "Example:\n\n"
        "  hoshin principles check --mission 'To produce reliable refrigerators.' "
        "--principles principles.csv --input proposals.csv --format json\n\n"
        "The principles file may have an optional 'examples' column: examples the organisation gives, "
        "each 'contradicts: TEXT' or 'supports: TEXT', separated by ' | ' (e.g. 'contradicts: Skip "
        "the second test to ship on time | supports: Add a second inspector'). A text close to one "
        "takes its stance when the reading finds nothing, and the reason names the example."
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

        text = need_mission(mission_text)
        principle_rows = read_principles(principles_file)
        rows = read_texts(input_file)
        emit(check_principles(text, principle_rows, rows, default_embedder()), fmt, output)


def read_principles(path: Path) -> list[dict[str, Any]]:
    """The principles file: `id,text` and an optional `examples` column ('contradicts: TEXT |
    supports: TEXT'); the examples are checked by the principles check itself."""
    from hoshin.io.tables import TableSpec, read_table

    rows = read_table(
        path, TableSpec(required=("id", "text"), optional=("examples",), non_empty=("id", "text"))
    )
    out: list[dict[str, Any]] = []
    for row in rows:
        cell = row.pop("examples", "")
        examples = []
        for part in filter(None, (p.strip() for p in cell.split("|"))):
            stance, _, text = part.partition(":")
            examples.append(
                {"stance": stance.strip(), "text": text.strip()} if text else {"stance": "", "text": part}
            )
        out.append({**row, "examples": examples})
    return out
