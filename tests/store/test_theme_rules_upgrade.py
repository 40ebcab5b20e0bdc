"""Stored mission themes follow the theme rules: when a store opens, each organisation whose current
mission version was derived under older rules (or rules not recorded) gets a new version with its
themes derived again; themes people gave are never replaced."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, text

from hoshin.domain.mission import THEME_RULES_VERSION, THEMES_BY_HAND
from hoshin.service.backup import backup_data, restore_data
from hoshin.service.importing import import_batches
from hoshin.service.missions import themes_for_text
from hoshin.service.records import Batch
from hoshin.service.verdict_reasons import open_store
from hoshin.store import HEAD, theme_rederivation
from hoshin.store.migrations import current_version
from hoshin.store.theme_rederivation import UPGRADED_BY, looks_derived

STATEMENT = "We serve families across Europe with reliable refrigerators, made to last and to be repaired."
# Phrase themes as an earlier generation of the rules cut them: parts of the statement, but not
# what today's rules derive.
OLD_PHRASES = [{"name": "families across Europe", "text": "families across Europe", "kind": "whom"}]
# Themes a strategist wrote: not cut from the statement.
BY_HAND = [
    {"name": "cold chain", "text": "cold chain logistics for supermarkets", "kind": "what"},
    {"name": "families across Europe", "text": "families across Europe", "kind": "whom"},
]


def _forget_theme_rules(url: str, org_id: str) -> None:
    """The organisation's versions as stored before migration 12: no generation recorded."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE mission_versions SET theme_rules = NULL WHERE organisation_id = :o"), {"o": org_id}
        )
    engine.dispose()


def _versions(url: str, org_id: str) -> list[dict[str, Any]]:
    with open_store(url) as repo:
        return repo.mission_versions(org_id)


def test_stale_themes_get_a_new_version_and_the_old_one_is_kept(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version(
            "o",
            STATEMENT,
            themes=OLD_PHRASES,
            focus_areas=["door seals"],
            exclusions=["ice cream"],
            principles=[{"id": "P1", "text": "We repair"}],
            brand_attributes=[{"name": "reliable"}],
            removed_parts=[{"code": "8414.30", "removed_by": "ada", "removed_at": "2026-06-01"}],
        )
        idea = {"id": "I-1", "text": "Door seals", "override_tier": "core", "override_version": 1}
        repo.upsert("ideas", "o", [idea])
    _forget_theme_rules(store_url, "o")
    with open_store(store_url) as repo:  # opening the store runs the upgrade
        old, new = repo.mission_versions("o")
        assert (old["themes"], old["theme_rules"]) == (OLD_PHRASES, None)  # kept as it was
        assert new["version"] == 2 and new["created_by"] == UPGRADED_BY
        assert new["themes"] == themes_for_text(STATEMENT)
        assert new["theme_rules"] == THEME_RULES_VERSION
        for field in ("text", "focus_areas", "exclusions", "principles", "brand_attributes", "removed_parts"):
            assert new[field] == old[field]
        (event,) = repo.audit_events("o")
        assert (event["action"], event["record_id"], event["username"]) == (
            "mission.create",
            "2",
            UPGRADED_BY,
        )
        assert event["detail"]["themes_before"] == ["families across Europe"]
        assert event["detail"]["theme_rules_before"] is None
        # The reviewer judged the same statement and corridor: their tier goes on teaching.
        assert repo.get("ideas", "o", "I-1")["override_version"] == 2
        assert event["detail"]["overrides_carried"] == 1
    # Running it again adds nothing: the new version is current.
    assert len(_versions(store_url, "o")) == 2
    with open_store(store_url) as repo:
        assert len(repo.audit_events("o")) == 1


def test_themes_edited_by_hand_are_kept_and_remembered_as_such(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version("o", STATEMENT, themes=BY_HAND)
    _forget_theme_rules(store_url, "o")
    (only,) = _versions(store_url, "o")
    assert (only["themes"], only["theme_rules"]) == (BY_HAND, THEMES_BY_HAND)
    with open_store(store_url) as repo:
        assert repo.audit_events("o") == []


def test_themes_given_by_hand_survive_a_change_of_the_rules(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        # Even themes that look cut from the statement: the store was told people gave them.
        repo.add_mission_version("o", STATEMENT, themes=OLD_PHRASES, theme_rules=THEMES_BY_HAND)
    monkeypatch.setattr(theme_rederivation, "THEME_RULES_VERSION", THEME_RULES_VERSION + 1)
    (only,) = _versions(store_url, "o")
    assert (only["themes"], only["theme_rules"]) == (OLD_PHRASES, THEMES_BY_HAND)


def test_a_current_mission_gets_no_new_version(store_url: str) -> None:
    with open_store(store_url) as repo:
        for org in ("recorded", "unrecorded"):
            repo.create_organisation(org, org)
        derived = themes_for_text(STATEMENT)
        repo.add_mission_version("recorded", STATEMENT, themes=derived, theme_rules=THEME_RULES_VERSION)
        repo.add_mission_version("unrecorded", STATEMENT, themes=derived)
    _forget_theme_rules(store_url, "unrecorded")
    assert [(v["version"], v["theme_rules"]) for v in _versions(store_url, "recorded")] == [
        (1, THEME_RULES_VERSION)
    ]
    # Themes the rules derive today need no new version; the generation is filled in.
    assert [(v["version"], v["theme_rules"]) for v in _versions(store_url, "unrecorded")] == [
        (1, THEME_RULES_VERSION)
    ]


def test_a_raised_rules_version_derives_older_themes_again(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version("o", STATEMENT, themes=OLD_PHRASES, theme_rules=THEME_RULES_VERSION - 1)
    versions = _versions(store_url, "o")
    assert [(v["version"], v["theme_rules"]) for v in versions] == [
        (1, THEME_RULES_VERSION - 1),
        (2, THEME_RULES_VERSION),
    ]
    with open_store(store_url) as repo:
        assert repo.audit_events("o")[0]["detail"]["theme_rules_before"] == THEME_RULES_VERSION - 1


def test_the_next_release_checks_every_current_version_again(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version(
            "o", STATEMENT, themes=themes_for_text(STATEMENT), theme_rules=THEME_RULES_VERSION
        )
    # A release whose rules are one generation on, but cut this statement the same way.
    monkeypatch.setattr(theme_rederivation, "THEME_RULES_VERSION", THEME_RULES_VERSION + 1)
    assert [(v["version"], v["theme_rules"]) for v in _versions(store_url, "o")] == [
        (1, THEME_RULES_VERSION + 1)
    ]


def test_a_version_from_newer_rules_is_left_to_them(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version("o", STATEMENT, themes=OLD_PHRASES, theme_rules=THEME_RULES_VERSION + 1)
    assert [v["version"] for v in _versions(store_url, "o")] == [1]


def test_organisations_without_a_mission_or_stored_themes_are_left_alone(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("empty", "No mission")
        repo.create_organisation("bare", "No themes stored")
        repo.add_mission_version("bare", STATEMENT)  # themes derived when the version is read
    with open_store(store_url) as repo:
        assert repo.mission_versions("empty") == []
        (bare,) = repo.mission_versions("bare")
        assert (bare["themes"], bare["theme_rules"]) == ([], None)


def test_only_the_current_version_is_looked_at(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version("o", STATEMENT, themes=OLD_PHRASES)
        repo.add_mission_version("o", STATEMENT, themes=BY_HAND, theme_rules=THEMES_BY_HAND)
    _forget_theme_rules(store_url, "o")  # version 1 is stale, but it is history
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE mission_versions SET theme_rules = 0 WHERE version = 2"))
    engine.dispose()
    assert [(v["version"], v["theme_rules"]) for v in _versions(store_url, "o")] == [
        (1, None),
        (2, THEMES_BY_HAND),
    ]


def test_a_database_from_before_migration_12_is_brought_to_the_rules(store_url: str) -> None:
    word_lists = [{"name": "families europe", "text": "families across Europe", "kind": "whom"}]
    with open_store(store_url) as repo:
        for org in ("words", "hand"):
            repo.create_organisation(org, org)
        repo.add_mission_version("words", STATEMENT, themes=word_lists)
        repo.add_mission_version("hand", STATEMENT, themes=BY_HAND)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 10 left the database
        conn.execute(text("ALTER TABLE mission_versions DROP COLUMN theme_rules"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 11"))
    with open_store(store_url) as repo:
        # Migration 11 derives the word lists again; the upgrade finds that version current.
        words = repo.mission_versions("words")
        assert [(v["version"], v["theme_rules"]) for v in words] == [(1, None), (2, THEME_RULES_VERSION)]
        assert words[1]["themes"] == themes_for_text(STATEMENT)
        assert [(v["version"], v["theme_rules"]) for v in repo.mission_versions("hand")] == [
            (1, THEMES_BY_HAND)
        ]
    with engine.connect() as conn:
        assert current_version(conn) == HEAD
    engine.dispose()


def _import_mission(repo: Any, record: dict[str, Any]) -> None:
    import_batches(repo, "o", [Batch(kind="mission", source="test", rows=[(1, record)])], "test")


def test_an_import_records_whether_its_themes_were_given_by_hand(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    _import_mission(repo, {"text": STATEMENT})
    _import_mission(repo, {"text": STATEMENT, "themes": BY_HAND})
    # A file exported from Hoshin carries the themes the rules derive: they are not a person's.
    _import_mission(repo, {"text": STATEMENT, "themes": themes_for_text(STATEMENT), "focus_areas": ["x"]})
    assert [v["theme_rules"] for v in repo.mission_versions("o")] == [
        THEME_RULES_VERSION,
        THEMES_BY_HAND,
        THEME_RULES_VERSION,
    ]


def test_an_import_that_leaves_themes_out_keeps_those_given_by_hand(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    _import_mission(repo, {"text": STATEMENT, "themes": BY_HAND})
    # Only the corridor changes: the strategist's themes stay, still marked as theirs.
    _import_mission(repo, {"text": STATEMENT, "focus_areas": ["door seals"]})
    kept = repo.mission_versions("o")[-1]
    assert (kept["themes"], kept["theme_rules"], kept["focus_areas"]) == (
        BY_HAND,
        THEMES_BY_HAND,
        ["door seals"],
    )
    # A new statement gets the themes the rules derive from it.
    _import_mission(repo, {"text": STATEMENT + " We repair what we sell."})
    fresh = repo.mission_versions("o")[-1]
    assert (fresh["themes"], fresh["theme_rules"]) == (
        themes_for_text(STATEMENT + " We repair what we sell."),
        THEME_RULES_VERSION,
    )


def test_a_restore_keeps_each_versions_theme_rules(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    repo.add_mission_version("o", STATEMENT, themes=BY_HAND, theme_rules=THEMES_BY_HAND)
    data = backup_data(repo, "o")
    restore_data(repo, data, "test", replace=True)
    assert repo.mission_versions("o")[0]["theme_rules"] == THEMES_BY_HAND
    for odd in ("3", True, -1, None):  # a hand-altered or older backup: not known
        data["mission_versions"][0]["theme_rules"] = odd
        restore_data(repo, data, "test", replace=True)
        assert repo.mission_versions("o")[0]["theme_rules"] is None


@pytest.mark.parametrize(
    ("themes", "derived"),
    [
        (OLD_PHRASES, True),
        ([{"name": "families europe", "text": "families across Europe", "kind": "whom"}], True),
        ([{"name": "Families across  Europe", "text": "FAMILIES across\nEurope"}], True),
        (BY_HAND, False),
        ([{"name": "Europe's families", "text": "families across Europe", "kind": "whom"}], False),
        ([{"name": "families", "text": "families across Europe", "kind": "focus"}], False),
        ([{"name": "", "text": "families across Europe", "kind": "whom"}], False),
        ([{"name": "families", "text": "  ", "kind": "whom"}], False),
        ([{"name": "families", "kind": "whom"}], False),
        (["families across Europe"], False),
    ],
)
def test_which_stored_themes_look_derived(themes: list[Any], derived: bool) -> None:
    assert looks_derived(themes, STATEMENT) is derived
