"""The `hoshin` command line: thin commands over the service layer, one module per feature.

`admin` (init, demo, import, export, backup, restore, serve), `report`, and the groups `corridor`,
`knowledge`, `cascade`, `mission`, `brand`, `principles` and `jobs`, each in the module of its name
(the groups themselves are declared in `groups.py`). Modules are imported for their commands only;
nothing heavy (torch, numpy models, databases) is imported until a command runs, so
`hoshin --help` stays fast.
"""

from __future__ import annotations

from hoshin.cli import (  # noqa: F401  (they register commands; the order is the order of --help)
    admin,
    brand,
    cascade,
    corridor,
    jobs,
    knowledge,
    mission,
    mission_part_of,
    principles,
    report,
)
from hoshin.cli.groups import root as app

__all__ = ["app", "main"]


def main() -> None:
    app()
