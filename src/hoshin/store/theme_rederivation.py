"""Migration 11: current mission versions whose themes are word lists get phrase themes.

Kept apart from the schema migrations because it reads data and runs the domain's theme
extraction (no model: themes are cut from the text by rules, hoshin.domain.mission).
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select

from hoshin.domain.mission import build_mission_model, themes_as_json
from hoshin.domain.text import words as words_of
from hoshin.store import schema

__all__ = ["MIGRATED_BY", "is_word_list_theme", "rederive_themes"]

MIGRATED_BY = "migration 11 (themes as phrases)"


def is_word_list_theme(name: str, statement: str) -> bool:
    """True for a theme of the old kind: its words occur in the statement in order, but with words
    left out between them, so it is not a phrase of the statement ("families europe")."""
    words, text = words_of(name), words_of(statement)
    if len(words) < 2 or _contiguous(words, text):
        return False
    position = 0
    for word in words:
        try:
            position = text.index(word, position) + 1
        except ValueError:
            return False
    return True


def _contiguous(words: list[str], text: list[str]) -> bool:
    n = len(words)
    return any(text[i : i + n] == words for i in range(len(text) - n + 1))


def rederive_themes(conn: Connection, now: str) -> list[str]:
    """Add a version with phrase themes for every organisation whose current one has word-list
    themes; returns the organisations changed."""
    t = schema.mission_versions
    newest = (
        select(t.c.organisation_id, func.max(t.c.version).label("version"))
        .group_by(t.c.organisation_id)
        .subquery()
    )
    rows = conn.execute(
        select(t).join(
            newest, (t.c.organisation_id == newest.c.organisation_id) & (t.c.version == newest.c.version)
        )
    ).mappings()
    changed = []
    for row in list(rows):
        themes = [th for th in row["themes"] or [] if isinstance(th, dict)]
        if not any(is_word_list_theme(str(th.get("name", "")), row["text"]) for th in themes):
            continue
        fresh = themes_as_json(build_mission_model(row["text"]).themes)
        version = int(row["version"]) + 1
        conn.execute(
            insert(t).values(
                organisation_id=row["organisation_id"],
                version=version,
                text=row["text"],
                themes=fresh,
                focus_areas=row["focus_areas"],
                exclusions=row["exclusions"],
                brand_attributes=row["brand_attributes"],
                principles=row["principles"],
                created_at=now,
                created_by=MIGRATED_BY,
            )
        )
        conn.execute(
            insert(schema.audit_events).values(
                organisation_id=row["organisation_id"],
                at=now,
                username=MIGRATED_BY,
                action="mission.create",
                record_kind="mission",
                record_id=str(version),
                detail={
                    "reason": "themes derived again as phrases of the statement",
                    "themes_before": [str(th.get("name", "")) for th in themes],
                    "themes": [th["name"] for th in fresh],
                },
            )
        )
        changed.append(str(row["organisation_id"]))
    return changed
