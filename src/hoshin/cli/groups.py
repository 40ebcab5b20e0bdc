"""The command groups of `hoshin`. Area modules add their commands to these groups."""

from __future__ import annotations

import typer

__all__ = ["root", "corridor", "knowledge", "cascade", "mission", "brand", "principles"]

root = typer.Typer(
    name="hoshin",
    help=(
        "Hoshin measures goals, ideas, skills and texts against your organisation's mission.\n\n"
        "Batch commands work on files and need no database, e.g.:\n\n"
        "  hoshin corridor triage --mission 'To produce reliable refrigerators.' --input ideas.csv\n\n"
        "Stateful commands keep an organisation in a database (SQLite by default):\n\n"
        "  hoshin demo && hoshin serve"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _group(name: str, help_text: str) -> typer.Typer:
    group = typer.Typer(help=help_text, no_args_is_help=True, pretty_exceptions_enable=False)
    root.add_typer(group, name=name)
    return group


corridor = _group("corridor", "Innovation corridor: triage ideas as core, adjacent or off the mission.")
knowledge = _group("knowledge", "Knowledge management: which knowledge areas the mission needs.")
cascade = _group("cascade", "Goal cascade: link unit goals to parents and check them against the mission.")
mission = _group("mission", "Analyse a mission statement: components it states, what it leaves out.")
brand = _group("brand", "Brand and image: check texts for consistency with the mission.")
principles = _group("principles", "Principles: find texts that contradict the organisation's principles.")
