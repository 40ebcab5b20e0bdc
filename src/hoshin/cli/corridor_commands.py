"""The innovation corridor on a stored organisation: rescore, inbox, override.

`hoshin corridor triage` (engine_commands.py) works on files; these commands work on the database
named by --db, like `hoshin import`. Heavy imports happen inside the commands.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hoshin.cli.admin import ACTOR, DbOption, OrgOption, _open, _say
from hoshin.cli.common import FormatOption, OutputOption, Progress, QuietOption, emit, fail_cleanly
from hoshin.cli.groups import corridor

INBOX_COLUMNS = (
    "id",
    "effective_tier",
    "score",
    "tier",
    "theme",
    "status",
    "unit_id",
    "override_tier",
    "override_reason",
    "reviewer",
    "text",
    "why",
    "decided_by_example",
    "example_id",
)


@corridor.command("rescore")
def rescore(db: str | None = DbOption, org: str | None = OrgOption, quiet: bool = QuietOption) -> None:
    """Score every stored idea against the current mission and store the verdicts.

    Vectors are cached in the database, so a rescore after a corridor change embeds no idea again.

    Example:  hoshin corridor rescore
    """
    with fail_cleanly():
        from hoshin.service.corridor import score_ideas, store_aligner

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            total = repo.count("ideas", org_id)
            progress = Progress(total, "scoring ideas", quiet=quiet)
            stored = score_ideas(repo, org_id, store_aligner(repo), progress=progress)
        if hasattr(stored, "tier_counts"):  # a full re-score: counted without writing every row
            tiers = stored.tier_counts()
        else:
            tiers = {t: sum(1 for v in stored if v["tier"] == t) for t in ("core", "adjacent", "off")}
        _say(f"scored {len(stored)} ideas: " + ", ".join(f"{n} {t}" for t, n in tiers.items()))


@corridor.command("inbox")
def inbox(
    tier: str | None = typer.Option(
        None, "--tier", help="core, adjacent or off (the override where there is one)."
    ),
    theme: str | None = typer.Option(None, "--theme", help="Only ideas whose verdict names this theme."),
    status: str | None = typer.Option(None, "--status", help="Funnel status, e.g. new or under_review."),
    unit: str | None = typer.Option(None, "--unit", help="Only ideas of this unit and its sub-units."),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Stored ideas with their latest verdict and any reviewer override, best score first.

    Example:  hoshin corridor inbox --tier off --format json
    """
    with fail_cleanly():
        from hoshin.service.corridor import list_inbox

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            rows = list_inbox(repo, org_id, tier=tier, theme=theme, status=status, unit=unit)
        emit([{name: row.get(name) for name in INBOX_COLUMNS} for row in rows], fmt, output)


@corridor.command("override")
def override(
    idea: str = typer.Argument(..., help="The idea's id, e.g. I042."),
    tier: str = typer.Argument(..., help="The reviewer's tier: core, adjacent or off."),
    reason: str = typer.Option(..., "--reason", help="Why the reviewer disagrees with the engine."),
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Keep a reviewer's tier and reason next to the engine's verdict (written to the audit log).
    It teaches the corridor: once ideas of two tiers carry a reviewer's tier, every idea is placed
    among them, so the command re-scores the corridor.

    Example:  hoshin corridor override I042 adjacent --reason "spare-part shop for our own fridges"
    """
    with fail_cleanly():
        from hoshin.service.corridor import override_tier, store_aligner

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            aligner = store_aligner(repo) if repo.mission(org_id) is not None else None
            row = override_tier(repo, org_id, idea, tier, reason, ACTOR, aligner)
        engine = row["tier"] or "no verdict yet"
        _say(f"idea {idea}: reviewer says {tier} (engine: {engine})")


@corridor.command("duplicates")
def duplicates(
    threshold: float = typer.Option(
        0.75, "--threshold", help="Cosine from which two ideas count as one idea said twice (0-1]."
    ),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Candidate groups of near-duplicate stored ideas, largest first (merge them in the web app or API).

    Example:  hoshin corridor duplicates --threshold 0.8 --format json
    """
    with fail_cleanly():
        from hoshin.service.corridor import store_aligner
        from hoshin.service.duplicates import find_duplicate_groups

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            groups = find_duplicate_groups(repo, org_id, store_aligner(repo), threshold)
        rows = [
            {
                "group": n,
                "ids": " ".join(g["ids"]),
                "similarity": g["similarity"],
                "merged": g["merged"],
                "texts": " | ".join(i["text"] for i in g["ideas"]),
            }
            for n, g in enumerate(groups, start=1)
        ]
        emit(rows, fmt, output)
