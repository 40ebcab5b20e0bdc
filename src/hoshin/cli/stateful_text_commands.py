"""Brand, principles, mission and line of sight on a stored organisation.

The batch commands `brand check`, `principles check` and `mission analyze` (text_commands.py) work
on files alone; these read the organisation in the database named by --db, through the same service
functions as the brand, principles and people pages. Heavy imports happen inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from hoshin.cli.admin import DbOption, OrgOption, _open
from hoshin.cli.common import FormatOption, OutputOption, emit, fail_cleanly
from hoshin.cli.groups import brand, cascade, mission, principles

if TYPE_CHECKING:
    from hoshin.store import Repository

SHOW_PARTS = ("goals", "skills", "themes", "ideas")


def _organisation(repo: Repository, org: str | None) -> str:
    """The organisation to work on: --org (which must exist) or the only one in the database."""
    if org is None:
        return repo.default_organisation()
    repo.organisation(org)  # NotFoundError naming the id, rather than a confusing "no mission yet"
    return org


@brand.command("attributes")
def attributes(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The brand attributes of the current mission, each with the phrase it comes from.

    `derived` is true while nobody has edited them: they are then read from the mission wording.

    Example:  hoshin brand attributes --format table
    """
    with fail_cleanly():
        from hoshin.service.brand import brand_attributes

        with _open(db) as repo:
            rows = brand_attributes(repo, _organisation(repo, org))
        emit(rows, fmt, output)


def _image_rows(gap: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per attribute for all months (`month: all`, with own voice, outside voice and gap),
    then one per attribute and month the outside voices spoke, each with that month's quotes."""
    rows: list[dict[str, Any]] = []
    for attribute in gap["attributes"]:
        quotes = attribute["quotes"]
        rows.append(
            {
                "attribute": attribute["name"],
                "month": "all",
                "own_voice": attribute["intended"],
                "outside_voice": attribute["image"],
                "gap": attribute["gap"],
                "mentions": attribute["mentions"],
                "supporting_quotes": quotes["supports"],
                "contradicting_quotes": quotes["contradicts"],
            }
        )
        for month, image in zip(gap["months"], gap["by_month"][attribute["name"]], strict=True):
            if image is None:
                continue  # no outside text of that month touched this attribute
            rows.append(
                {
                    "attribute": attribute["name"],
                    "month": month,
                    "own_voice": None,
                    "outside_voice": image,
                    "gap": None,
                    "mentions": None,
                    "supporting_quotes": [q for q in quotes["supports"] if q["date"].startswith(month)],
                    "contradicting_quotes": [q for q in quotes["contradicts"] if q["date"].startswith(month)],
                }
            )
    return rows


@brand.command("image")
def image(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """How outside voices see each brand attribute against what the organisation's own texts promise.

    A voice's score is the share of its sentences touching the attribute that show it (1.0: all
    do, 0.0: all work against it); gap = own voice - outside voice. The `all` row of an attribute
    sums every month; the rows after it give the outside voice month by month, with quotes.

    Example:  hoshin brand image --format csv -o image.csv
    """
    with fail_cleanly():
        from hoshin.service.brand import image_gap
        from hoshin.service.corridor import store_aligner

        with _open(db) as repo:
            gap = image_gap(repo, _organisation(repo, org), store_aligner(repo))
        emit(_image_rows(gap), fmt, output)


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
            rows = stated_principles(repo, _organisation(repo, org))
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
            found = all_principle_flags(repo, _organisation(repo, org), store_aligner(repo))
        rows = [{"record": f"{f['kind']}/{f['id']}", **f} for f in found]
        emit(rows, fmt, output)


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
            versions = mission_analysis(repo, _organisation(repo, org), store_aligner(repo))
        emit(versions if history else versions[:1], fmt, output)


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
            org_id = _organisation(repo, org)
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
