"""Mission versions with their themes: save a new version, rebuild the model the engine scores with.

Every stored version carries the themes the engine extracted from its text (as JSON: name, text,
kind), so people see what the engine will match against, and later scoring uses exactly those
themes even if the extraction rules change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hoshin.domain.mission import (
    THEME_RULES_VERSION,
    THEMES_BY_HAND,
    MissionModel,
    Theme,
    ThemeKind,
    build_mission_model,
    themes_as_json,
)
from hoshin.domain.part_of import stored_removals
from hoshin.domain.principle_examples import clean_examples
from hoshin.errors import InputError, NotFoundError
from hoshin.service.audit import record_event

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "current_model",
    "save_mission",
    "save_next_version",
    "themes_as_json",
    "themes_for_text",
    "themes_from_json",
    "mission_history",
    "mission_of",
]

MAX_MISSION_CHARS = 20_000


def themes_from_json(raw: Any) -> tuple[Theme, ...]:
    """Stored themes back as Theme objects; entries that are not {name, text} objects are skipped."""
    themes: list[Theme] = []
    for item in raw or []:
        if not isinstance(item, dict):
            continue
        name, text = item.get("name"), item.get("text")
        if not isinstance(name, str) or not isinstance(text, str) or not text.strip():
            continue
        kind = item.get("kind") if item.get("kind") in ThemeKind.ALL else ThemeKind.WHAT
        themes.append(Theme(name=name, text=text, kind=str(kind)))
    return tuple(themes)


def themes_for_text(text: str) -> list[dict[str, str]]:
    """The themes the engine extracts from a mission text, as stored JSON (no embedding needed)."""
    return themes_as_json(build_mission_model(text).themes)


def _clean_list(values: Sequence[str] | None, what: str) -> list[str]:
    cleaned: list[str] = []
    for value in values or []:
        if not isinstance(value, str):
            raise InputError(f"each of the {what} must be text, got {type(value).__name__}")
        if value.strip() and value.strip() not in cleaned:
            cleaned.append(value.strip())
    return cleaned


def save_mission(
    repo: Repository,
    org_id: str,
    text: str,
    focus_areas: Sequence[str] | None,
    exclusions: Sequence[str] | None,
    actor: str,
    aligner: Aligner,
    *,
    principles: Sequence[Any] | None = None,
    brand_attributes: Sequence[Any] | None = None,
    removed_parts: Sequence[Any] | None = None,
    action: str = "mission.create",
    detail: dict[str, Any] | None = None,
    keep_themes: bool = False,
) -> dict[str, Any]:
    """Store a new mission version with its extracted themes (one audit event); returns the stored row.

    Principles, brand attributes and removed part-of entries not given are carried over from the
    current version, so a corridor edit does not wipe them. `action` and `detail` name the change
    in the audit event (a part-of removal is one). `keep_themes`: the current version's themes and
    their generation are carried over instead of derived again, for a change that leaves the text
    and corridor as they are. Themes people gave (THEMES_BY_HAND) are carried over as well when the
    text stays the same (a corridor edit): no save replaces them unless the statement changes.
    Reviewers' tiers given under the current version go on teaching the new one when it keeps the
    statement, focus areas, exclusions and themes (a principle, brand-attribute or part-of edit);
    a changed corridor retires them, since it may make them wrong.
    InputError for an empty or overlong text.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("the mission text is empty; write the mission statement")
    if len(text) > MAX_MISSION_CHARS:
        raise InputError(f"the mission text is longer than {MAX_MISSION_CHARS} characters")
    focus = _clean_list(focus_areas, "focus areas")
    excluded = _clean_list(exclusions, "exclusions")
    overlap = set(focus) & set(excluded)
    if overlap:
        raise InputError(f"{sorted(overlap)[0]!r} is both a focus area and an exclusion; keep it in one list")
    if principles is not None:
        principles = [_with_clean_examples(p, n) for n, p in enumerate(principles, start=1)]
    model = aligner.mission_model(text, focus_areas=focus, exclusions=excluded)
    with repo.transaction():
        current = repo.mission(org_id)
        if principles is None:
            principles = current["principles"] if current else []
        if brand_attributes is None:
            brand_attributes = current["brand_attributes"] if current else []
        if removed_parts is None:
            removed_parts = current["removed_parts"] if current else []
        themes, theme_rules = themes_as_json(model.themes), THEME_RULES_VERSION
        given_by_hand = current is not None and current.get("theme_rules") == THEMES_BY_HAND
        if current is not None and (keep_themes or (given_by_hand and current["text"] == model.text)):
            themes, theme_rules = list(current["themes"] or []), current["theme_rules"]
        version = repo.add_mission_version(
            org_id,
            model.text,
            focus_areas=list(model.focus_areas),
            exclusions=list(model.exclusions),
            themes=themes,
            principles=list(principles),
            brand_attributes=list(brand_attributes),
            created_by=actor,
            theme_rules=theme_rules,
            removed_parts=list(removed_parts),
        )
        carried = 0
        if current is not None and _same_corridor(
            current, model.text, model.focus_areas, model.exclusions, themes
        ):
            # The same question is asked of every idea, so reviewers' tiers go on teaching it.
            carried = repo.carry_overrides(org_id, int(current["version"]), version)
        record_event(
            repo,
            org_id,
            actor,
            action,
            "mission",
            str(version),
            {
                "text": model.text,
                "focus_areas": list(model.focus_areas),
                "exclusions": list(model.exclusions),
                "themes": [str(t.get("name", "")) for t in themes if isinstance(t, dict)],
                **({"overrides_carried": carried} if carried else {}),
                **(detail or {}),
            },
        )
    stored = repo.mission(org_id, version)
    assert stored is not None  # just written in the transaction above
    return stored


def _same_corridor(
    current: dict[str, Any], text: str, focus: Sequence[str], excluded: Sequence[str], themes: list[Any]
) -> bool:
    """Whether a new version keeps the statement, focus areas, exclusions and themes of `current`."""
    return (
        current["text"] == text
        and list(current["focus_areas"] or []) == list(focus)
        and list(current["exclusions"] or []) == list(excluded)
        and list(current["themes"] or []) == list(themes)
    )


def save_next_version(
    repo: Repository, org_id: str, mission: dict[str, Any], actor: str, aligner: Aligner, **changes: Any
) -> dict[str, Any]:
    """A new version of the stored `mission` with the same statement, corridor and themes and
    `changes` (brand attributes, principles, removed part-of entries, the audit action and detail);
    returns the stored version."""
    return save_mission(
        repo,
        org_id,
        mission["text"],
        mission["focus_areas"],
        mission["exclusions"],
        actor,
        aligner,
        keep_themes=True,
        **changes,
    )


def current_model(
    repo: Repository, org_id: str, aligner: Aligner, stored: dict[str, Any] | None = None
) -> MissionModel:
    """The model of the current mission version: its stored themes, focus areas and exclusions.

    A version stored without themes (an old import) gets them extracted now. NotFoundError when the
    organisation has no mission yet. `stored`: the current version, when the caller read it already.
    """
    stored = stored if stored is not None else repo.mission(org_id)
    if stored is None:
        raise NotFoundError(
            f"organisation {org_id!r} has no mission yet; save one first (or load the demo: `hoshin demo`)"
        )
    themes = themes_from_json(stored.get("themes"))
    model = aligner.mission_model(
        stored["text"],
        focus_areas=[f for f in stored.get("focus_areas") or [] if isinstance(f, str)],
        exclusions=[e for e in stored.get("exclusions") or [] if isinstance(e, str)],
        themes=themes or None,
    )
    removed = frozenset(r["code"] for r in stored_removals(stored.get("removed_parts")))
    return replace(model, version=int(stored["version"]), removed_parts=removed)


def mission_of(repo: Repository, org_id: str) -> dict[str, Any] | None:
    """The current mission version as stored, or None before the first one."""
    return repo.mission(org_id)


def mission_history(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """Every mission version, oldest first."""
    return repo.mission_versions(org_id)


def _with_clean_examples(principle: Any, number: int) -> Any:
    """A principle given with the mission, its examples checked as the principles page checks them
    (InputError before anything is stored); other fields pass as they always did."""
    if not isinstance(principle, dict) or "examples" not in principle:
        return principle
    examples = clean_examples(str(principle.get("id") or f"P{number}"), principle["examples"])
    return {**principle, "examples": examples}
