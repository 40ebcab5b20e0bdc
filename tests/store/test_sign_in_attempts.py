"""The store's count of sign-in attempts (migration 8): a sliding window per key, taken and
forgotten in one transaction each, with keys left alone for a whole window deleted."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from hoshin.service.verdict_reasons import open_store

WINDOW = 60_000


def test_an_attempt_is_counted_until_a_key_holds_its_most(store_url: str) -> None:
    with open_store(store_url) as repo:
        assert repo.take_sign_in_attempt({"a": 2, "b": 5}, 1_000, WINDOW) == {}
        assert repo.take_sign_in_attempt({"a": 2, "b": 5}, 2_000, WINDOW) == {}
        # "a" is full: nothing is counted, not even against "b", and "a" frees up at 61 s.
        assert repo.take_sign_in_attempt({"a": 2, "b": 5}, 3_000, WINDOW) == {"a": 58_000}
        assert repo.take_sign_in_attempt({"b": 3}, 4_000, WINDOW) == {}
        assert repo.take_sign_in_attempt({"b": 3}, 5_000, WINDOW) == {"b": 56_000}
        assert repo.take_sign_in_attempt({"a": 2}, 61_000, WINDOW) == {}  # the first one left


def test_forgetting_one_attempt_or_all(store_url: str) -> None:
    with open_store(store_url) as repo:
        for at in (1_000, 2_000):
            repo.take_sign_in_attempt({"a": 2, "b": 2}, at, WINDOW)
        repo.forget_sign_in_attempts(["b"], at_ms=2_000)
        repo.forget_sign_in_attempts(["a"])
        assert repo.take_sign_in_attempt({"a": 2, "b": 2}, 3_000, WINDOW) == {}
        assert repo.take_sign_in_attempt({"a": 2, "b": 2}, 4_000, WINDOW) == {"b": 57_000}


def test_keys_left_alone_for_a_window_are_deleted(store_url: str) -> None:
    with open_store(store_url) as repo:
        repo.take_sign_in_attempt({"old": 3}, 1_000, WINDOW)
        repo.take_sign_in_attempt({"new": 3}, 70_000, WINDOW)
        with repo.transaction() as conn:
            keys = {row[0] for row in conn.execute(text("SELECT key FROM sign_in_attempts"))}
        assert keys == {"new"}


def test_migration_8_adds_the_table_to_an_older_database(store_url: str) -> None:
    open_store(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:  # back to how migration 7 left the database
        conn.execute(text("DROP TABLE sign_in_attempts"))
        conn.execute(text("DELETE FROM hoshin_migrations WHERE version >= 8"))
    with open_store(store_url) as repo:
        assert "sign_in_attempts" in inspect(engine).get_table_names()
        assert repo.take_sign_in_attempt({"a": 1}, 1_000, WINDOW) == {}
    engine.dispose()
