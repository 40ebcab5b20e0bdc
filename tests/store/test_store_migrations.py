"""The schema is reached by numbered migrations, recorded, and re-running them changes nothing."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from hoshin.store import HEAD, apply_migrations, open_store


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


def test_migration_9_reads_existing_verdicts_as_not_decided_by_an_example(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.upsert("ideas", "o", [{"id": "I-1", "text": "Door seals"}])
        verdict = {"score": 0.8, "tier": "core", "theme": "seals", "why": "Core."}
        repo.save_verdicts("o", "idea", [("I-1", verdict)], model_id="m", mission_version=1)
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 8 left the database
        conn.execute(text("ALTER TABLE verdicts DROP COLUMN decided_by_example"))
        conn.execute(text("ALTER TABLE verdicts DROP COLUMN example_id"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 9"))
    engine.dispose()
    with open_store(store_url) as repo:
        (old,) = repo.verdicts("o", "idea")
        assert (old["decided_by_example"], old["example_id"]) == (False, None)
        decided = {**verdict, "decided_by_example": True, "example_id": "I-7"}
        repo.save_verdicts("o", "idea", [("I-1", decided)], model_id="m", mission_version=1)
        (new,) = repo.verdicts("o", "idea")
        assert (new["decided_by_example"], new["example_id"]) == (True, "I-7")
