"""HTML pages and forms: CSRF on every form, roles enforced through the real forms, empty states."""

from __future__ import annotations

from fastapi.routing import APIRoute

from support import Org, audit_actions, csrf_of

GOAL_FORM = {"text": "Cut warranty returns", "unit_id": "U-SALES", "level": "2", "parent_ids": "G-1"}


def test_every_route_but_sign_in_and_health_is_guarded(org: Org) -> None:
    # The API docs are public, as FastAPI's own were; they hold no organisation's data.
    open_routes = {"/health", "/login", "/logout", "/api/v1/auth/token"}
    open_routes |= {"/login/sso", "/login/sso/callback"}  # single sign-on: the provider vouches
    open_routes |= {"/docs", "/docs/oauth2-redirect", "/redoc"}
    try:  # FastAPI 0.16x keeps included routers whole in app.routes; this walks into them
        from fastapi.routing import iter_route_contexts

        routes = [(c.path, c.route) for c in iter_route_contexts(org.app.routes)]
    except ImportError:
        routes = [(getattr(r, "path", ""), r) for r in org.app.routes]
    assert len(routes) > 100  # every feature's routes, not only the app's own few
    for path, route in routes:
        if not isinstance(route, APIRoute) or path in open_routes:
            continue
        guards = [d.call for d in route.dependant.dependencies if hasattr(d.call, "hoshin_action")]
        assert guards, f"{path} has no permission guard"


def test_pages_render_for_a_viewer_with_navigation(org: Org) -> None:
    client = org.client("viewer")
    for path in ("/", "/mission", "/goals", "/ideas", "/knowledge", "/brand"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert 'aria-current="page"' in page.text and 'href="/mission"' in page.text
        assert 'href="/audit"' not in page.text  # a viewer is offered no section they may not open
    goals = client.get("/goals").text
    assert "Halve field failures" in goals
    assert "New goal" not in goals and "/edit" not in goals  # a viewer gets no forms
    assert client.get("/audit").status_code == 403


def test_empty_states_say_what_to_do_next(org: Org) -> None:
    page = org.client("viewer").get("/knowledge").text
    assert "hoshin demo" in page


def test_goal_form_without_or_with_wrong_csrf_is_refused(org: Org) -> None:
    client = org.client("admin")
    token = csrf_of(client.get("/goals").text)
    for bad in ({}, {"csrf_token": token[::-1]}):
        response = client.post("/goals", data={"id": "G-FORM", **GOAL_FORM, **bad})
        assert response.status_code == 403
        assert "security token" in response.text
    assert "G-FORM" not in org.store.keys("goals", org.id)
    ok = client.post(
        "/goals", data={"id": "G-FORM", **GOAL_FORM, "csrf_token": token}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert org.store.get("goals", org.id, "G-FORM")["parent_ids"] == ["G-1"]
    assert ("goal.create", "goals", "G-FORM") in audit_actions(org)


def test_unit_manager_cannot_edit_another_units_goal_through_the_form(org: Org) -> None:
    client = org.client("unit_manager")
    page = client.get("/goals").text
    assert "/goals/G-RD/edit" in page and "/goals/G-SALES/edit" not in page
    token = csrf_of(page)
    assert client.get("/goals/G-SALES/edit").status_code == 404  # as a goal that does not exist
    before = org.store.get("goals", org.id, "G-SALES")
    response = client.post("/goals/G-SALES", data={**GOAL_FORM, "text": "Hijacked", "csrf_token": token})
    assert response.status_code == 404
    assert "Not found" in response.text  # the HTML error page, not JSON
    assert org.store.get("goals", org.id, "G-SALES") == before


def test_unit_manager_edits_own_goal_through_the_form(org: Org) -> None:
    client = org.client("unit_manager")
    form = client.get("/goals/G-RD/edit").text
    response = client.post(
        "/goals/G-RD",
        data={
            "text": "Test every compressor twice",
            "unit_id": "U-RD",
            "level": "2",
            "parent_ids": "G-1",
            "csrf_token": csrf_of(form),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert org.store.get("goals", org.id, "G-RD")["text"] == "Test every compressor twice"
    assert audit_actions(org)[-1] == ("goal.update", "goals", "G-RD")


def test_bad_form_input_shows_an_error_page_and_stores_nothing(org: Org) -> None:
    client = org.client("admin")
    token = csrf_of(client.get("/goals").text)
    response = client.post("/goals", data={"id": "G-BAD", "text": "x", "level": "9", "csrf_token": token})
    assert response.status_code == 422
    assert "level" in response.text and "Please check your input" in response.text
    assert "G-BAD" not in org.store.keys("goals", org.id)


def test_contributor_submits_an_idea_through_the_form(org: Org) -> None:
    client = org.client("contributor")
    page = client.get("/ideas").text
    assert "New idea" in page
    response = client.post(
        "/ideas",
        data={"id": "I-FORM", "text": "Door alarm", "tags": "safety; doors", "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert org.store.get("ideas", org.id, "I-FORM")["tags"] == ["safety", "doors"]


def test_logout_needs_the_csrf_token(org: Org) -> None:
    client = org.client("viewer")
    assert client.post("/logout").status_code == 403
    assert client.get("/api/v1/me").status_code == 200


def test_unknown_page_is_an_html_404(org: Org) -> None:
    response = org.client("viewer").get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_the_inbox_shows_a_page_at_a_time_and_keeps_the_filters_in_its_links(org: Org) -> None:
    org.store.upsert(
        "ideas",
        org.id,
        [{"id": f"I-P{n:03d}", "text": f"Paged idea {n}", "status": "triaged"} for n in range(230)],
    )
    total = org.store.count("ideas", org.id)
    triaged = sum(1 for row in org.store.rows("ideas", org.id) if row["status"] == "triaged")
    client = org.client("viewer")
    first = client.get("/ideas").text
    assert f"Ideas 1–100 of {total:,}" in first and first.count("<tr><td>") == 100
    last_page = -(-total // 100)
    assert f"Page 1 of {last_page}" in first and f'href="/ideas?page={last_page}"' in first
    filtered = client.get("/ideas?status=triaged&page=3").text
    assert f"Ideas 201–{triaged} of {triaged:,}" in filtered
    assert filtered.count("<tr><td>") == triaged - 200
    assert 'href="/ideas?page=2&amp;status=triaged" rel="prev"' in filtered  # the filter stays
    # Every idea of the view appears exactly once across its pages.
    seen = []
    for number in range(1, 4):
        page = client.get(f"/ideas?status=triaged&page={number}").text
        seen += [cell.split("</td>")[0] for cell in page.split("<tr><td>")[1:]]
    assert len(seen) == len(set(seen)) == triaged
    past = client.get("/ideas?status=triaged&page=9").text
    assert "Page 9 is past the end" in past and f"{triaged:,} ideas on 3 pages" in past


def test_a_bad_inbox_page_number_is_refused_by_name(org: Org) -> None:
    client = org.client("viewer")
    for bad in ("0", "-2", "two", "1.5"):
        response = client.get(f"/ideas?page={bad}")
        assert response.status_code in (400, 422), bad
        assert "page must be a whole number from 1 on" in response.text
