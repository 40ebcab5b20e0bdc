"""Submitting an idea on the web: the form is at the top of the inbox, the id may be left empty,
the idea is dated, and the page shown next carries its verdict (tier, score, theme, why)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner
from hoshin.service.duplicates import similar_ideas
from support import csrf_of


def _submit(client: Any, **fields: str) -> Any:
    token = csrf_of(client.get("/ideas").text)
    return client.post("/ideas", data={**fields, "csrf_token": token}, follow_redirects=False)


def test_the_verdict_shows_right_after_submission(org: Any) -> None:
    client = org.client("contributor")
    sent = _submit(client, id="I-WEB", text="A door seal that keeps food cold for longer", unit_id="U-RD")
    assert sent.status_code == 303
    page = client.get(sent.headers["location"]).text
    verdict = {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}["I-WEB"]
    start = page.index("Idea I-WEB submitted")
    notice = html.unescape(page[start : page.index("</section>", start)])
    assert f">{verdict['tier']}</span>" in notice and f"{verdict['score']:.2f}" in notice
    assert verdict["why"] in notice and verdict["theme"] in notice


def test_an_empty_id_gets_the_next_free_one_and_the_idea_is_dated(org: Any) -> None:
    client = org.client("contributor")
    sent = _submit(client, id="", text="Solar-powered cool box for market traders")
    assert sent.status_code == 303, sent.text
    new_id = sent.headers["location"].split("created=")[1]
    idea = org.store.get("ideas", org.id, new_id)
    assert idea["text"] == "Solar-powered cool box for market traders"
    assert new_id == "I003"  # two ideas were stored before
    assert idea["submitted_at"] == dt.datetime.now(dt.UTC).date().isoformat()
    again = _submit(client, text="A second idea without an id")
    assert again.headers["location"].split("created=")[1] == "I004"


def test_the_form_comes_before_the_inbox_table(org: Any) -> None:
    page = org.client("contributor").get("/ideas").text
    assert 'action="/ideas"' in page and "<table" in page
    assert page.index('action="/ideas"') < page.index("<table")
    id_field = re.search(r'<input id="f-id"[^>]*>', page)
    assert id_field and "required" not in id_field.group(0)  # the id may be left empty


def _twin_list(page: str) -> str:
    start = page.index("Nearest ideas already stored")
    return html.unescape(page[start : page.index("</ul>", start)])


def test_the_notice_names_the_nearest_stored_twins(org: Any) -> None:
    client = org.client("unit_manager")  # of U-RD: may edit I-1 there, not I-2 of U-SALES
    text = "A sensor that warns before a compressor fails, sent to the service van"
    sent = _submit(client, id="I-NEAR", text=text, unit_id="U-RD")
    page = client.get(sent.headers["location"]).text
    twins = _twin_list(page)
    expected = similar_ideas(org.store, org.id, store_aligner(org.store, HashingEmbedder()), text, 3)
    shown = [t for t in expected if t["id"] != "I-NEAR"]
    assert [t["id"] for t in shown] == ["I-1", "I-2"]  # only two others are stored; best first
    assert twins.index("I-1") < twins.index("I-2") and "I-NEAR" not in twins
    for twin in shown:
        assert f"similarity {twin['score']:.2f}" in twins and twin["text"] in twins
    # Each links to the idea: its edit page where the user may edit it, else its record.
    assert 'href="/ideas/I-1/edit"' in page
    assert 'href="/api/v1/ideas/I-2"' in page


def test_at_most_three_twins_are_shown(org: Any) -> None:
    client = org.client("contributor")
    for n in range(4):
        _submit(client, id=f"I-C{n}", text=f"Compressor sensor warning number {n}", unit_id="U-RD")
    last = _submit(client, id="I-LAST", text="Compressor sensor warning", unit_id="U-RD")
    page = client.get(last.headers["location"]).text
    assert len(re.findall(r"\(similarity \d\.\d\d", _twin_list(page))) == 3


def test_no_twin_list_without_a_submission(org: Any) -> None:
    assert "Nearest ideas already stored" not in org.client("contributor").get("/ideas").text
