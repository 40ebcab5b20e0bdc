"""The /knowledge pages, in process: each view shows the planted cases and its forms change data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from knowledge.support import ORG, csrf, signed_in, snapshot, write_hr


def test_needs_page_lists_areas_with_reasons_and_a_viewer_gets_no_form(app: Any) -> None:
    page = signed_in(app, "viewer", "demo-viewer").get("/knowledge")
    assert page.status_code == 200
    assert 'id="need-K-LCA"' in page.text and "proposed" in page.text
    assert 'action="/knowledge/needs"' in page.text and 'name="confirm"' not in page.text


def test_strategist_confirms_a_proposed_area_with_a_weight(app: Any, store: Any) -> None:
    client = signed_in(app, "strategist", "demo-strategist")
    page = client.get("/knowledge", params={"limit": 3}).text
    proposed = re.findall(r'name="name-(K-\d+)" value="([^"]*)"', page)
    assert proposed
    area_id, _name = proposed[0]
    form = {"csrf_token": csrf(client, "/knowledge"), "confirm": [area_id, "K-LCA"]}
    form |= {f"weight-{area_id}": "1.4", "weight-K-LCA": "2", f"name-{area_id}": _name}
    form |= {f"origin-{area_id}": "catalogue"}
    response = client.post("/knowledge/needs", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/knowledge?saved=2"
    assert store.get("knowledge_areas", ORG, area_id)["weight"] == 1.4
    assert store.get("knowledge_areas", ORG, "K-LCA")["weight"] == 2


def test_a_bad_weight_is_an_error_page_and_changes_nothing(app: Any, store: Any) -> None:
    client = signed_in(app, "strategist", "demo-strategist")
    before = snapshot(store)
    form = {"csrf_token": csrf(client, "/knowledge"), "confirm": ["K-LCA"], "weight-K-LCA": "heavy"}
    response = client.post("/knowledge/needs", data=form)
    assert response.status_code == 422 and "not a number" in response.text
    assert snapshot(store) == before


def test_coverage_page_draws_the_heatmap_and_flags_the_planted_gaps(app: Any) -> None:
    page = signed_in(app, "viewer", "demo-viewer").get("/knowledge/coverage")
    assert page.status_code == 200
    spec = json.loads(re.search(r'id="coverage-heatmap-spec">(.*?)</script>', page.text, re.S).group(1))
    assert spec["type"] == "bubble" and spec["options"]["scales"]["y"]["labels"][0] == "K-LCA"
    nobody = next(d for d in spec["data"]["datasets"] if d["label"] == "held by nobody")
    assert [p["y"] for p in nobody["data"]] == ["K-LCA"]
    spof = re.search(r'id="spof">(.*?)</section>', page.text, re.S).group(1)
    assert "K-MOTOR" in spof and "K-REFSAFE" in spof and "K-ACOUST" not in spof
    assert 'id="gap-K-LCA"' in page.text and "hire" in page.text


def test_hr_upload_preview_then_corrected_save(app: Any, store: Any, tmp_path: Path) -> None:
    client = signed_in(app, "admin", "demo-admin")
    token = csrf(client, "/knowledge/skills")
    before = snapshot(store)
    hr = write_hr(tmp_path / "hr.csv", ["p06,,brushless motor windings,,3", "p07,,motor drives,,2"])
    with hr.open("rb") as fh:
        preview = client.post(
            "/knowledge/skills/preview", data={"csrf_token": token}, files={"file": ("hr.csv", fh)}
        )
    assert preview.status_code == 200 and 'id="mapping"' in preview.text
    assert "brushless" in preview.text and snapshot(store) == before  # a preview stores nothing
    fields = dict(
        re.findall(r'name="((?:person_id|level|text|unit_id|count)[-\d]*)" value="([^"]*)"', preview.text)
    )
    form = {**fields, "csrf_token": token, "area_id-0": "K-MOTOR", "area_id-1": "K-ACOUST", "skip-1": "1"}
    saved = client.post("/knowledge/skills/apply", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/knowledge/coverage?skills=1"
    assert store.get("skills", ORG, ("p06", "K-MOTOR"))["level"] == 3
    assert ("p07", "K-ACOUST") not in store.keys("skills", ORG)


def test_a_bad_hr_file_shows_the_row_and_a_strategist_may_not_import(app: Any, tmp_path: Path) -> None:
    admin = signed_in(app, "admin", "demo-admin")
    hr = write_hr(tmp_path / "hr.csv", ["p06,,motor,,9"])
    with hr.open("rb") as fh:
        page = admin.post(
            "/knowledge/skills/preview", data={"csrf_token": csrf(admin)}, files={"file": ("hr.csv", fh)}
        )
    assert page.status_code == 422 and "row 2" in page.text and "out of range" in page.text
    strategist = signed_in(app, "strategist", "demo-strategist")
    assert 'action="/knowledge/skills/preview"' not in strategist.get("/knowledge/skills").text
    with hr.open("rb") as fh:
        refused = strategist.post(
            "/knowledge/skills/preview", data={"csrf_token": csrf(strategist)}, files={"file": ("hr.csv", fh)}
        )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("name", "body", "status"),
    [("guide.md", b"# Motor winding\n\nbrushless motor", 303), ("x.pdf", b"%PDF", 422)],
)
def test_document_upload(app: Any, store: Any, name: str, body: bytes, status: int) -> None:
    client = signed_in(app, "strategist", "demo-strategist")
    page = client.get("/knowledge/documents").text
    assert "K-MOTOR" in re.search(r'id="undocumented">(.*?)</section>', page, re.S).group(1)
    response = client.post(
        "/knowledge/documents",
        data={"csrf_token": csrf(client), "area_ids": ""},
        files={"file": (name, body)},
        follow_redirects=False,
    )
    assert response.status_code == status, response.text
    if status == 303:
        doc = store.get("documents", ORG, "D-motor-winding")
        assert doc["title"] == "Motor winding" and "K-MOTOR" in doc["area_ids"]
        after = client.get("/knowledge/documents").text
        assert "K-MOTOR" not in re.search(r'id="undocumented">(.*?)</section>', after, re.S).group(1)


def test_an_organisation_without_mission_or_areas_gets_next_steps(tmp_path: Path) -> None:
    from hoshin.app import create_app
    from hoshin.service.verdict_reasons import open_store
    from hoshin.store import hash_password
    from knowledge.support import SECRET

    repo = open_store(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    repo.create_organisation("empty", "Empty Ltd")
    repo.upsert(
        "users", "empty", [{"username": "boss", "role": "admin", "password_hash": hash_password("pw-123456")}]
    )
    app = create_app(repo.url, secret=SECRET)
    client = signed_in(app, "boss", "pw-123456")
    needs = client.get("/knowledge")
    assert needs.status_code == 200 and "save a mission" in needs.text
    coverage = client.get("/knowledge/coverage")
    assert coverage.status_code == 200 and "confirm the" in coverage.text
    assert "No documents yet" in client.get("/knowledge/documents").text
    api = client.get("/api/v1/knowledge/needs")
    assert api.status_code == 404 and "no mission" in api.text
    app.state.store.close()
    repo.close()


def test_skills_page_lists_the_stored_skills_with_area_level_and_reason(app: Any, store: Any) -> None:
    """Issue 24, item 7: the page listed nothing until an HR file was uploaded."""
    page = signed_in(app, "viewer", "demo-viewer").get("/knowledge/skills")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="skill-([^"]+)">(.*?)</tr>', page.text, re.S)
    assert len(rows) == len(store.rows("skills", ORG))
    row = dict(rows)["p02-K-ENERGY"]
    assert "Elena Marković" in row and "EU label/ecodesign regulation" in row
    assert "EU energy labelling and ecodesign" in row and "<td>3</td>" in row
    assert "shares &#39;label&#39;, &#39;ecodesign&#39;" in row  # the reason names the shared words
    no_text = dict(rows)["p01-K-SUPPLY"]
    assert "no free text" in no_text
