"""The dashboard service on the demo organisation: verdicts filled once, numbers checked against the
stored records and verdicts, filters, and the demo loader for an empty organisation."""

from __future__ import annotations

from typing import Any

import pytest

from hoshin.embedding import HashingEmbedder
from hoshin.errors import ConflictError, InputError, NotFoundError
from hoshin.service.corridor import store_aligner
from hoshin.service.dashboard import (
    Filters,
    build_dashboard,
    load_demo_records,
    missing_verdicts,
    refresh_verdicts,
    table_csv,
)

ORG = "frostline"


def _latest(repo: Any, kind: str) -> dict[str, dict[str, Any]]:
    return {v["record_id"]: v for v in repo.verdicts(ORG, kind)}


def test_refresh_fills_every_missing_verdict_once(demo: Any) -> None:
    assert missing_verdicts(demo, ORG) == {"goals": 0, "knowledge_areas": 0, "communications": 0}
    assert set(_latest(demo, "goal")) == demo.keys("goals", ORG)
    assert set(_latest(demo, "knowledge_area")) == demo.keys("knowledge_areas", ORG)
    before = len(demo.verdicts(ORG, latest_only=False))
    again = refresh_verdicts(demo, ORG, store_aligner(demo, HashingEmbedder()))
    assert again == {"goals": 0, "knowledge_areas": 0, "communications": 0}
    assert len(demo.verdicts(ORG, latest_only=False)) == before  # cached: nothing scored twice


def test_a_new_mission_version_makes_goal_verdicts_missing_again(tmp_path: Any) -> None:
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    with open_store(f"sqlite:///{tmp_path / 'h.sqlite3'}") as repo:
        aligner = store_aligner(repo, HashingEmbedder())
        load_demo(repo, None, "tests")
        refresh_verdicts(repo, ORG, aligner)
        repo.add_mission_version(ORG, "We build quiet heat pumps for schools.")
        missing = missing_verdicts(repo, ORG)
        assert missing["goals"] == repo.count("goals", ORG) and missing["knowledge_areas"] == 22
        assert refresh_verdicts(repo, ORG, aligner)["goals"] == repo.count("goals", ORG)


def test_heatmap_counts_match_the_stored_goal_and_idea_verdicts(demo: Any) -> None:
    data = build_dashboard(demo, ORG)
    themes = data["heatmap"]["themes"]
    assert themes and len(data["heatmap"]["rows"]) == demo.count("units", ORG)
    for kind, table in (("goal", "goals"), ("idea", "ideas")):
        unit_of = {r["id"]: r["unit_id"] for r in demo.rows(table, ORG)}
        ideas = {r["id"]: r for r in demo.rows("ideas", ORG)}
        expected: dict[tuple[str, str], int] = {}
        for rid, v in _latest(demo, kind).items():
            tier = (ideas[rid].get("override_tier") if kind == "idea" else None) or v["tier"]
            if tier != "off" and v["theme"] in themes and unit_of[rid]:
                expected[(unit_of[rid], v["theme"])] = expected.get((unit_of[rid], v["theme"]), 0) + 1
        shown = {
            (row["unit_id"], theme): cell[table]
            for row in data["heatmap"]["rows"]
            for theme, cell in zip(themes, row["cells"], strict=True)
            if cell[table]
        }
        assert shown == expected


def test_issues_name_the_planted_single_points_of_failure_and_off_goals(demo: Any) -> None:
    issues = build_dashboard(demo, ORG)["issues"]
    spof = {i["record_id"]: i for i in issues if i["kind"] == "knowledge single point of failure"}
    assert {"K-MOTOR", "K-REFSAFE"} <= set(spof)
    assert spof["K-MOTOR"]["href"] == "/knowledge#K-MOTOR"
    # Every off-tier goal verdict is listed, worst first, each linking to its edit page.
    off = {g for g, v in _latest(demo, "goal").items() if v["tier"] == "off"}
    listed = [i for i in issues if i["kind"] == "off-mission goal"]
    assert {i["record_id"] for i in listed} == off
    assert all(i["href"] == f"/goals/{i['record_id']}/edit" for i in listed)
    # Brand issues come from the cached principle checks and link to the brand page.
    brand_off = {c for c, v in _latest(demo, "brand").items() if v["tier"] == "off"}
    assert {i["record_id"] for i in issues if i["kind"] == "brand contradiction"} == brand_off


def test_unit_filter_keeps_the_unit_and_the_units_below_it(demo: Any) -> None:
    data = build_dashboard(demo, ORG, Filters(unit="U-SAL"))
    assert [u["id"] for u in data["units"]] == ["U-SAL", "U-SVC"]
    assert data["counts"]["goals"] == sum(g["unit_id"] in ("U-SAL", "U-SVC") for g in demo.rows("goals", ORG))
    assert not [i for i in data["issues"] if i["kind"] == "brand contradiction"]
    with pytest.raises(NotFoundError):
        build_dashboard(demo, ORG, Filters(unit="U-NOPE"))


def test_date_range_bounds_the_ideas(demo: Any) -> None:
    data = build_dashboard(demo, ORG, Filters(start="2026-01-01", end="2026-03-31"))
    months = [row[0] for row in data["corridor"]]
    assert months == ["2026-01", "2026-02", "2026-03"]
    in_range = [
        i for i in demo.rows("ideas", ORG) if "2026-01-01" <= (i["submitted_at"] or "") <= "2026-03-31"
    ]
    assert data["counts"]["ideas"] == len(in_range) == sum(sum(r[1:]) for r in data["corridor"])


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13-01", None, "not a date"),
        ("yesterday", None, "not a date"),
        ("2026-05-01", "2026-04-01", "after"),
    ],
)
def test_bad_dates_are_refused_with_a_message(start: str, end: str | None, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Filters(start=start, end=end)


def test_csv_tables_have_a_header_and_one_row_per_item(demo: Any) -> None:
    data = build_dashboard(demo, ORG)
    lines = table_csv(data, "units").splitlines()
    assert lines[0].startswith("unit,name,alignment score") and len(lines) == 1 + len(data["units"])
    heat = table_csv(data, "heatmap").splitlines()
    assert len(heat) == 1 + len(data["units"]) * len(data["heatmap"]["themes"])
    with pytest.raises(InputError, match="unknown table"):
        table_csv(data, "passwords")


def test_an_empty_organisation_has_no_scores_and_no_issues(org: Any) -> None:
    org.store.create_organisation("empty-" + org.tag, "Empty Ltd")
    data = build_dashboard(org.store, "empty-" + org.tag)
    assert data["mission"] is None and data["overall"]["score"] is None
    assert data["issues"] == [] and data["heatmap"]["rows"] == []


def test_load_demo_records_into_an_empty_organisation_and_refuse_a_full_one(org: Any) -> None:
    aligner = store_aligner(org.store, HashingEmbedder())
    target = "new-" + org.tag
    org.store.create_organisation(target, "New Ltd")
    created = load_demo_records(org.store, target, "admin", aligner)
    assert created["goals"] == 40 and created["ideas"] == 151 and "users" not in created
    assert missing_verdicts(org.store, target) == {"goals": 0, "knowledge_areas": 0, "communications": 0}
    assert build_dashboard(org.store, target)["overall"]["score"] is not None
    with pytest.raises(ConflictError, match="already holds records"):
        load_demo_records(org.store, org.id, "admin", aligner)
