"""`hoshin report`: the board report (dashboard charts and tables) as a self-contained HTML file or a PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.admin import DbOption, OrgOption, _open, _say
from hoshin.cli.common import fail_cleanly
from hoshin.cli.groups import root

__all__ = ["report"]


@root.command("report")
def report(
    output: Path = typer.Option(..., "--output", "-o", help="The report file: FILE.html or FILE.pdf."),  # noqa: B008
    unit: str | None = typer.Option(None, "--unit", help="Only this unit and the units below it."),
    start: str | None = typer.Option(
        None, "--from", help="Ideas and communications from this date (YYYY-MM-DD)."
    ),
    end: str | None = typer.Option(None, "--to", help="... up to this date (YYYY-MM-DD)."),
    score: bool = typer.Option(
        True, "--score/--no-score", help="First score goals and knowledge areas that have no verdict yet."
    ),
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Write the board report for the organisation, a unit or a date range.

    Example:  hoshin report --output board.pdf --unit U-RD --from 2026-01-01 --to 2026-06-30
    """
    with fail_cleanly():
        from hoshin.service.dashboard import Filters, missing_verdicts, refresh_verdicts
        from hoshin.service.report import FORMATS, write_report

        if output.suffix.lower() not in FORMATS:
            from hoshin.errors import InputError

            raise InputError(f"{output}: name the report file .html or .pdf")
        filters = Filters(unit=unit, start=start, end=end)
        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            if score and any(missing_verdicts(repo, org_id).values()):
                from hoshin.service.corridor import store_aligner

                _say("scoring records that have no verdict yet ...")
                refresh_verdicts(repo, org_id, store_aligner(repo))
            write_report(repo, org_id, output, filters)
        _say(f"wrote the board report for {org_id!r} to {output}")
