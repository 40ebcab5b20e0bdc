"""The corridor on the HTML pages: verdicts and filters on /ideas, overrides, the mission corridor editor."""

from __future__ import annotations

from typing import Any

from corridor.support import state
from hoshin.domain.mission import THEME_RULES_VERSION
from hoshin.service.corridor import score_ideas
from support import csrf_of


def test_ideas_page_shows_verdicts_filters_and_override_form(org: Any, aligner: Any) -> None:
    score_ideas(org.store, org.id, aligner)
    verdict = {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}["I-1"]
    page = org.client("unit_manager").get("/ideas").text
    assert verdict["why"].replace("'", "&#39;") in page
    assert f"{verdict['score']:.2f}" in page and 'name="tier"' in page
    assert 'action="/ideas/I-1/override"' in page  # their unit
    assert 'action="/ideas/I-2/override"' not in page  # not their unit
    filtered = org.client("viewer").get("/ideas?unit=U-SALES").text
    assert "I-2" in filtered and "A sensor that warns" not in filtered
    assert "/override" not in filtered  # viewers may not override
    assert org.client("viewer").get("/ideas?tier=great").status_code == 422


def test_override_form_saves_with_csrf_and_refuses_without(org: Any) -> None:
    client = org.client("strategist")
    token = csrf_of(client.get("/ideas").text)
    before = state(org)
    forged = client.post("/ideas/I-2/override", data={"tier": "core", "reason": "r"}, follow_redirects=False)
    assert forged.status_code == 403 and state(org) == before
    empty = client.post("/ideas/I-2/override", data={"tier": "core", "reason": " ", "csrf_token": token})
    assert empty.status_code == 422 and state(org) == before
    done = client.post(
        "/ideas/I-2/override",
        data={"tier": "core", "reason": "service keeps fridges running", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = client.get("/ideas").text
    assert "service keeps fridges running" in page
    assert org.store.get("ideas", org.id, "I-2")["override_tier"] == "core"


def test_web_form_idea_gets_a_verdict(org: Any) -> None:
    client = org.client("contributor")
    token = csrf_of(client.get("/ideas").text)
    response = client.post(
        "/ideas",
        data={"id": "I-8", "text": "Door gaskets you can swap at home", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert [v["record_id"] for v in org.store.verdicts(org.id, "idea")] == ["I-8"]


def test_mission_page_previews_then_saves_the_corridor(org: Any) -> None:
    client = org.client("strategist")
    page = client.get("/mission").text
    assert "Themes" in page and "refrigerators" in page and 'action="/mission/corridor"' in page
    # The parts the mission's product draws in are listed with their source.
    assert "<strong>compressors</strong>" in page and "HS 2022 8414.30" in page
    token = csrf_of(page)
    before = state(org)
    focus = org.store.get("ideas", org.id, "I-2")["text"]
    preview = client.post(
        "/mission/corridor",
        data={"focus_areas": focus + "\n\n", "exclusions": "", "action": "preview", "csrf_token": token},
    )
    assert preview.status_code == 200 and "1 idea would change tier" in preview.text
    assert state(org) == before
    saved = client.post(
        "/mission/corridor",
        data={"focus_areas": focus, "exclusions": "sport", "action": "save", "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    mission = org.store.mission(org.id)
    assert (
        mission["version"] == 2 and mission["focus_areas"] == [focus] and mission["exclusions"] == ["sport"]
    )
    assert {v["mission_version"] for v in org.store.verdicts(org.id, "idea")} == {2}
    # The saved version's themes are the engine's: the page says under which rules.
    assert mission["theme_rules"] == THEME_RULES_VERSION
    assert f"Themes derived under theme rules {THEME_RULES_VERSION}." in client.get("/mission").text


def test_viewers_see_the_mission_but_cannot_edit_the_corridor(org: Any) -> None:
    client = org.client("viewer")
    page = client.get("/mission").text
    assert "Themes" in page and 'action="/mission/corridor"' not in page
    before = state(org)
    response = client.post(
        "/mission/corridor", data={"focus_areas": "x", "action": "save", "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 403 and state(org) == before
