"""Repository behaviour on SQLite and PostgreSQL alike: CRUD, transactions, trees, users, audit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hoshin.embedding import CachedEmbedder, HashingEmbedder
from hoshin.errors import ConflictError, InputError, NotFoundError
from hoshin.store import StoreVectorCache, hash_password, verify_password


def test_upsert_creates_then_updates_only_given_fields(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    assert repo.upsert("units", "o", [{"id": "A", "name": "Alpha", "description": "top"}]) == (1, 0)
    assert repo.upsert(
        "units", "o", [{"id": "A", "name": "Alpha 2"}, {"id": "B", "name": "Beta", "parent_id": "A"}]
    ) == (1, 1)
    assert repo.get("units", "o", "A") == {
        "id": "A",
        "name": "Alpha 2",
        "parent_id": None,
        "description": "top",
    }
    assert repo.count("units", "o") == 2
    assert repo.keys("units", "o") == {"A", "B"}


def test_upsert_of_checked_new_keys_belongs_in_the_checking_transaction(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    with pytest.raises(InputError, match="inside the transaction"):
        repo.upsert("units", "o", [{"id": "A", "name": "Alpha"}], all_new=True)
    assert repo.count("units", "o") == 0
    with repo.transaction():
        assert not repo.existing_keys("units", "o", ["A", "B"])
        created = repo.upsert(
            "units",
            "o",
            [{"id": "A", "name": "Alpha"}, {"id": "B", "name": "Beta", "parent_id": "A"}],
            all_new=True,
        )
    assert created == (2, 0)
    assert repo.get("units", "o", "B")["parent_id"] == "A"


def test_records_of_two_organisations_never_mix(repo: Any) -> None:
    repo.create_organisation("a", "A")
    repo.create_organisation("b", "B")
    repo.upsert("units", "a", [{"id": "U", "name": "In A"}])
    repo.upsert("units", "b", [{"id": "U", "name": "In B"}])
    assert repo.get("units", "a", "U")["name"] == "In A"
    assert repo.get("units", "b", "U")["name"] == "In B"
    with pytest.raises(InputError, match="several organisations"):
        repo.default_organisation()


def test_failed_transaction_changes_nothing(repo: Any) -> None:
    repo.create_organisation("o", "Org")
    repo.upsert("units", "o", [{"id": "A", "name": "Alpha"}])
    with pytest.raises(RuntimeError), repo.transaction():
        repo.upsert("units", "o", [{"id": "B", "name": "Beta"}])
        repo.upsert("units", "o", [{"id": "A", "name": "changed"}])
        raise RuntimeError("boom")
    assert repo.rows("units", "o") == [{"id": "A", "name": "Alpha", "parent_id": None, "description": None}]


def test_unit_cycle_is_refused_naming_the_cycle(loaded: Any) -> None:
    with pytest.raises(
        ConflictError,
        match="U-CO -> U-LAB -> U-RD -> U-CO|U-LAB -> U-RD -> U-CO -> U-LAB|U-RD -> U-CO -> U-LAB -> U-RD",
    ):
        loaded.upsert("units", "coolco", [{"id": "U-CO", "parent_id": "U-LAB"}])
    assert loaded.get("units", "coolco", "U-CO")["parent_id"] is None


def test_goal_parent_cycle_is_refused(loaded: Any) -> None:
    with pytest.raises(ConflictError, match="cycle"):
        loaded.set_goal_parents("coolco", "G-C1", ["G-K1"])
    with pytest.raises(ConflictError, match="G-U1 -> G-U1"):
        loaded.set_goal_parents("coolco", "G-U1", ["G-U1"])
    assert loaded.goal_parents("coolco", "G-C1") == []


def test_tree_queries(loaded: Any) -> None:
    assert loaded.unit_subtree("coolco", "U-CO") == ["U-CO", "U-RD", "U-LAB"]
    assert loaded.unit_subtree("coolco", "U-LAB") == ["U-LAB"]
    assert loaded.unit_path("coolco", "U-LAB") == ["U-CO", "U-RD", "U-LAB"]
    assert loaded.goal_parents("coolco", "G-K1") == ["G-C1", "G-U1"]
    assert loaded.goal_children("coolco", "G-C1") == ["G-K1", "G-U1"]
    with pytest.raises(NotFoundError):
        loaded.unit_subtree("coolco", "U-NOPE")


def test_reference_to_a_missing_record_is_a_conflict(loaded: Any) -> None:
    with pytest.raises(ConflictError):
        loaded.upsert("people", "coolco", [{"id": "p09", "name": "X", "unit_id": "U-NOPE"}])
    with pytest.raises(ConflictError):
        loaded.delete("units", "coolco", "U-RD")  # people and goals still sit in it
    assert loaded.count("people", "coolco") == 2
    assert loaded.count("units", "coolco") == 3


def test_delete_removes_a_record_and_its_links(loaded: Any) -> None:
    loaded.delete("goals", "coolco", "G-K1")
    assert loaded.goal_children("coolco", "G-U1") == []
    with pytest.raises(NotFoundError):
        loaded.get("goals", "coolco", "G-K1")


def test_unknown_kind_and_organisation(repo: Any) -> None:
    with pytest.raises(InputError, match="unknown record kind"):
        repo.rows("planets", "o")
    with pytest.raises(NotFoundError):
        repo.upsert("units", "ghost", [{"id": "A", "name": "A"}])
    with pytest.raises(ConflictError):
        repo.create_organisation("o", "O")
        repo.create_organisation("o", "O again")


def test_mission_versions_newest_is_current(loaded: Any) -> None:
    first = loaded.mission("coolco")
    assert first["version"] == 1
    assert (
        loaded.add_mission_version("coolco", "To cool the world.", focus_areas=["cold"], created_by="ada")
        == 2
    )
    current = loaded.mission("coolco")
    assert (current["version"], current["text"], current["focus_areas"], current["created_by"]) == (
        2,
        "To cool the world.",
        ["cold"],
        "ada",
    )
    assert loaded.mission("coolco", version=1)["text"] == first["text"]
    assert [m["version"] for m in loaded.mission_versions("coolco")] == [1, 2]


def test_checkins_verdicts_and_audit(loaded: Any) -> None:
    loaded.add_checkin("coolco", "G-C1", "2026-06-01", 1.9, "on track")
    with pytest.raises(NotFoundError):
        loaded.add_checkin("coolco", "G-NOPE", "2026-06-01", 1.0)
    assert [(c["goal_id"], c["value"]) for c in loaded.checkins("coolco")] == [("G-C1", 1.9)]
    verdict = {"score": 0.8, "tier": "core", "theme": "reliable fridges", "why": "names compressors"}
    loaded.save_verdicts("coolco", "idea", [("I001", verdict)], model_id="hashing-v1", mission_version=1)
    loaded.save_verdicts(
        "coolco",
        "idea",
        [("I001", {**verdict, "score": 0.5, "tier": "adjacent"})],
        model_id="hashing-v1",
        mission_version=1,
    )
    latest = loaded.verdicts("coolco", "idea")
    assert [(v["record_id"], v["tier"]) for v in latest] == [("I001", "adjacent")]
    assert len(loaded.verdicts("coolco", latest_only=False)) == 2
    events = loaded.audit_events("coolco")
    assert events[0]["action"] == "demo" and events[0]["username"] == "test"


def test_users_passwords_are_hashed_and_hidden(loaded: Any) -> None:
    public = loaded.get("users", "coolco", "admin")
    assert "password_hash" not in public
    user = loaded.find_user("admin")
    assert user["organisation_id"] == "coolco"
    assert verify_password("demo-admin", user["password_hash"])
    assert not verify_password("wrong", user["password_hash"])
    loaded.set_password_hash("coolco", "admin", hash_password("new secret"))
    assert verify_password("new secret", loaded.find_user("admin", "coolco")["password_hash"])
    assert loaded.find_user("nobody") is None


def test_password_hashes_are_salted_and_damage_is_refused() -> None:
    a, b = hash_password("same"), hash_password("same")
    assert a != b and verify_password("same", a) and verify_password("same", b)
    assert not verify_password("same", None)
    assert not verify_password("same", "scrypt$1048576000$8$1$AAAA$AAAA")  # absurd cost: refused, not run
    assert not verify_password("same", a.replace("scrypt", "md5"))
    with pytest.raises(ValueError):
        hash_password("")


def test_store_vector_cache_embeds_each_text_once(repo: Any) -> None:
    inner = HashingEmbedder(dimensions=32)
    embedder = CachedEmbedder(inner, StoreVectorCache(repo))
    first = embedder.embed(["a fridge", "a freezer", "a fridge"])
    again = CachedEmbedder(HashingEmbedder(dimensions=32), repo.vector_cache())
    second = again.embed(["a freezer", "a fridge"])
    assert again.misses == 0
    np.testing.assert_allclose(second, first[[1, 0]])
    again.cache.put_many(inner.model_id, [])  # nothing to store is fine
    assert embedder.misses == 2
