"""`hoshin corridor`: the innovation corridor on the command line.

`triage` is the batch contract: it works on files and needs no database. `rescore`, `inbox`,
`override` and `duplicates` work on the organisation in the database named by --db, like
`hoshin import`. Heavy imports happen inside the commands, so `hoshin --help` never loads torch.
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
    emit_stream,
    fail_cleanly,
    given_mission,
)
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
        0.42,  # service.duplicates.DEFAULT_THRESHOLD (not imported here: the CLI starts without numpy)
        "--threshold",
        help="Twin score from which two ideas count as one idea said twice (0-1]: sentence cosine "
        "blended with how well what each says besides their shared words agrees.",
    ),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Candidate groups of near-duplicate stored ideas, largest first (merge them in the web app or API).

    Example:  hoshin corridor duplicates --threshold 0.5 --format json
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
    mission: str = RequiredMissionOption,
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
        text = given_mission(mission)
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
            batch_aligner(),
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
