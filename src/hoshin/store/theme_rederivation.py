"""Stored mission themes brought to the current theme rules.

- Migration 11: current mission versions whose themes are word lists get phrase themes.
- `upgrade_theme_rules`, run each time the migrations are applied: every organisation whose current
  version's themes were derived under an older generation of the rules (or one not recorded) gets
  a new version with themes derived again; see `domain.mission.THEME_RULES_VERSION`.

Kept apart from the schema migrations because they read data and run the domain's theme
extraction (no model: themes are cut from the text by rules, hoshin.domain.mission).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update

from hoshin.domain.mission import (
    THEME_RULES_VERSION,
    THEMES_BY_HAND,
    ThemeKind,
    build_mission_model,
    themes_as_json,
)
from hoshin.domain.text import without_exceptions
from hoshin.domain.text import words as words_of
from hoshin.store import schema
from hoshin.store.override_carry import carry_overrides

__all__ = [
    "MIGRATED_BY",
    "UPGRADED_BY",
    "is_word_list_theme",
    "looks_derived",
    "rederive_themes",
    "upgrade_theme_rules",
]

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
    # Named columns, not the whole table: this runs before migration 12 adds theme_rules.
    rows = conn.execute(_current_versions(*(t.c[name] for name in _CONTENT))).mappings()
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
        _audit_new_version(
            conn,
            str(row["organisation_id"]),
            version,
            MIGRATED_BY,
            now,
            {
                "reason": "themes derived again as phrases of the statement",
                "themes_before": [str(th.get("name", "")) for th in themes],
                "themes": [th["name"] for th in fresh],
            },
        )
        changed.append(str(row["organisation_id"]))
    return changed


UPGRADED_BY = f"theme rules {THEME_RULES_VERSION}"
# The columns of a version's content, named rather than read as the whole table: migration 11 reads
# them before migration 12 adds theme_rules. A re-derived version copies all but version and themes.
_CONTENT = (
    "organisation_id",
    "version",
    "text",
    "themes",
    "focus_areas",
    "exclusions",
    "brand_attributes",
    "principles",
)
_DERIVED_KINDS = frozenset(ThemeKind.ALL) - {ThemeKind.FOCUS}


def _current_versions(*columns: Any) -> Any:
    """SELECT `columns` of each organisation's newest mission version."""
    t = schema.mission_versions
    newest = (
        select(t.c.organisation_id, func.max(t.c.version).label("version"))
        .group_by(t.c.organisation_id)
        .subquery()
    )
    on = (t.c.organisation_id == newest.c.organisation_id) & (t.c.version == newest.c.version)
    return select(*columns).select_from(t.join(newest, on))


def looks_derived(themes: list[Any], statement: str) -> bool:
    """Whether stored themes could have come from some generation of the theme rules: each one's
    text is cut from the statement and its name's words come from its text, in order. A theme a
    person wrote or renamed ("cold chain logistics") fails; themes only deleted or given another
    kind by hand cannot be told apart from derived ones."""
    statement_forms = {_squashed(statement), _squashed(without_exceptions(statement))}
    for theme in themes:
        if not isinstance(theme, dict) or theme.get("kind", ThemeKind.WHAT) not in _DERIVED_KINDS:
            return False
        name, text = theme.get("name"), theme.get("text")
        if not isinstance(name, str) or not isinstance(text, str) or not text.strip():
            return False
        if not any(_squashed(text) in form for form in statement_forms):
            return False
        if not _in_order(words_of(name), words_of(text)):
            return False
    return True


def _squashed(text: str) -> str:
    return " ".join(text.split()).lower()


def _in_order(wanted: list[str], words: list[str]) -> bool:
    remaining = iter(words)
    return bool(wanted) and all(word in remaining for word in wanted)


def upgrade_theme_rules(conn: Connection, now: str) -> list[str]:
    """Bring each organisation's current mission version to THEME_RULES_VERSION; returns the
    organisations given a new version.

    Reads only current versions whose generation is older or not known, so once every one is
    settled it is a single query (it runs each time a store opens) that finds at most versions with
    no stored themes, which it passes over. A version whose generation was not recorded is settled
    in place: to the current generation when its themes are what the rules derive now, to
    THEMES_BY_HAND when they do not look derived. Only the theme_rules column is written there; the
    version's content is never rewritten. A version newer than this release's rules (a store a newer
    release wrote) is left alone.
    """
    t = schema.mission_versions
    stale = or_(
        t.c.theme_rules.is_(None),
        (t.c.theme_rules > THEMES_BY_HAND) & (t.c.theme_rules < THEME_RULES_VERSION),
    )
    query = _current_versions(*(t.c[name] for name in _CONTENT), t.c.theme_rules, t.c.removed_parts)
    query = query.where(stale)
    changed = []
    for row in list(conn.execute(query).mappings()):
        stored = row["themes"] or []
        if not stored:
            continue  # no themes stored: they are derived, under the current rules, when read
        if row["theme_rules"] is None and not looks_derived(stored, row["text"]):
            # Themes people wrote are theirs: no rule change may replace them. Only versions stored
            # before the generation was recorded need this guess; since then an import that
            # brings its own themes records THEMES_BY_HAND itself.
            _settle(conn, row, THEMES_BY_HAND)
            continue
        fresh = themes_as_json(build_mission_model(row["text"]).themes)
        if fresh == stored:
            _settle(conn, row, THEME_RULES_VERSION)
            continue
        _add_rederived_version(conn, row, fresh, now)
        changed.append(str(row["organisation_id"]))
    return changed


def _settle(conn: Connection, row: Any, generation: int) -> None:
    t = schema.mission_versions
    where = (t.c.organisation_id == row["organisation_id"]) & (t.c.version == row["version"])
    conn.execute(update(t).where(where).values(theme_rules=generation))


def _add_rederived_version(conn: Connection, row: Any, fresh: list[dict[str, str]], now: str) -> None:
    """The version after `row`: the same content, `fresh` themes; the old one is kept, an audit
    event says why, and reviewers' tiers given under the old version go on teaching the new one
    (the statement and corridor they judged against are unchanged)."""
    org_id, before = row["organisation_id"], int(row["version"])
    content = {name: row[name] for name in _CONTENT if name not in ("version", "themes")}
    version = before + 1
    conn.execute(
        insert(schema.mission_versions).values(
            **content,
            version=version,
            themes=fresh,
            theme_rules=THEME_RULES_VERSION,
            removed_parts=row["removed_parts"],  # the strategist's removals outlive a rules change
            created_at=now,
            created_by=UPGRADED_BY,
        )
    )
    carried = carry_overrides(conn, org_id, before, version)
    _audit_new_version(
        conn,
        org_id,
        version,
        UPGRADED_BY,
        now,
        {
            "reason": f"themes derived again under theme rules {THEME_RULES_VERSION}",
            "theme_rules_before": row["theme_rules"],
            "themes_before": [str(th.get("name", "")) for th in row["themes"] if isinstance(th, dict)],
            "themes": [th["name"] for th in fresh],
            "overrides_carried": carried,
        },
    )


def _audit_new_version(
    conn: Connection, org_id: str, version: int, username: str, now: str, detail: dict[str, Any]
) -> None:
    """The audit event of a mission version added by a store upgrade, written in its transaction
    (the store's own `record_event` needs a store object, which an upgrade runs before)."""
    conn.execute(
        insert(schema.audit_events).values(
            organisation_id=org_id,
            at=now,
            username=username,
            action="mission.create",
            record_kind="mission",
            record_id=str(version),
            detail=detail,
        )
    )
