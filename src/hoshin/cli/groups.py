"""The command groups of `hoshin`. Area modules add their commands to these groups."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

__all__ = ["root", "corridor", "knowledge", "cascade", "mission", "brand", "principles"]

# What an option's value is called in --help. Typer labels values by their Python type (`<str>`,
# `<list[str]>`, `<bool>` after a flag); a user reads a word for what to type.
_VALUE_WORDS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER"}


def _plain_metavars(command: Any, ctx: Any) -> None:
    """Name the values of `command`'s options in words (none after a flag, nor after an argument,
    whose own name says it), and the same for every command below it."""
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            param.metavar = param.metavar or (param.name or "value").upper()  # `hoshin import KIND FILE`
            # Typer has no setting for this label; mypy refuses replacing a method on an instance.
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = "" if param.is_flag or param.count else _word(param.display_type(ctx))
    for sub in getattr(command, "commands", {}).values():
        _plain_metavars(sub, ctx)


def _word(label: str) -> str:
    label = label.strip("<>")
    if label.startswith("list[") and label.endswith("]"):
        label = label[5:-1]  # a repeatable option takes one value each time; its help says so
    return _VALUE_WORDS.get(label, label.upper())


class _PlainHelpGroup(TyperGroup):
    """The root group: the commands it hands out name their option values in words."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_metavars(command, ctx)
        return command

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:  # the root's own options: only --help, a flag
            if isinstance(param, TyperOption) and param.metavar is None and param.is_flag:
                param.metavar = ""
        return params


root = typer.Typer(
    cls=_PlainHelpGroup,
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
