"""Files that hold password hashes are readable by their owner only: the SQLite database (with its
WAL files) and backups, whatever the process's umask would give."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hoshin.service.backup import backup_file
from hoshin.service.verdict_reasons import open_store
from hoshin.store import hash_password


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: new files world-readable
    try:
        yield
    finally:
        os.umask(old)


HASH = hash_password("pw")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "hoshin.sqlite3"
    with open_store(f"sqlite:///{path}") as repo:
        repo.create_organisation("o", "Org")
        repo.upsert("users", "o", [{"username": "ana", "role": "admin", "password_hash": HASH}])
        files = [p for p in tmp_path.iterdir() if p.name.startswith("hoshin.sqlite3")]
        assert len(files) >= 2  # the database and its write-ahead log
        for file in files:
            assert _mode(file) == 0o600, file.name


def test_backups_are_private(store_url: str, tmp_path: Path) -> None:
    with open_store(store_url) as repo:
        repo.create_organisation("o", "Org")
        repo.upsert("users", "o", [{"username": "ana", "role": "admin", "password_hash": HASH}])
        for name in ("org.json", "org.json.gz"):
            target = tmp_path / name
            target.write_text("an older, world-readable file")
            backup_file(repo, "o", target)
            assert _mode(target) == 0o600, name
