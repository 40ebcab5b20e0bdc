"""`hoshin cascade`: the goal cascade on the command line.

`link` and `check` are batch commands: `link` suggests parents, `check` finds goals a manager
should look at again, with what to do about each.

They work on files and need no database; its stateful siblings work on the organisation in
the database named by --db, like `hoshin import`: `report` runs the same checks over the stored
goals and the current mission, `import-okr` reads an OKR tool's export into the stored goals, and
`line-of-sight` shows how a person's or a unit's goals, skills and ideas serve the mission.

Thin: read and validate the input, call the service, emit rows. Heavy imports live inside the
commands so `hoshin --help` never loads torch.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hoshin.cli.admin import ACTOR, DbOption, OrgOption, _open, _say
from hoshin.cli.common import (
    FormatOption,
    OutputOption,
    Progress,
    QuietOption,
    emit,
    fail_cleanly,
)
from hoshin.cli.groups import cascade

if TYPE_CHECKING:
    pass
from hoshin.cli.common import batch_aligner, organisation_of

__all__ = ["cascade_check", "cascade_import_okr", "cascade_report"]


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
    quiet: bool = QuietOption,
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
        progress = Progress(len(rows), "embedding", quiet=quiet)
        source = str(input_file)
        emit(check_goals(Aligner(), mission, rows, focus, exclude, source, progress=progress), fmt, output)


@cascade.command(
    "report",
    epilog=(
        "Runs the checks of `hoshin cascade check` over the goals stored in the database, against the "
        "current mission version and its focus areas and exclusions, and stores one verdict per goal.\n\n"
        "Example:\n\n"
        "  hoshin cascade report --format json\n\n"
        "Output: the same shape as `hoshin cascade check`: {id, issues: [{kind, detail}]} per stored goal, "
        'then the {id: "_uncovered", ...} summary (the summary alone when no goal is stored).\n\n'
        "Exit codes: 0 done, 1 the organisation or its mission is missing, 2 bad input (several "
        "organisations and no --org, or a stored tree that breaks the level rule)."
    ),
)
def cascade_report(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Check the stored goals against the current mission (the stateful `cascade check`)."""
    with fail_cleanly():
        from hoshin.service.corridor import store_aligner
        from hoshin.service.goals import run_checks

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            repo.organisation(org_id)  # an unknown --org is named as such, not as "no mission"
            # refresh: a command run is a fresh process anyway, and the user asked for a new report
            report = run_checks(repo, org_id, store_aligner(repo), refresh=True)
        emit(report.as_list(), fmt, output)


@cascade.command(
    "import-okr",
    epilog=(
        "Reads the CSV or XLSX export of an OKR tool: either one row per item (title plus a type "
        "and/or parent column) or one row per key result (an Objective column repeated on each row). "
        "Teams are matched to unit ids or names, owners to people; a goal's level is its depth.\n\n"
        "Example:\n\n"
        "  hoshin cascade import-okr okrs.xlsx\n\n"
        "All or nothing: a row that does not resolve rejects the file with the row and column named "
        "(exit code 2). Importing the same export again updates the goals instead of duplicating them."
    ),
)
def cascade_import_okr(
    file: Path = typer.Argument(..., help="A .csv or .xlsx export of an OKR tool."),  # noqa: B008
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Import goals from an OKR tool's export into the stored goal cascade."""
    with fail_cleanly():
        from hoshin.errors import InputError
        from hoshin.service.okr_import import import_okr_file

        if file.suffix.lower() not in (".csv", ".xlsx"):
            raise InputError(f"{file}: an OKR export must be a .csv or .xlsx file")
        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            result = import_okr_file(repo, org_id, file, ACTOR)
        _say(f"goals: {result.created} created, {result.updated} updated")


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
        emit(link_goals(batch_aligner(), rows, source=str(input_file)), fmt, output)


SHOW_PARTS = ("goals", "skills", "themes", "ideas")


def _goal_rows(view: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for line in view["goals"]:
        goal, chain = line["goal"], line["chain"]
        top = chain[-1] if chain else goal
        rows.append(
            {
                "goal_id": goal["id"],
                "goal": goal["text"],
                "level": goal["level"],
                "unit_id": goal["unit_id"],
                "owner_id": goal["owner_id"],
                "path": " > ".join([goal["id"], *(g["id"] for g in chain)]),
                "objective_id": top["id"] if line["reaches_objective"] else None,
                "objective": top["text"] if line["reaches_objective"] else None,
                "reaches_objective": line["reaches_objective"],
            }
        )
    return rows


@cascade.command("line-of-sight")
def line_of_sight(
    person: str | None = typer.Option(None, "--person", help="A person's id."),
    unit: str | None = typer.Option(None, "--unit", help="A unit's id (its units below count too)."),
    part: str = typer.Option(
        "goals", "--show", help="goals (the chains up to the objectives), skills, themes or ideas."
    ),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """How a person's or a unit's goals lead up to the company objectives (line of sight).

    Also the mission themes their skills serve (--show skills, themes) and their accepted ideas
    with the reason (--show ideas).

    With --show goals (the default) each own goal gets its path of goal ids up to the top and the
    company objective it reaches (blank when the chain breaks off below level 1).

    Example:  hoshin cascade line-of-sight --unit U-RD --format table
    """
    with fail_cleanly():
        from hoshin.errors import InputError, NotFoundError
        from hoshin.service.corridor import store_aligner
        from hoshin.service.line_of_sight import person_view, unit_view

        if (person is None) == (unit is None):
            raise InputError("give either --person ID or --unit ID")
        if part not in SHOW_PARTS:
            raise InputError(f"--show {part!r}: use one of {', '.join(SHOW_PARTS)}")
        with _open(db) as repo:
            org_id = organisation_of(repo, org)
            aligner = store_aligner(repo)
            if person is not None:
                try:
                    view = person_view(repo, org_id, person, aligner)
                except NotFoundError:
                    raise NotFoundError(
                        f"no person {person!r} in organisation {org_id!r}; `hoshin export people` lists them"
                    ) from None
            else:
                try:
                    view = unit_view(repo, org_id, str(unit), aligner)
                except NotFoundError:
                    raise NotFoundError(
                        f"no unit {unit!r} in organisation {org_id!r}; `hoshin export units` lists them"
                    ) from None
        rows = {
            "goals": _goal_rows,
            "skills": lambda v: v["skills"],
            "themes": lambda v: v["themes"],
            "ideas": lambda v: v["accepted_ideas"],
        }[part](view)
        emit(rows, fmt, output)
