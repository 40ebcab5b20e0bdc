"""The corridor views: chart page, duplicates page with merge/undo forms, exports carrying filters."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from typing import Any

from corridor.twins import add_twins
from hoshin.service.corridor import score_ideas
from support import csrf_of


def _scored(org: Any, aligner: Any) -> None:
    add_twins(org)
    org.store.upsert("ideas", org.id, [{"id": "I-1", "submitted_at": "2025-03-02"}])
    org.store.upsert("ideas", org.id, [{"id": "I-3", "submitted_at": "2025-04-11"}])
    score_ideas(org.store, org.id, aligner)


def test_chart_page_draws_points_bands_and_counts_with_data_tables(org: Any, aligner: Any) -> None:
    _scored(org, aligner)
    page = org.client("viewer").get("/ideas/chart")
    assert page.status_code == 200, page.text
    html = page.text
    assert 'data-chart="corridor-spec"' in html and 'data-chart="theme-counts-spec"' in html
    assert "band: core (0.70 and above)" in html and '"type": "scatter"' in html
    table = html.split('id="corridor-table"')[1].split("</table>")[0]
    assert all(f"<td>{i}</td>" in table for i in ("I-1", "I-2", "I-3", "I-4"))
    counts = html.split('id="theme-counts-table"')[1].split("</table>")[0]
    assert "<td>2025-03</td>" in counts and "<td>2025-04</td>" in counts
    assert "/api/v1/ideas/export?view=themes&amp;format=xlsx" in html


def test_chart_filters_narrow_the_points_and_the_export_link(org: Any, aligner: Any) -> None:
    _scored(org, aligner)
    client = org.client("viewer")
    html = client.get("/ideas/chart?unit=U-SALES").text
    table = html.split('id="corridor-table"')[1].split("</table>")[0]
    assert "<td>I-2</td>" in table and "<td>I-1</td>" not in table
    link = re.search(r'href="(/api/v1/ideas/export\?view=inbox&amp;format=csv[^"]*)"', html).group(1)
    rows = list(csv.DictReader(io.StringIO(client.get(link.replace("&amp;", "&")).text)))
    assert [r["id"] for r in rows] == ["I-2"]
    assert client.get("/ideas/chart?tier=great").status_code == 422


def test_exports_of_each_view(org: Any, aligner: Any) -> None:
    _scored(org, aligner)
    client = org.client("viewer", how="token")
    inbox = client.get("/api/v1/ideas/export?format=csv")
    assert inbox.status_code == 200 and "attachment" in inbox.headers["content-disposition"]
    assert {r["id"] for r in csv.DictReader(io.StringIO(inbox.text))} == {"I-1", "I-2", "I-3", "I-4"}
    themes = client.get("/api/v1/ideas/export?view=themes&format=csv").text
    assert list(csv.DictReader(io.StringIO(themes)))[0].keys() == {"month", "theme", "ideas"}
    dupes = client.get("/api/v1/ideas/export?view=duplicates&format=csv&threshold=0.8").text
    assert {r["id"] for r in csv.DictReader(io.StringIO(dupes))} == {"I-3", "I-4"}
    xlsx = client.get("/api/v1/ideas/export?view=inbox&format=xlsx&tier=off")
    assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(xlsx.content))
    assert client.get("/api/v1/ideas/export?format=pdf").status_code == 422
    assert client.get("/api/v1/ideas/export?view=secret").status_code == 422
    assert org.client().get("/api/v1/ideas/export").status_code == 401


def test_duplicates_page_merges_and_undoes_with_csrf(org: Any) -> None:
    add_twins(org)
    client = org.client("strategist")
    page = client.get("/ideas/duplicates?threshold=0.8")
    assert page.status_code == 200 and "Group 1: I-3, I-4" in page.text
    form = {"primary": "I-4", "ids": ["I-3", "I-4"], "csrf_token": csrf_of(page.text)}
    refused = client.post("/ideas/duplicates/merge", data={**form, "csrf_token": "forged"})
    assert refused.status_code == 403 and org.store.get("ideas", org.id, "I-3")["duplicate_group"] is None
    done = client.post("/ideas/duplicates/merge", data=form, follow_redirects=False)
    assert done.status_code == 303 and org.store.get("ideas", org.id, "I-3")["duplicate_group"] == "I-4"
    page = client.get("/ideas/duplicates?threshold=0.8&merged=I-4").text
    assert "already merged" in page and "Undo merge" in page
    undo = client.post("/ideas/duplicates/unmerge", data={"group": "I-4", "csrf_token": csrf_of(page)})
    assert undo.status_code == 200 and org.store.get("ideas", org.id, "I-3")["duplicate_group"] is None
    assert client.get("/ideas/duplicates?threshold=abc").status_code == 422


def test_viewers_see_groups_but_no_merge_form(org: Any) -> None:
    add_twins(org)
    html = org.client("viewer").get("/ideas/duplicates?threshold=0.8").text
    assert "Group 1: I-3, I-4" in html and "/ideas/duplicates/merge" not in html


def test_ideas_page_links_the_views_and_offers_the_similar_box(org: Any) -> None:
    html = org.client("contributor").get("/ideas?unit=U-RD").text
    assert 'href="/ideas/chart"' in html and 'href="/ideas/duplicates"' in html
    assert "/api/v1/ideas/export?view=inbox&amp;format=csv&amp;unit=U-RD" in html
    assert 'id="similar-ideas"' in html and "/api/v1/ideas/similar" in html
