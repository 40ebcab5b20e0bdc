"""Two readings the mission domain tests share: the words each component role took, and the
components a statement states, both with word classes handed over by the test."""

from __future__ import annotations

from hoshin.domain.component_roles import masked_idioms, read_roles
from hoshin.domain.lexicon import tokens
from hoshin.domain.mission_analysis import analyze_statement


def roles(text: str, classes: dict[str, str]) -> dict[str, list[str]]:
    """Component -> the words read for it, in the order they were read."""
    out: dict[str, list[str]] = {}
    for role in read_roles(text, masked_idioms(tokens(text)), classes):
        out.setdefault(role.component, []).append(role.word)
    return out


def present(text: str, classes: dict[str, str] | None = None) -> set[str]:
    """The components the statement states."""
    analysis = analyze_statement(text, word_classes=classes)
    return {name for name, finding in analysis.components.items() if finding.present}
