"""Stateful commands: init, demo, import, export, backup, restore, serve.

Each opens the store named by --db (else HOSHIN_DATABASE_URL, else SQLite in the data folder),
calls one service function and reports. Imports happen inside the commands so that `hoshin --help`
never loads SQLAlchemy, openpyxl or torch.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from hoshin.cli.common import FormatOption, OutputOption, QuietOption, fail_cleanly, pick_format
from hoshin.cli.groups import root

if TYPE_CHECKING:
    from hoshin.store import Repository

KINDS_HELP = (
    "units, people, skills, knowledge_areas, goals, ideas, documents, communications, users or mission"
)
DbOption = typer.Option(
    None,
    "--db",
    help=(
        "Database URL (sqlite:///file or postgresql+psycopg://...). "
        "Default: HOSHIN_DATABASE_URL, else SQLite in the data folder."
    ),
)
OrgOption = typer.Option(None, "--org", help="Organisation id; needed only when the database holds several.")

ACTOR = "cli"  # the username written to the audit log for changes made from the command line


def _open(db: str | None) -> Repository:
    from hoshin.config import database_url
    from hoshin.service.verdict_reasons import open_store

    url = database_url(db)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return open_store(url)


def _say(message: str) -> None:
    typer.echo(message, err=True)  # stdout stays clean for data


@root.command("init")
def init(
    db: str | None = DbOption,
    org: str | None = typer.Option(None, "--org", help="Also create an organisation with this id."),
    name: str | None = typer.Option(None, "--name", help="The new organisation's name (with --org)."),
) -> None:
    """Create the database (or bring its schema up to date) and optionally an organisation.

    Example:  hoshin init --org frostline --name "Frostline Appliances"
    """
    with fail_cleanly():
        from hoshin.errors import InputError

        if (org is None) != (name is None):
            raise InputError("give --org and --name together")
        repo = _open(db)
        with repo:
            if org is not None and name is not None:
                with repo.transaction():
                    repo.create_organisation(org, name)
                    repo.record_event(org, ACTOR, "create_organisation", "organisation", org, {"name": name})
                _say(f"created organisation {org!r}")
            _say(f"database ready: {repo.url}")


@root.command("demo")
def demo(
    db: str | None = DbOption,
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing when the database already holds an organisation."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Replace the demo organisation if it is already loaded."
    ),
    file: Path | None = typer.Option(  # noqa: B008
        None, "--file", help="Load this organisation file instead of the packaged demo."
    ),
) -> None:
    """Load the demo organisation (mission, units, people, goals, ideas, users ...).

    Example:  hoshin demo --if-empty && hoshin serve
    """
    with fail_cleanly():
        from hoshin.service.demo import demo_sign_ins, load_demo

        with _open(db) as repo:
            result = load_demo(repo, file, ACTOR, replace=replace, if_empty=if_empty, score=True)
            sign_ins = demo_sign_ins(repo, result.organisation_id) if file is None else []
        if not result.loaded:
            _say("an organisation is already loaded; nothing to do")
        else:
            counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
            _say(f"loaded organisation {result.organisation_id!r}: {counts}")
        if sign_ins:
            # `make run` serves right after this: a new user needs these to get past the login page.
            _say("sign in to the web app (hoshin serve) as one of the demo users (username / password):")
            for username, password, role in sign_ins:
                _say(f"  {username} / {password}  ({role.replace('_', ' ')})")


@root.command("import")
def import_(
    kind: str = typer.Argument(..., help=f"What the file holds: {KINDS_HELP}."),
    file: Path = typer.Argument(  # noqa: B008
        ..., help="A .csv, .xlsx, .json or .jsonl file; columns as `hoshin export` writes them."
    ),
    db: str | None = DbOption,
    org: str | None = OrgOption,
    quiet: bool = QuietOption,
) -> None:
    """Import records from a file: all rows are checked first, then written at once (or not at all).

    Rows whose id is already stored are updated, so importing the same file twice is safe.

    Example:  hoshin import goals goals.xlsx
    """
    with fail_cleanly():
        from hoshin.service.importing import import_file
        from hoshin.service.records import kind_spec

        kind_spec(kind)
        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            # Ideas are scored on arrival; show a bar while that runs (only on a terminal).
            progress = _scoring_bar(repo, org_id, quiet) if kind == "ideas" else None
            result = import_file(repo, org_id, kind, file, ACTOR, progress=progress)
        _say(f"{kind}: {result.created} created, {result.updated} updated")


def _scoring_bar(repo: Repository, org_id: str, quiet: bool = False) -> Callable[[int], None]:
    """A progress bar for scoring an organisation's ideas, sized when scoring starts (after the
    import committed, so the count includes the new ideas)."""
    from hoshin.cli.common import Progress

    bar: list[Progress] = []

    def report(done: int) -> None:
        if not bar:
            bar.append(Progress(repo.count("ideas", org_id), "scoring ideas", quiet=quiet))
        bar[0](done)

    return report


@root.command("export")
def export(
    kind: str = typer.Argument(..., help=f"What to export: {KINDS_HELP}."),
    fmt: str | None = FormatOption,
    output: Path | None = OutputOption,
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Export records in the import format (passwords are never exported).

    Example:  hoshin export ideas --format csv --output ideas.csv
    """
    with fail_cleanly():
        import sys

        from hoshin.service.exporting import export_file
        from hoshin.service.records import kind_spec

        kind_spec(kind)
        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            count = export_file(
                repo, org_id, kind, pick_format(fmt, output), output if output is not None else sys.stdout
            )
        if output is not None:
            _say(f"wrote {count} {kind} to {output}")


@root.command("backup")
def backup(
    file: Path = typer.Argument(  # noqa: B008
        ..., help="Where to write the backup (JSON; gzip-compressed if it ends in .gz)."
    ),
    db: str | None = DbOption,
    org: str | None = OrgOption,
) -> None:
    """Write one organisation, with its history and audit log, to a single file.

    The file holds password hashes: keep it as safe as the database.

    Example:  hoshin backup frostline-2026-05-01.json.gz
    """
    with fail_cleanly():
        from hoshin.service.backup import backup_file

        with _open(db) as repo:
            org_id = org or repo.default_organisation()
            counts = backup_file(repo, org_id, file)
        _say(f"backed up {org_id!r} to {file} ({sum(counts.values())} rows)")


@root.command("restore")
def restore(
    file: Path = typer.Argument(..., help="A file written by `hoshin backup`."),  # noqa: B008
    db: str | None = DbOption,
    replace: bool = typer.Option(False, "--replace", help="Overwrite the organisation if it already exists."),
) -> None:
    """Load a backup into this database, all at once or not at all.

    Example:  hoshin restore backup.json.gz --db postgresql+psycopg://127.0.0.1:5432/hoshin
    """
    with fail_cleanly():
        from hoshin.service.backup import restore_file

        with _open(db) as repo:
            counts = restore_file(repo, file, ACTOR, replace=replace)
        _say(f"restored {file} ({sum(counts.values())} rows)")


def default_workers() -> int:
    """Two server processes wherever there are two cores. Each process has its own interpreter
    lock, so one request's Python work no longer waits behind another's, and a process that the
    OS pauses does not stop every request. On a 2-core machine under 50 clients the 95th
    percentile of an idea submission went from 95-122 to 63-73 ms on PostgreSQL (on SQLite it
    stayed within the runs' spread: 54 against 41-65 ms); with the cores shared with four busy
    loops, from 333 to 171-186 ms on PostgreSQL and from 180 to 148-166 ms on SQLite
    (bench/README.md). It costs a tenth more CPU per request and a second copy of the model."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


@root.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every one)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    db: str | None = DbOption,
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        show_default=False,
        help="Processes answering requests side by side (default: 2 on a machine with two or more "
        "cores, else 1). They share the database and the sign-in key; each holds its own copy of "
        "the model, about 300 MB. Raise it to the number of cores on a larger, busy server.",
    ),
) -> None:
    """Serve the web app and the REST API.

    Example:  hoshin serve --port 8080

    Example:  hoshin serve --workers 4 --db postgresql+psycopg://db.example:5432/hoshin
    """
    with fail_cleanly():
        from hoshin.config import Settings, database_url
        from hoshin.errors import ConfigError

        url = database_url(db)
        _open(db).close()  # apply migrations before the first request
        # Requests run side by side and share model calls (embedding/coalescing.py); a call
        # spreading over every core as well makes threads spin against each other.
        Settings.cpu_threads.export("1", keep_existing=True)
        try:
            from hoshin.api.security import secret_key
            from hoshin.app import create_app
        except ImportError as exc:
            raise ConfigError(f"the web app is not available in this install ({exc})") from None
        import uvicorn

        workers = workers or default_workers()
        plural = "process" if workers == 1 else "processes"
        _say(f"Serving on http://{host}:{port} with {workers} worker {plural} (--workers to change)")
        if workers == 1:
            uvicorn.run(create_app(url, warm=True, model_process=True), host=host, port=port)
            return
        # Made once here: workers starting together must not each write a different key file.
        secret_key()
        Settings.database_url.export(url)  # what each worker's create_app() opens
        uvicorn.run("hoshin.app:serving_app", factory=True, workers=workers, host=host, port=port)
