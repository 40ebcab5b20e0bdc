"""The schema is reached by numbered migrations, recorded, and re-running them changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from hoshin.service.jobs import JobStore
from hoshin.service.missions import themes_for_text
from hoshin.service.verdict_reasons import open_store
from hoshin.store import HEAD, apply_migrations
from hoshin.store.migrations import current_version


def test_fresh_database_reaches_head_and_rerun_is_a_no_op(store_url: str) -> None:
    engine = create_engine(store_url)
    assert apply_migrations(engine) == list(range(1, HEAD + 1))
    tables = set(inspect(engine).get_table_names())
    for needed in (
        "organisations",
        "mission_versions",
        "units",
        "goals",
        "goal_parents",
        "checkins",
        "ideas",
        "knowledge_areas",
        "people",
        "skills",
        "documents",
        "communications",
        "verdicts",
        "users",
        "audit_events",
        "vectors",
        "hoshin_jobs",
        "hoshin_migrations",
    ):
        assert needed in tables
    assert apply_migrations(engine) == []
    with engine.connect() as conn:
        recorded = conn.execute(text("SELECT version, name FROM hoshin_migrations ORDER BY version")).all()
    assert [v for v, _ in recorded] == list(range(1, HEAD + 1))
    engine.dispose()


def test_opening_a_store_applies_migrations_once(store_url: str) -> None:
    open_store(store_url).close()
    with open_store(store_url) as repo:  # second open: nothing pending, data kept
        repo.create_organisation("o", "Org")
    with open_store(store_url) as repo:
        assert [o["id"] for o in repo.organisations()] == ["o"]


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'x.sqlite3'}") as repo, repo.transaction() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_migration_6_gives_existing_users_a_session_epoch(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.upsert("users", "o", [{"username": "ana", "role": "viewer", "password_hash": "x"}])
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 5 left the database
        conn.execute(text("ALTER TABLE users DROP COLUMN session_epoch"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 6"))
    engine.dispose()
    with open_store(store_url) as repo:
        assert repo.sign_in_candidates("ana")[0]["session_epoch"] == 0
        repo.end_sessions("o", "ana")
        assert repo.sign_in_candidates("ana")[0]["session_epoch"] == 1
        assert "session_epoch" not in repo.get("users", "o", "ana")  # the store's bookkeeping only


def test_migration_7_ties_existing_overrides_to_the_current_mission_version(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version("o", "To make refrigerators.", created_by="t")
        repo.add_mission_version("o", "To make reliable refrigerators.", created_by="t")
        repo.upsert(
            "ideas",
            "o",
            [
                {"id": "I-1", "text": "Door seals", "override_tier": "core", "override_reason": "ours"},
                {"id": "I-2", "text": "Canteen menu"},
            ],
        )
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 6 left the database
        conn.execute(text("ALTER TABLE ideas DROP COLUMN override_version"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 7"))
    engine.dispose()
    with open_store(store_url) as repo:
        # An override made before versions were recorded keeps teaching until the mission changes.
        assert repo.get("ideas", "o", "I-1")["override_version"] == 2
        assert repo.get("ideas", "o", "I-2")["override_version"] is None


def _old_job_table() -> tuple[Any, Any]:
    """hoshin_jobs as service/jobs.py created it itself before migration 9."""
    from sqlalchemy import Column, Float, Integer, LargeBinary, MetaData, String, Table, Text

    meta = MetaData()
    table = Table(
        "hoshin_jobs",
        meta,
        Column("id", String(32), primary_key=True),
        Column("organisation_id", String(64), nullable=False, index=True),
        Column("kind", String(16), nullable=False),
        Column("state", String(16), nullable=False),
        Column("params", Text, nullable=False),
        Column("payload", LargeBinary),
        Column("done", Integer, nullable=False, default=0),
        Column("total", Integer),
        Column("message", Text),
        Column("error", Text),
        Column("result", Text),
        Column("created_by", String(64)),
        Column("created_at", String(40), nullable=False),
        Column("updated_at", String(40), nullable=False),
        Column("heartbeat", Float),
        Column("owner", String(200)),
        Column("attempts", Integer, nullable=False, default=0),
    )
    return meta, table


@pytest.mark.parametrize("had_table", [True, False])
def test_migration_9_adds_the_job_table_and_keeps_one_made_before_it(store_url: str, had_table: bool) -> None:
    open_store(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 8 left the database
        conn.execute(text("DROP TABLE hoshin_jobs"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 9"))
        if had_table:  # ...after the job code had made the table on its first use
            meta, table = _old_job_table()
            meta.create_all(conn)
            stamp = "2026-12-01T00:00:00+00:00"
            conn.execute(
                table.insert().values(
                    id="j1",
                    organisation_id="o",
                    kind="rescore",
                    state="done",
                    params="{}",
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
    engine.dispose()
    open_store(store_url).close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert current_version(conn) == HEAD
        indexes = [i["name"] for i in inspect(conn).get_indexes("hoshin_jobs")]
        ids = conn.execute(text("SELECT id FROM hoshin_jobs")).scalars().all()
    engine.dispose()
    assert indexes == ["ix_hoshin_jobs_organisation_id"]
    assert ids == (["j1"] if had_table else [])
    with JobStore(store_url) as jobs:
        job = jobs.create("o", "rescore", {}, "test")
        assert {j["id"] for j in jobs.list()} == {job["id"], *ids}


def test_a_job_store_brings_an_older_database_to_head(store_url: str) -> None:
    open_store(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE hoshin_jobs"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 9"))
    with JobStore(store_url) as jobs:  # a worker may open the database first
        assert jobs.list() == []
    with engine.connect() as conn:
        assert current_version(conn) == HEAD
    engine.dispose()


def test_migration_10_reads_existing_verdicts_as_not_decided_by_an_example(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.upsert("ideas", "o", [{"id": "I-1", "text": "Door seals"}])
        verdict = {"score": 0.8, "tier": "core", "theme": "seals", "why": "Core."}
        repo.save_verdicts("o", "idea", [("I-1", verdict)], model_id="m", mission_version=1)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 9 left the database
        conn.execute(text("ALTER TABLE verdicts DROP COLUMN decided_by_example"))
        conn.execute(text("ALTER TABLE verdicts DROP COLUMN example_id"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 10"))
    engine.dispose()
    with open_store(store_url) as repo:
        (old,) = repo.verdicts("o", "idea")
        assert (old["decided_by_example"], old["example_id"]) == (False, None)
        decided = {**verdict, "decided_by_example": True, "example_id": "I-7"}
        repo.save_verdicts("o", "idea", [("I-1", decided)], model_id="m", mission_version=1)
        (new,) = repo.verdicts("o", "idea")
        assert (new["decided_by_example"], new["example_id"]) == (True, "I-7")


def test_migration_11_gives_word_list_themes_a_new_version_of_phrases(store_url: str) -> None:
    statement = (
        "We serve families across Europe with reliable refrigerators, made to last and to be repaired."
    )
    with open_store(store_url) as repo:
        for org in ("old", "fresh"):
            repo.create_organisation(org, org.title())
        # How versions were stored before themes were phrases: the small words dropped.
        old_themes = [{"name": "families europe", "text": "families across Europe", "kind": "whom"}]
        repo.add_mission_version(
            "old", statement, themes=old_themes, focus_areas=["door seals"], principles=[{"id": "P1"}]
        )
        # Phrase themes as the rules of today derive them (older phrase themes are the theme
        # rules upgrade's work: tests/store/test_theme_rules_upgrade.py).
        repo.add_mission_version("fresh", statement, themes=themes_for_text(statement))
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 10 left the database
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 11"))
    engine.dispose()
    with open_store(store_url) as repo:
        versions = repo.mission_versions("old")
        assert [v["version"] for v in versions] == [1, 2]
        assert versions[0]["themes"] == old_themes  # the old version is kept as it was
        new = versions[1]
        names = [t["name"] for t in new["themes"]]
        assert names and all(name.lower() in statement.lower() for name in names)
        assert "families europe" not in names
        assert (new["text"], new["focus_areas"], new["principles"]) == (
            statement,
            ["door seals"],
            [{"id": "P1"}],
        )
        event = repo.audit_events("old")[0]
        assert event["action"] == "mission.create" and event["detail"]["themes_before"] == ["families europe"]
        # A version whose themes are already phrases is left alone.
        assert [v["version"] for v in repo.mission_versions("fresh")] == [1]
    with open_store(store_url) as repo:  # the migration runs once
        assert len(repo.mission_versions("old")) == 2


def test_migration_13_reads_earlier_versions_as_removing_no_part_of_entry(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.add_mission_version("o", "To produce reliable refrigerators.", themes=[], theme_rules=0)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 12 left the database
        conn.execute(text("ALTER TABLE mission_versions DROP COLUMN removed_parts"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 13"))
    engine.dispose()
    removal = {"code": "8414.30", "removed_by": "ada", "removed_at": "2026-12-01T00:00:00+00:00"}
    with open_store(store_url) as repo:
        assert repo.mission("o")["removed_parts"] == []
        repo.add_mission_version("o", "To produce reliable refrigerators.", removed_parts=[removal])
        assert [v["removed_parts"] for v in repo.mission_versions("o")] == [[], [removal]]
