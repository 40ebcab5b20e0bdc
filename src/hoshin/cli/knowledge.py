"""`hoshin knowledge`: knowledge management on the command line.

`rank` is the batch contract (files only, no database); `needs`, `map-skills`, `coverage` and
`gaps` work on the organisation in the database named by --db. Heavy imports happen inside the
commands.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.admin import ACTOR, DbOption, OrgOption, _open, _say
from hoshin.cli.common import (
    FormatOption,
    OutputOption,
    Progress,
    QuietOption,
    RequiredMissionOption,
    batch_aligner,
    emit,
    fail_cleanly,
    given_mission,
)
from hoshin.cli.groups import knowledge


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
    mission: str = RequiredMissionOption,
    input_file: Path = typer.Option(..., "--input", "-i", help="File with columns id,name,description."),
    fmt: str = FormatOption,
    output: Path = OutputOption,
    quiet: bool = QuietOption,
) -> None:
    """Rank knowledge areas by how much the mission needs them, each with a reason."""
    with fail_cleanly():
        from hoshin.io.tables import TableSpec, read_table
        from hoshin.service.batch import rank_knowledge

        text = given_mission(mission)
        spec = TableSpec(required=("id", "name"), optional=("description",), non_empty=("id", "name"))
        rows = read_table(input_file, spec)
        progress = Progress(len(rows), "embedding", quiet=quiet)
        emit(rank_knowledge(batch_aligner(), text, rows, progress=progress), fmt, output)


GAP_COLUMNS = (
    "area_id",
    "name",
    "gap",
    "dependence",
    "coverage",
    "holders",
    "best_level",
    "single_point_of_failure",
    "sole_holder",
    "documented",
    "actions",
)


@knowledge.command("needs")
def needs(
    limit: int = typer.Option(30, "--limit", min=0, help="How many catalogue areas to propose."),
    confirm: list[str] = typer.Option(  # noqa: B008
        [], "--confirm", help="Store this proposed area (id) as one of the organisation's own; repeatable."
    ),
    weight: float = typer.Option(1.0, "--weight", help="Weight for the areas given with --confirm."),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The knowledge areas the mission needs: own areas and the best catalogue areas, with reasons.

    Goals and accepted ideas add demand. With --confirm the named areas are stored.

    Example:  hoshin knowledge needs --limit 10 --confirm K-0230 --weight 1.2
    """
    with fail_cleanly():
        from hoshin.errors import InputError
        from hoshin.service.corridor import store_aligner
        from hoshin.service.knowledge import propose_needs, save_needs

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            aligner = store_aligner(repo)
            rows = propose_needs(repo, org_id, aligner, limit=max(limit, len(confirm)))
            if confirm:
                by_id = {r["id"]: r for r in propose_needs(repo, org_id, aligner, limit=10_000)}
                unknown = [c for c in confirm if c not in by_id]
                if unknown:
                    raise InputError(f"--confirm: {', '.join(unknown)} is not a knowledge area id")
                items = [
                    {
                        "id": c,
                        "name": by_id[c]["name"],
                        "description": by_id[c]["description"],
                        "weight": weight,
                        "origin": by_id[c]["origin"],
                    }
                    for c in confirm
                ]
                counts = save_needs(repo, org_id, items, ACTOR)
                _say(f"knowledge areas: {counts['created']} created, {counts['updated']} updated")
                rows = propose_needs(repo, org_id, aligner, limit=limit)
        emit(rows, fmt, output)


@knowledge.command("map-skills")
def map_skills(
    file: Path = typer.Argument(  # noqa: B008
        ...,
        help="HR export (.csv, .xlsx, .json, .jsonl) with columns person, level and skill and/or profile.",
    ),
    apply: bool = typer.Option(False, "--apply", help="Store the mapping as skills (else only show it)."),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Map an HR file's skills and free-text profiles to knowledge areas, with reason and confidence.

    Bad rows (unknown person, duplicates, level outside 1..5, empty profile) stop it with the row
    named, and nothing is stored. To correct a mapping, edit the JSON it prints (`area_id`) and
    import it as skills.

    Example:  hoshin knowledge map-skills hr.xlsx --apply
    """
    with fail_cleanly():
        from hoshin.service.corridor import store_aligner
        from hoshin.service.knowledge import apply_skills, map_skills, read_hr

        rows = read_hr(file)
        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            proposals = map_skills(repo, org_id, store_aligner(repo), rows, source=str(file))
            if apply:
                counts = apply_skills(repo, org_id, proposals, ACTOR)
                _say(
                    f"skills: {counts['skills_created']} created, {counts['skills_updated']} updated; "
                    f"{counts['people_moved']} people moved to another unit"
                )
        emit(proposals, fmt, output)


@knowledge.command("coverage")
def coverage(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The knowledge areas × units matrix: one row per area, the deepest level held in each unit.

    Example:  hoshin knowledge coverage --format csv -o coverage.csv
    """
    with fail_cleanly():
        from hoshin.service.corridor import store_aligner
        from hoshin.service.knowledge import coverage_report

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            report = coverage_report(repo, org_id, store_aligner(repo))
        rows = []
        for area, depths in zip(report["areas"], report["depth"], strict=True):
            row = {k: area[k] for k in ("id", "name", "weight", "dependence", "holders", "coverage")}
            row.update({unit["id"]: depth for unit, depth in zip(report["units"], depths, strict=True)})
            rows.append(row)
        emit(rows, fmt, output)


@knowledge.command("gaps")
def gaps(
    only: str | None = typer.Option(
        None, "--only", help="spof (single points of failure), uncovered or undocumented."
    ),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Knowledge gaps, the ones most of the mission depends on first, each with what to do.

    Example:  hoshin knowledge gaps --only spof --format json
    """
    with fail_cleanly():
        from hoshin.errors import InputError
        from hoshin.service.corridor import store_aligner
        from hoshin.service.knowledge import coverage_report

        views = {"spof": "single_points_of_failure", "uncovered": "uncovered", "undocumented": "undocumented"}
        if only is not None and only not in views:
            raise InputError(f"--only {only!r}: use one of {', '.join(views)}")
        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            report = coverage_report(repo, org_id, store_aligner(repo))
        rows = report[views[only]] if only else [g for g in report["gaps"] if g["dependence"] > 0]
        emit([{name: row.get(name) for name in GAP_COLUMNS} for row in rows], fmt, output)
