"""Backup/restore between databases, and the demo loader's rules."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from hoshin.errors import ConfigError, ConflictError, InputError, RowError
from hoshin.service.backup import backup_data, backup_file, restore_file
from hoshin.service.demo import load_demo
from hoshin.service.verdict_reasons import open_store

ORG_FILE = Path(__file__).parent / "fixtures" / "organisation.json"


# A part-of entry a strategist removed (service/part_of_removals.py): a backup keeps it.
REMOVAL = {"code": "8414.30", "removed_by": "ada", "removed_at": "2026-06-01T00:00:00+00:00"}


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data.pop("created_at")
    return data


def _enrich(repo: Any) -> None:
    """History beyond the demo: a second mission version, check-ins, verdicts."""
    repo.add_mission_version(
        "coolco", "To keep kitchens cold.", focus_areas=["quiet"], created_by="ada", removed_parts=[REMOVAL]
    )
    repo.add_checkin("coolco", "G-C1", "2026-06-01", 1.9, "on track")
    repo.save_verdicts(
        "coolco",
        "idea",
        [("I001", {"score": 0.7, "tier": "core", "theme": "t", "why": "w"})],
        model_id="hashing-v1",
        mission_version=2,
    )


@pytest.mark.postgres
def test_sqlite_backup_restored_into_postgres_backs_up_equal(tmp_path: Path, postgres_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    with open_store(f"sqlite:///{tmp_path / 'a.sqlite3'}") as source:
        load_demo(source, ORG_FILE, actor="test")
        _enrich(source)
        first = backup_data(source, "coolco")
        backup_file(source, "coolco", tmp_path / "b.json.gz")
    with open_store(postgres_url) as target:
        restore_file(target, tmp_path / "b.json.gz", "test")
        second = backup_data(target, "coolco")
    restore_event = second["audit"].pop()
    assert restore_event["action"] == "restore"
    assert _comparable(second) == _comparable(first)


def test_backup_is_gzip_when_asked_and_restore_into_other_db_is_complete(loaded: Any, tmp_path: Path) -> None:
    _enrich(loaded)
    path = tmp_path / "backup.json.gz"
    counts = backup_file(loaded, "coolco", path)
    assert counts["goals"] == 3 and counts["mission_versions"] == 2
    data = json.loads(gzip.decompress(path.read_bytes()))
    assert data["format"] == "hoshin-backup"
    assert all(u["password_hash"].startswith("scrypt$") for u in data["records"]["users"])
    with open_store(f"sqlite:///{tmp_path / 'other.sqlite3'}") as other:
        restore_file(other, path, "test")
        assert _comparable(backup_data(other, "coolco"))["records"] == data["records"]
        assert [m["removed_parts"] for m in other.mission_versions("coolco")] == [[], [REMOVAL]]
        assert other.checkins("coolco")[0]["note"] == "on track"
        assert other.find_user("ben")["password_hash"] == loaded.find_user("ben")["password_hash"]


def test_restore_over_an_existing_organisation_needs_replace(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    backup_file(loaded, "coolco", path)
    loaded.upsert("units", "coolco", [{"id": "U-NEW", "name": "Added after the backup"}])
    with pytest.raises(ConflictError, match="--replace"):
        restore_file(loaded, path, "test")
    assert loaded.count("units", "coolco") == 4
    restore_file(loaded, path, "test", replace=True)
    assert loaded.count("units", "coolco") == 3


def test_damaged_backup_changes_nothing(loaded: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "b.json"
    backup_file(loaded, "coolco", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["records"]["goals"][0]["level"] = 9
    path.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(loaded)
    with pytest.raises(RowError, match=r"b.json \[goals\], row 1, field 'level'"):
        restore_file(loaded, path, "test", replace=True)
    assert snapshot(loaded) == before
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a Hoshin backup"):
        restore_file(loaded, path, "test")
    path.write_bytes(b"\x1f\x8b broken gzip")
    with pytest.raises(InputError, match="not a readable Hoshin backup"):
        restore_file(loaded, tmp_path / "b.json", "test")


def test_demo_loads_everything_with_hashed_passwords(loaded: Any) -> None:
    assert loaded.count("goals", "coolco") == 3
    assert loaded.mission("coolco")["principles"][0]["id"] == "P1"
    stored = loaded.find_user("admin", "coolco")["password_hash"]
    assert stored.startswith("scrypt$") and "demo-admin" not in stored


def test_demo_if_empty_does_nothing_and_replace_reloads(loaded: Any) -> None:
    loaded.upsert("units", "coolco", [{"id": "U-NEW", "name": "Extra"}])
    assert load_demo(loaded, ORG_FILE, if_empty=True).loaded is False
    with pytest.raises(ConflictError, match="--replace"):
        load_demo(loaded, ORG_FILE)
    assert loaded.count("units", "coolco") == 4
    result = load_demo(loaded, ORG_FILE, replace=True)
    assert result.loaded and result.counts()["units"] == 3
    assert loaded.count("units", "coolco") == 3


def test_demo_with_a_broken_reference_loads_nothing(repo: Any, tmp_path: Path) -> None:
    data = json.loads(ORG_FILE.read_text(encoding="utf-8"))
    data["goals"][1]["owner_id"] = "p99"
    path = tmp_path / "organisation.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(RowError, match=r"organisation.json \[goals\], row 2, field 'owner_id'"):
        load_demo(repo, path)
    assert repo.organisations() == []


def test_demo_file_missing_is_a_config_error(repo: Any, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        load_demo(repo, tmp_path / "nope.json")


def test_packaged_demo_passes_validation_and_round_trips(repo: Any, tmp_path: Path) -> None:
    result = load_demo(repo)  # src/hoshin/data/demo/organisation.json
    org = result.organisation_id
    assert result.loaded and repo.mission(org) is not None and repo.count("goals", org) > 0
    backup_file(repo, org, tmp_path / "demo.json")
    with open_store(f"sqlite:///{tmp_path / 'copy.sqlite3'}") as copy:
        restore_file(copy, tmp_path / "demo.json", "test")
        assert backup_data(copy, org)["records"] == backup_data(repo, org)["records"]
