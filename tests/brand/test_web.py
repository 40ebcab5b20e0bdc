"""Brand, principles and line-of-sight through the REST API and the pages, as a user meets them."""

from __future__ import annotations

import pytest

CHEAP_AD = "Cheap fridges, fast! Don't bother with repairs: we crush your old one."


def test_api_check_flags_a_contradiction(demo) -> None:
    response = demo.client("viewer").post("/api/v1/brand/check", json={"text": CHEAP_AD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["tier"] == "off" and body["contradictions"]
    assert set(body["attributes"]) >= {"Reliability", "Care for the planet"}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "empty"),
        ({"text": "x" * 1_048_576}, "at most 100,000"),
        ({"text": CHEAP_AD, "attributes": ["Glamour"]}, "unknown brand attribute 'Glamour'"),
    ],
)
def test_api_check_refuses_bad_input_clearly(demo, body, fragment) -> None:
    response = demo.client("viewer").post("/api/v1/brand/check", json=body)
    assert response.status_code == 422
    assert fragment in response.json()["error"]["message"]


def test_api_check_needs_a_signed_in_user(demo) -> None:
    assert demo.client().post("/api/v1/brand/check", json={"text": CHEAP_AD}).status_code == 401


def test_uploaded_file_must_be_utf8(demo) -> None:
    client = demo.client("contributor")
    bad = client.post("/api/v1/brand/check/file", files={"file": ("ad.txt", "Günstig!".encode("latin-1"))})
    assert bad.status_code == 422 and "not UTF-8" in bad.json()["error"]["message"]
    good = client.post("/api/v1/brand/check/file", files={"file": ("ad.txt", CHEAP_AD.encode())})
    assert good.status_code == 200 and good.json()["contradictions"]


def test_only_strategists_edit_attributes_and_principles(fresh_demo) -> None:
    body = {"attributes": [{"name": "Reliability", "source_phrase": "made to last"}]}
    assert fresh_demo.client("viewer").put("/api/v1/brand/attributes", json=body).status_code == 403
    response = fresh_demo.client("strategist").put("/api/v1/brand/attributes", json=body)
    assert response.status_code == 200 and response.json()[0]["source_phrase"] == "made to last"
    principles = {"principles": [{"id": "P1", "text": "We never trade safety for cost.", "owner": "nobody"}]}
    refused = fresh_demo.client("strategist").put("/api/v1/principles", json=principles)
    assert refused.status_code == 422 and "nobody" in refused.json()["error"]["message"]


def test_created_records_carry_principle_flags(fresh_demo) -> None:
    client = fresh_demo.client("strategist")
    goal = {
        "id": "G-FAST",
        "text": "Skip the safety inspection of new compressors to save costs.",
        "level": 1,
    }
    response = client.post("/api/v1/goals", json=goal)
    assert response.status_code == 201, response.text
    flags = response.json()["principle_flags"]
    assert flags and flags[0]["principle"] == "P1" and "inspection" in flags[0]["sentence"]
    fine = {"id": "M99", "text": "Our fridges keep food fresh for families.", "voice": "internal"}
    created = client.post("/api/v1/communications", json=fine)
    assert created.status_code == 201 and created.json()["principle_flags"] == []
    idea = client.post(
        "/api/v1/ideas", json={"id": "I999", "text": "Scrap broken fridges instead of repairing them."}
    )
    assert idea.status_code == 201 and [f["principle"] for f in idea.json()["principle_flags"]] == ["P2"]


def test_pre_publication_page_shows_verdict_and_contradiction(demo) -> None:
    client = demo.client("contributor")
    page = client.get("/brand/check")
    assert page.status_code == 200 and 'name="text"' in page.text
    response = client.post(
        "/brand/check", data={"text": CHEAP_AD, "csrf_token": client.headers["X-CSRF-Token"]}
    )
    assert response.status_code == 200
    assert 'id="contradictions"' in response.text and "Cheap fridges, fast!" in response.text
    empty = client.post("/brand/check", data={"text": " ", "csrf_token": client.headers["X-CSRF-Token"]})
    assert empty.status_code == 422 and "empty" in empty.text


def test_brand_pages_render_for_a_viewer(demo) -> None:
    client = demo.client("viewer")
    brand = client.get("/brand")
    assert brand.status_code == 200 and "as little electricity as possible" in brand.text
    assert "/brand/attributes" not in brand.text  # no edit form for a viewer
    image = client.get("/brand/image")
    assert (
        image.status_code == 200 and 'data-chart="image-by-month-spec"' in image.text and "M23" in image.text
    )
    principles = client.get("/principles")
    assert principles.status_code == 200 and "We repair before we replace." in principles.text
    assert 'id="flags"' in principles.text and "M16" in principles.text
    analysis = client.get("/mission/analysis")
    assert analysis.status_code == 200 and "missing" in analysis.text and "Version 1" in analysis.text


def test_strategist_edits_principles_through_the_form(fresh_demo) -> None:
    client = fresh_demo.client("strategist")
    page = client.get("/principles")
    assert 'action="/principles"' in page.text
    form = {
        "csrf_token": client.headers["X-CSRF-Token"],
        "id-0": "P1",
        "text-0": "We never sell customer data.",
        "rationale-0": "Trust.",
        "owner-0": "p02",
        "id-1": "",
        "text-1": "",
        "rationale-1": "",
        "owner-1": "",
    }
    response = client.post("/principles", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert [p["text"] for p in fresh_demo.store.mission(fresh_demo.org)["principles"]] == [
        "We never sell customer data."
    ]


def test_person_and_unit_pages_show_line_of_sight(demo) -> None:
    client = demo.client("viewer")
    person = client.get("/people/p06")
    assert person.status_code == 200 and 'id="goal-lines"' in person.text and 'id="skills"' in person.text
    assert "↑" in person.text
    p05 = client.get("/api/v1/people/p05/line-of-sight").json()
    assert "I030" in {i["id"] for i in p05["accepted_ideas"]} and p05["skills"]
    unit = client.get("/units/U-RD")
    assert unit.status_code == 200 and "Research &amp; Development" in unit.text and "↑" in unit.text
    api = client.get("/api/v1/units/U-RD/line-of-sight").json()
    assert api["goals"] and any(line["reaches_objective"] for line in api["goals"])
    assert client.get("/people/nobody").status_code == 404
    assert client.get("/api/v1/units/U-NONE/line-of-sight").status_code == 404


def test_check_page_reads_an_uploaded_file_and_refuses_non_utf8(demo) -> None:
    client = demo.client("viewer")
    form = {"text": "", "csrf_token": client.headers["X-CSRF-Token"]}
    good = client.post("/brand/check", data=form, files={"file": ("ad.txt", CHEAP_AD.encode())})
    assert good.status_code == 200 and 'id="contradictions"' in good.text
    bad = client.post("/brand/check", data=form, files={"file": ("ad.txt", b"\xff\xfe caf\xe9")})
    assert bad.status_code == 422 and "not UTF-8" in bad.text


def test_strategist_adds_and_removes_principle_examples_through_the_form(fresh_demo) -> None:
    client = fresh_demo.client("strategist")
    base = {
        "csrf_token": client.headers["X-CSRF-Token"],
        "id-0": "P1",
        "text-0": "We never trade safety for cost.",
    }
    added = {
        **base,
        "example-0-0-text": "Skip the second test to ship on time",
        "example-0-0-stance": "contradicts",
        "example-0-1-text": "Add a second inspector",
        "example-0-1-stance": "supports",
    }
    assert client.post("/principles", data=added, follow_redirects=False).status_code == 303
    page = client.get("/principles")
    assert "Skip the second test to ship on time" in page.text and 'name="example-0-2-text"' in page.text
    removed = {**added, "example-0-0-remove": "1"}
    assert client.post("/principles", data=removed, follow_redirects=False).status_code == 303
    stored = fresh_demo.store.mission(fresh_demo.org)["principles"][0]["examples"]
    assert stored == [{"text": "Add a second inspector", "stance": "supports"}]
    wrong = {**base, "example-0-0-text": "Skip it", "example-0-0-stance": "maybe"}
    refused = client.post("/principles", data=wrong, follow_redirects=False)
    assert refused.status_code == 422 and "example 1: unknown stance" in refused.text
    assert fresh_demo.store.mission(fresh_demo.org)["principles"][0]["examples"] == stored
    # The form comes back with the message and what was typed, so nothing has to be typed again.
    assert 'id="principles-error"' in refused.text and 'value="Skip it"' in refused.text


def test_the_analysis_page_says_why_a_component_was_found_by_meaning() -> None:
    """A component the learned layer added (MiniLM only) carries its reason; the page shows it
    under the quoted clause, and a component the rules found shows no reason line."""
    from hoshin.api.rendering import templates

    components = {
        "products": {
            "present": True,
            "evidence": "Fast, affordable crossings",
            "why": "By meaning, not by a rule: the clause reads as an offer (93% sure).",
        },
        "customers": {"present": True, "evidence": "islanders"},
        "markets": {"present": False, "evidence": None},
    }
    analysis = {
        "version": 1,
        "created_at": "2026-12-08T05:00:00",
        "created_by": "ana",
        "text": "Fast, affordable crossings for islanders.",
        "components": components,
        "focus_areas": [],
        "exclusions": [],
        "specificity": 0.5,
        "specificity_words": {"generic": []},
        "themes": [],
        "suggestions": [],
    }
    html = templates.get_template("brand/analysis.html").render(
        {"analyses": [analysis], "total": 1, "request": None}
    )
    assert html.count('class="why"') == 1 and "By meaning, not by a rule" in html
