"""`hoshin mission analyze --format table`: each analysis as a block a person can read on a terminal.

The generic table (one row per record, one column per field) would put the nine components, the
themes and the suggestions as JSON in single cells; an analysis is a small report, so it is shown as
one: the components with their evidence, then the themes, what is missing and how to improve it.
Every line fits an 80-column terminal: long evidence, themes and advice wrap under their own column.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import IO, Any

__all__ = ["WIDTH", "write_mission_table"]

WIDTH = 80  # columns of the terminal the report is written for


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
    reasons = []
    for name, finding in zip(names, components.values()):
        present = "yes" if finding.get("present") else "no"
        if finding.get("present") and finding.get("why"):
            # Found by meaning, not by a rule: marked, and its reason given under the table.
            present = "yes*"
            reasons.append(f"{name}: {finding['why']}")
        evidence = finding.get("evidence") or ""
        lines.append(_wrapped(f"{name.ljust(width)}  {present.ljust(7)}  ", evidence))
    lines.extend(_wrapped("* ", reason) for reason in reasons)
    lines.append("\n")
    lines.append(_wrapped("themes:   ", _listed(row.get("themes"))))
    lines.append(_wrapped("missing:  ", _listed([m.replace("_", " ") for m in row.get("missing") or []])))
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
        lines.extend(_wrapped("  - ", s) for s in suggestions)
    return lines


def _wrapped(label: str, text: str) -> str:
    """`label` then `text`, wrapped at WIDTH with the continuation lines under the text's first column."""
    if not text:
        return label.rstrip() + "\n"
    body = textwrap.wrap(
        text, width=WIDTH, initial_indent=label, subsequent_indent=" " * len(label), break_on_hyphens=False
    )
    return "\n".join(body) + "\n"


def _listed(values: Any) -> str:
    return ", ".join(str(v) for v in values) if values else "(none)"
