"""`hoshin mission analyze --format table`: each analysis as a block a person can read on a terminal.

The generic table (one row per record, one column per field) would put the nine components, the
themes and the suggestions as JSON in single cells; an analysis is a small report, so it is shown as
one: the components with their evidence, then the themes, what is missing and how to improve it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

__all__ = ["write_mission_table"]


def write_mission_table(rows: Sequence[dict[str, Any]], out: IO[str]) -> None:
    for number, row in enumerate(rows):
        if number:
            out.write("\n")
        out.write("".join(_block(row)))


def _block(row: dict[str, Any]) -> list[str]:
    components: dict[str, dict[str, Any]] = row.get("components") or {}
    names = [name.replace("_", " ") for name in components]
    width = max([len("component"), *(len(n) for n in names)])
    # `--mission TEXT` analyses one statement with the id "mission"; a file's rows carry their own ids.
    key = row.get("id", "")
    lines = ["Mission statement\n\n" if key == "mission" else f"Statement {key}\n\n"]
    lines.append(f"{'component'.ljust(width)}  present  evidence\n")
    lines.append(f"{'-' * width}  -------  {'-' * 40}\n")
    for name, finding in zip(names, components.values()):
        present = "yes" if finding.get("present") else "no"
        evidence = finding.get("evidence") or ""
        lines.append(f"{name.ljust(width)}  {present.ljust(7)}  {evidence}".rstrip() + "\n")
    lines.append("\n")
    lines.append(f"themes:   {_listed(row.get('themes'))}\n")
    lines.append(f"missing:  {_listed([m.replace('_', ' ') for m in row.get('missing') or []])}\n")
    if row.get("specificity") is not None:
        lines.append(f"specificity: {row['specificity']:.2f} (0 generic, 1 concrete)\n")
    readability = row.get("readability") or {}
    if readability.get("level"):
        ease = readability.get("reading_ease")
        lines.append(
            f"readability: {readability['level']}"
            + (f" (reading ease {ease}, {readability.get('words', 0)} words)" if ease is not None else "")
            + "\n"
        )
    suggestions = row.get("suggestions") or []
    if suggestions:
        lines.append("suggestions:\n")
        lines.extend(f"  - {s}\n" for s in suggestions)
    return lines


def _listed(values: Any) -> str:
    return ", ".join(str(v) for v in values) if values else "(none)"
