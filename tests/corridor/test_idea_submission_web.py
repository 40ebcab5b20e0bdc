"""Submitting an idea on the web: the form is at the top of the inbox, the id may be left empty,
the idea is dated, and the page shown next carries its verdict (tier, score, theme, why)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from api.support import csrf_of


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
