"""The `hoshin` command line: thin commands over the service layer.

Modules are imported for their commands only; nothing heavy (torch, numpy models, databases) is
imported until a command runs, so `hoshin --help` stays fast.
"""

from __future__ import annotations

from hoshin.cli import (  # noqa: F401  (they register commands)
    admin,
    cascade_commands,
    corridor_commands,
    engine_commands,
    jobs_commands,
    knowledge_commands,
    report_command,
    stateful_text_commands,
    text_commands,
)
from hoshin.cli.groups import root as app

__all__ = ["app", "main"]


def main() -> None:
    app()
