"""Who a request's token or session stands for: the user and the units they manage, read fresh on
every request (the user and the unit tree come from one read, `Repository.user_with_units`)."""

from __future__ import annotations

import pytest

from hoshin.errors import AuthenticationError
from hoshin.service.auth import load_principal, password_fingerprint, principal_from_token, token_for
from support import SECRET, Org


def test_user_with_units_reads_the_user_and_the_unit_tree(org: Org) -> None:
    row, parents = org.store.user_with_units(org.name("unit_manager"), org.id)
    assert row is not None and row["unit_id"] == "U-RD" and row["role"] == "unit_manager"
    assert parents == {"U-CO": [], "U-RD": ["U-CO"], "U-RD-LAB": ["U-RD"], "U-SALES": ["U-CO"]}


def test_user_with_units_skips_the_tree_for_a_user_without_a_unit(org: Org) -> None:
    row, parents = org.store.user_with_units(org.name("viewer"), org.id)
    assert row is not None and row["unit_id"] is None
    assert parents == {}


@pytest.mark.parametrize("who", ["nobody-at-all", "", "other-org"])
def test_user_with_units_finds_nobody_for_an_unknown_name_or_organisation(org: Org, who: str) -> None:
    username, org_id = (org.name("admin"), "org-elsewhere") if who == "other-org" else (who, org.id)
    assert org.store.user_with_units(username, org_id) == (None, {})


def test_a_unit_manager_manages_their_unit_and_every_unit_below_it(org: Org) -> None:
    user, _ = _signed_in(org, "unit_manager")
    assert user.managed_units == frozenset({"U-RD", "U-RD-LAB"})
    viewer, _ = _signed_in(org, "viewer")
    assert viewer.managed_units == frozenset()


def test_a_unit_added_below_the_managers_unit_counts_at_the_next_request(org: Org) -> None:
    _, token = _signed_in(org, "unit_manager")
    org.store.upsert("units", org.id, [{"id": "U-RD-NEW", "name": "New lab", "parent_id": "U-RD-LAB"}])
    user = principal_from_token(org.store, SECRET, token, 3600)
    assert user.managed_units == frozenset({"U-RD", "U-RD-LAB", "U-RD-NEW"})


def test_a_moved_or_deactivated_user_is_seen_at_the_next_request(org: Org) -> None:
    _, token = _signed_in(org, "unit_manager")
    org.store.upsert("users", org.id, [{"username": org.name("unit_manager"), "unit_id": "U-SALES"}])
    assert principal_from_token(org.store, SECRET, token, 3600).managed_units == frozenset({"U-SALES"})
    org.store.upsert("users", org.id, [{"username": org.name("unit_manager"), "active": False}])
    with pytest.raises(AuthenticationError, match="revoked"):
        principal_from_token(org.store, SECRET, token, 3600)


def test_a_wrong_fingerprint_or_missing_name_is_refused(org: Org) -> None:
    with pytest.raises(AuthenticationError, match="session has ended"):
        load_principal(org.store, org.id, org.name("viewer"), "not-the-fingerprint")
    with pytest.raises(AuthenticationError, match="session has ended"):
        load_principal(org.store, org.id, "", "anything")
    with pytest.raises(AuthenticationError, match="session has ended"):
        load_principal(org.store, "", org.name("viewer"), "anything")


def _signed_in(org: Org, role: str) -> tuple[object, str]:
    row = org.store.find_user(org.name(role), org.id)
    assert row is not None
    user = load_principal(org.store, org.id, org.name(role), password_fingerprint(row["password_hash"]))
    return user, token_for(org.store, SECRET, user)


def test_only_a_unit_manager_manages_units_and_only_their_sign_in_reads_the_tree(org: Org) -> None:
    # A contributor's unit scopes nothing, so signing them in does not read the unit tree (the
    # whole organisation's units, on every request).
    row, parents = org.store.user_with_units(org.name("contributor"), org.id, tree_for={"unit_manager"})
    assert row is not None and row["unit_id"] == "U-RD" and parents == {}
    contributor, _ = _signed_in(org, "contributor")
    assert contributor.unit_id == "U-RD" and contributor.managed_units == frozenset()
    row, parents = org.store.user_with_units(org.name("unit_manager"), org.id, tree_for={"unit_manager"})
    assert parents["U-RD-LAB"] == ["U-RD"]
