"""The admin section: only admins see its link, everyone else gets one plain refusal, and admins add
users through a CSRF-protected form that goes through the same checks as the REST API."""

from __future__ import annotations

import re

import pytest

from support import Org, audit_actions, csrf_of, login

ROLES = ("admin", "strategist", "unit_manager", "contributor", "viewer")
NEW_USER = {"password": "a long new password", "role": "contributor", "unit_id": "U-RD"}


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_link_shows_to_admins_only(org: Org, role: str) -> None:
    page = org.client(role).get("/").text
    assert ('href="/admin"' in page) == (role == "admin")


def test_a_non_admin_on_the_admin_page_gets_one_plain_refusal(org: Org) -> None:
    page = org.client("strategist").get("/admin")
    assert page.status_code == 403
    assert page.text.count("a strategist may not see users") == 1
    assert 'class="notice"' not in page.text  # the green box is for successes
    assert "user read" not in page.text


def test_an_admin_adds_a_user_who_can_then_sign_in(org: Org) -> None:
    client = org.client("admin")
    page = client.get("/admin").text
    assert 'action="/admin/users"' in page
    added = client.post(
        "/admin/users",
        data={"username": "newbie", **NEW_USER, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert added.status_code == 303
    listing = client.get(added.headers["location"]).text
    assert "User newbie added" in listing and re.search(r"<td>newbie</td><td>contributor</td>", listing)
    assert ("user.create", "users", "newbie") in audit_actions(org)
    fresh = org.client()
    login(fresh, "newbie", NEW_USER["password"])
    assert fresh.get("/api/v1/me").json()["role"] == "contributor"


def test_adding_a_user_needs_the_csrf_token_and_the_admin_role(org: Org) -> None:
    admin = org.client("admin")
    assert admin.post("/admin/users", data={"username": "forged", **NEW_USER}).status_code == 403
    strategist = org.client("strategist")
    token = csrf_of(strategist.get("/goals").text)
    refused = strategist.post("/admin/users", data={"username": "sneaky", **NEW_USER, "csrf_token": token})
    assert refused.status_code == 403
    assert not {"forged", "sneaky"} & set(org.store.keys("users", org.id))


def test_a_bad_new_user_is_refused_with_the_reason(org: Org) -> None:
    client = org.client("admin")
    token = csrf_of(client.get("/admin").text)
    short = client.post(
        "/admin/users", data={"username": "shorty", **NEW_USER, "password": "x", "csrf_token": token}
    )
    assert short.status_code == 422 and "password" in short.text
    taken = client.post(
        "/admin/users", data={"username": org.name("viewer"), **NEW_USER, "csrf_token": token}
    )
    assert taken.status_code == 409 and "already exists" in taken.text
