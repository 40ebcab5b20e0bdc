"""The dashboard page, its CSV downloads, report downloads and buttons, through the real app."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hoshin.app import create_app
from hoshin.service.dashboard import Filters, build_dashboard
from support import _HASH, PASSWORD, csrf_of, login

ORG = "frostline"


@pytest.fixture
def app(demo_url: str) -> Any:
    return create_app(demo_url)


def _client(app: Any, user: str, password: str) -> TestClient:
    client = TestClient(app)
    login(client, user, password)
    return client


def test_viewer_sees_scores_heatmap_corridor_and_issues(app: Any, demo: Any) -> None:
    page = _client(app, "viewer", "demo-viewer").get("/")
    assert page.status_code == 200
    html = page.text
    data = build_dashboard(demo, ORG)
    assert f"{data['overall']['score']:.2f}" in html
    for theme in data["heatmap"]["themes"]:
        assert f'data-theme="{theme}"' in html
    cells = re.findall(r'data-goals="(\d+)" data-ideas="(\d+)"', html)
    assert len(cells) == len(data["units"]) * len(data["heatmap"]["themes"])
    assert sum(int(g) for g, _ in cells) == sum(
        c["goals"] for r in data["heatmap"]["rows"] for c in r["cells"]
    )
    assert 'href="/knowledge#K-MOTOR"' in html
    for chart in ("units-chart", "trend-chart", "corridor-chart"):
        assert f'data-chart="{chart}-spec"' in html
    for name in ("units", "heatmap", "corridor", "issues"):
        assert f'href="/dashboard/{name}.csv"' in html
    # A viewer sees no scoring or demo buttons.
    assert 'action="/dashboard/refresh"' not in html and 'action="/dashboard/demo"' not in html


def test_filters_carry_into_downloads_and_bad_filters_are_refused(app: Any) -> None:
    client = _client(app, "viewer", "demo-viewer")
    html = client.get("/?unit=U-SAL&start=2026-01-01").text
    assert 'href="/dashboard/report.pdf?unit=U-SAL&amp;start=2026-01-01"' in html
    assert 'data-unit="U-MFG"' not in html and 'data-unit="U-SVC"' in html
    assert client.get("/?start=2026-02-30").status_code == 422
    assert client.get("/?start=soon").status_code == 422
    assert client.get("/?unit=U-NOPE").status_code == 404


def test_csv_download_is_the_table_behind_the_chart(app: Any, demo: Any) -> None:
    client = _client(app, "viewer", "demo-viewer")
    response = client.get("/dashboard/corridor.csv?start=2026-01-01&end=2026-02-28")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0] == "month,core,adjacent,off" and [row.split(",")[0] for row in lines[1:]] == [
        "2026-01",
        "2026-02",
    ]
    assert client.get("/dashboard/secrets.csv").status_code == 422
    api = client.get("/api/v1/dashboard/tables/issues")
    assert api.status_code == 200 and "K-REFSAFE" in api.text


def test_json_api_gives_the_same_numbers(app: Any, demo: Any) -> None:
    body = _client(app, "viewer", "demo-viewer").get("/api/v1/dashboard?unit=U-RD").json()
    as_of = body.pop("as_of")  # when the numbers were read: now, give or take the test's run
    assert abs((datetime.now(UTC) - datetime.fromisoformat(as_of)).total_seconds()) < 120
    assert body == build_dashboard(demo, ORG, Filters(unit="U-RD"))


def test_dashboard_needs_a_signed_in_user(app: Any) -> None:
    anonymous = TestClient(app)
    assert anonymous.get("/api/v1/dashboard").status_code == 401
    assert anonymous.get("/dashboard/units.csv", follow_redirects=False).status_code in (303, 307, 401)


def test_report_opens_in_the_browser_as_html_and_pdf(app: Any) -> None:
    client = _client(app, "viewer", "demo-viewer")
    html = client.get("/dashboard/report.html?unit=U-RD")
    assert html.status_code == 200 and "Research &amp; Development and the units below it" in html.text
    assert '<img src="data:image/png;base64,' in html.text
    assert html.headers["content-disposition"] == 'inline; filename="frostline-board-report.html"'
    pdf = client.get("/dashboard/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"] == 'inline; filename="frostline-board-report.pdf"'
    assert client.get("/dashboard/report.docx").status_code == 422


def test_refresh_button_needs_a_strategist_and_the_csrf_token(app: Any) -> None:
    strategist = _client(app, "strategist", "demo-strategist")
    assert strategist.post("/dashboard/refresh", follow_redirects=False).status_code == 403  # no token
    token = csrf_of(strategist.get("/").text)
    done = strategist.post("/dashboard/refresh", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/?done=scored"
    viewer = _client(app, "viewer", "demo-viewer")
    token = csrf_of(viewer.get("/").text)
    assert viewer.post("/dashboard/refresh", data={"csrf_token": token}).status_code == 403


def test_empty_organisation_offers_the_demo_to_admins_only(org: Any) -> None:
    empty = "empty-" + org.tag
    org.store.create_organisation(empty, "Empty Ltd")
    users = [
        {"username": f"{role}-e-{org.tag}", "role": role, "password_hash": _HASH}
        for role in ("admin", "viewer")
    ]
    org.store.upsert("users", empty, [{**u, "active": True} for u in users])
    viewer = _client(org.app, f"viewer-e-{org.tag}", PASSWORD).get("/").text
    assert "Nothing here yet" in viewer and "Load the demo organisation" not in viewer
    admin = _client(org.app, f"admin-e-{org.tag}", PASSWORD)
    page = admin.get("/").text
    assert "Load the demo organisation" in page
    loaded = admin.post("/dashboard/demo", data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert loaded.status_code == 303
    after = admin.get("/?done=demo").text
    assert "The demo organisation is loaded." in after and 'id="heatmap"' in after
    # A second click finds records and refuses instead of mixing two organisations.
    again = admin.post("/dashboard/demo", data={"csrf_token": csrf_of(after)})
    assert again.status_code == 409
