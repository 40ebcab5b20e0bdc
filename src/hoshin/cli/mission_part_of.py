"""`hoshin mission part-of list|remove|restore`: the HS, WordNet and CAPEC entries the mission draws in.

A thin layer over service/part_of_removals.py: the same checks, versions and audit events as the
REST API and the mission page.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.admin import ACTOR, DbOption, OrgOption, _open, _say
from hoshin.cli.common import FormatOption, OutputOption, emit, fail_cleanly, organisation_of
from hoshin.cli.groups import mission

part_of = typer.Typer(
    help=(
        "Parts the mission's products are made of, after the HS 2022 nomenclature and WordNet 3.0, and "
        "for a mission protecting computers the attack patterns of MITRE CAPEC: an idea naming one "
        "is core at least. List them, and remove one that is wrong for your organisation (restore it "
        "later). Each removal or restore is a new mission version, and every idea is re-scored.\n\n"
        "  hoshin mission part-of list\n\n"
        "  hoshin mission part-of remove 8414.30\n\n"
        "  hoshin mission part-of restore 8414.30"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
mission.add_typer(part_of, name="part-of")

CodeArgument = typer.Argument(
    ...,
    help=(
        "The entry's code: HS (four digits, a dot and two digits, e.g. 8414.30), WordNet "
        "(WN30-04190747) or CAPEC (CAPEC-98); `part-of list` shows them."
    ),
)


@part_of.command("list")
def list_entries(
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """The entries the current mission draws in, removed ones included.

    Each with its part, use, code, source, how the source ties the part to the product (link), the
    product the mission names, and whether (by whom, when) it was removed.

    Example:  hoshin mission part-of list --format json
    """
    with fail_cleanly():
        from hoshin.service.corridor import store_aligner
        from hoshin.service.part_of_removals import current_part_of

        with _open(db) as repo:
            org_id = organisation_of(repo, org)
            rows = current_part_of(repo, org_id, store_aligner(repo))
        emit(rows, fmt, output)


@part_of.command("remove")
def remove(code: str = CodeArgument, db: str | None = DbOption, org: str | None = OrgOption) -> None:
    """Remove an entry that is wrong for your organisation.

    Ideas naming its part are no longer lifted to core. The entry stays listed as removed, with who
    removed it and when, so it can be restored.

    Example:  hoshin mission part-of remove 8414.30
    """
    _change("remove", code, db, org)


@part_of.command("restore")
def restore(code: str = CodeArgument, db: str | None = DbOption, org: str | None = OrgOption) -> None:
    """Put a removed entry back: ideas naming its part are core at least again.

    Example:  hoshin mission part-of restore 8414.30
    """
    _change("restore", code, db, org)


def _change(action: str, code: str, db: str | None, org: str | None) -> None:
    with fail_cleanly():
        from hoshin.service.corridor import rescore_every_idea, store_aligner
        from hoshin.service.part_of_removals import remove_part, restore_part

        change = remove_part if action == "remove" else restore_part
        with _open(db) as repo:
            org_id = organisation_of(repo, org)
            aligner = store_aligner(repo)
            row = change(repo, org_id, code, ACTOR, aligner)
            rescore_every_idea(repo, org_id, aligner)
        source = str(row["source"])  # "HS 2022" is cited as "HS", the others whole
        _say(
            f"{'HS' if source.startswith('HS') else source} {row['code']} ({row['part']}) {action}d: "
            f"mission version {row['version']}; "
            "every idea re-scored"
        )
