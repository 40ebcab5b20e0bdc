"""A page of the idea inbox is the same slice of the same list a full read gives, `why` included,
whatever mix of verdict rows and re-score batches the ideas carry; a page writes only its own
sentences, so it stays cheap at a million ideas."""

from __future__ import annotations

from typing import Any

import pytest

from corridor.test_rescore_batch import MISSION, seed
from hoshin.errors import InputError, NotFoundError
from hoshin.service.corridor import TIER_NAMES, list_inbox, override_tier, score_ideas
from hoshin.service.missions import save_mission
from hoshin.store import verdict_batches

FILTERS: list[dict[str, str]] = [
    {},
    {"tier": "core"},
    {"tier": "adjacent"},
    {"tier": "off"},
    {"status": "triaged"},
    {"unit": "U-RD"},
    {"unit": "U-SALES", "tier": "off"},
]
PAGES = [(0, 0), (0, 1), (0, 7), (5, 10), (3, 1_000), (59, 10), (200, 5)]


def inbox_as_it_was(store: Any, org_id: str, **filters: str) -> list[dict[str, Any]]:
    """The inbox read the long way: every idea whole, every newest verdict with its sentence."""
    verdicts = {v["record_id"]: v for v in store.verdicts(org_id, "idea")}
    units = set(store.unit_subtree(org_id, filters["unit"])) if "unit" in filters else None
    rows = []
    for idea in store.rows("ideas", org_id):
        verdict = verdicts.get(idea["id"])
        row = dict(idea)
        for name in ("score", "tier", "theme", "why", "mission_version", "decided_by_example", "example_id"):
            row[name] = verdict[name] if verdict else None
        row["effective_tier"] = idea.get("override_tier") or row["tier"]
        if "tier" in filters and row["effective_tier"] != filters["tier"]:
            continue
        if "theme" in filters and (row["theme"] or "").casefold() != filters["theme"].strip().casefold():
            continue
        if "status" in filters and row["status"] != filters["status"]:
            continue
        if units is not None and row.get("unit_id") not in units:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0.0), r["id"]))
    return rows


def mixed_history(org: Any, aligner: Any) -> list[str]:
    """Ideas whose newest verdicts come from every source there is: a verdict row older than two
    re-score batches, rows newer than the last batch, overrides, units, tags, statuses, and ideas
    that have no verdict at all."""
    ids = seed(org, aligner)
    score_ideas(org.store, org.id, aligner, ids[:5])  # rows, then a batch over them
    score_ideas(org.store, org.id, aligner)
    save_mission(org.store, org.id, MISSION, ["ice makers"], ["coffee"], "test", aligner)
    score_ideas(org.store, org.id, aligner)  # a second batch, newer than the first
    org.store.upsert(
        "ideas",
        org.id,
        [
            {"id": ids[7], "text": "Quieten the compressor", "unit_id": "U-RD-LAB", "tags": ["noise"]},
            {"id": ids[8], "text": "Price the door seals per metre", "unit_id": "U-SALES"},
            {"id": ids[9], "text": "Ship the shelves flat", "status": "triaged"},
            {"id": "Z-NEW", "text": "Paint the fleet vans in mission colours", "unit_id": "U-RD"},
        ],
    )
    score_ideas(org.store, org.id, aligner, [ids[7], ids[8], "Z-NEW"])  # rows newer than the batch
    unscored = [{"id": f"W-{i}", "text": f"Waiting for a verdict {i}", "unit_id": "U-RD"} for i in range(3)]
    org.store.upsert("ideas", org.id, unscored)  # stored straight, as an import before a mission
    for idea_id, tier in ((ids[1], "core"), (ids[2], "off"), (ids[8], "adjacent")):
        override_tier(org.store, org.id, idea_id, tier, "the reviewers know this one", "rev")
    return ids


def test_every_page_is_the_slice_of_the_full_read(org: Any, aligner: Any) -> None:
    mixed_history(org, aligner)
    themes = {v["theme"] for v in org.store.verdicts(org.id, "idea") if v["theme"]}
    cases = FILTERS + [{"theme": f"  {theme.upper()} "} for theme in sorted(themes)[:2]]
    for filters in cases:
        want = inbox_as_it_was(org.store, org.id, **filters)
        assert list_inbox(org.store, org.id, **filters) == want, filters
        for offset, limit in PAGES:
            page = list_inbox(org.store, org.id, **filters, limit=limit, offset=offset)
            assert page == want[offset : offset + limit], (filters, offset, limit)
    whole = inbox_as_it_was(org.store, org.id)
    assert any(r["why"] for r in whole) and any(r["score"] is None for r in whole)
    assert any(r["override_tier"] for r in whole) and any(r["tags"] for r in whole)


def test_pages_walk_the_inbox_without_gaps_or_repeats(org: Any, aligner: Any) -> None:
    mixed_history(org, aligner)
    walked: list[dict[str, Any]] = []
    while page := list_inbox(org.store, org.id, limit=9, offset=len(walked)):
        walked.extend(page)
    assert walked == list_inbox(org.store, org.id)


def test_a_page_writes_only_its_own_sentences(org: Any, aligner: Any) -> None:
    ids = seed(org, aligner, n=80)
    score_ideas(org.store, org.id, aligner)
    page = list_inbox(org.store, org.id, limit=5, offset=10)
    assert len(page) == 5 and all(row["why"] for row in page)
    mine = [b for key, b in verdict_batches._decoded.items() if key[1] == org.id]
    assert len(mine) == 1 and len(mine[0]) == len(ids) + 2  # the fixture's two ideas too
    # Not one sentence for each of the 82 ideas: only the page's, less those kept whole with the
    # batch (an idea naming a compressor, core by the HS entry, carries its sentence already).
    kept = [r for r in page if mine[0].position(r["id"]) in mine[0].whys]
    assert len(mine[0]._built) == 5 - len(kept)


def test_newest_verdicts_equal_the_newest_of_all_verdicts(org: Any, aligner: Any) -> None:
    ids = mixed_history(org, aligner)
    everything = {v["record_id"]: v for v in org.store.verdicts(org.id, "idea")}
    asked = [ids[0], ids[7], ids[8], ids[30], "Z-NEW", "I-1", "W-1", "NO-SUCH-IDEA", ids[0]]
    got = org.store.newest_verdicts(org.id, "idea", asked)
    assert got == {i: everything[i] for i in asked if i in everything}
    assert "W-0" not in org.store.newest_verdicts(org.id, "idea", ["W-0"])  # never scored
    assert "NO-SUCH-IDEA" not in got
    assert org.store.newest_verdicts(org.id, "idea", []) == {}
    summaries = org.store.verdict_summaries(org.id, ["idea"])["idea"]
    assert org.store.newest_scores(org.id, "idea") == {
        i: (v["score"], v["tier"], v["theme"]) for i, v in summaries.items()
    }


def test_an_override_returns_its_row_as_the_inbox_shows_it(org: Any, aligner: Any) -> None:
    ids = mixed_history(org, aligner)
    row = override_tier(org.store, org.id, ids[20], "core", "strategic bet", "rev")
    assert row == next(r for r in inbox_as_it_was(org.store, org.id) if r["id"] == ids[20])
    assert row["effective_tier"] == "core" and row["why"]


@pytest.mark.parametrize(
    ("filters", "error"),
    [
        ({"offset": -1}, InputError),
        ({"limit": -5}, InputError),
        ({"limit": 2.5}, InputError),
        ({"offset": True}, InputError),
        ({"tier": "great"}, InputError),
        ({"status": "dreaming"}, InputError),
        ({"unit": "U-NOPE", "limit": 10}, NotFoundError),
    ],
)
def test_bad_pages_and_filters_are_refused(org: Any, filters: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        list_inbox(org.store, org.id, **filters)


def test_the_api_pages_the_same_list(org: Any, aligner: Any) -> None:
    mixed_history(org, aligner)
    client = org.client("viewer", how="token")
    whole = client.get("/api/v1/ideas?limit=1000").json()
    assert [r["id"] for r in whole] == [r["id"] for r in inbox_as_it_was(org.store, org.id)]
    assert len(client.get("/api/v1/ideas").json()) == min(100, len(whole))
    for offset, limit in ((0, 1), (4, 11), (60, 50), (500, 3)):
        page = client.get(f"/api/v1/ideas?limit={limit}&offset={offset}").json()
        assert page == whole[offset : offset + limit], (offset, limit)
    for tier in TIER_NAMES:
        page = client.get(f"/api/v1/ideas?tier={tier}&limit=3&offset=1").json()
        assert page == [r for r in whole if r["effective_tier"] == tier][1:4], tier
    assert client.get("/api/v1/ideas?offset=-1").status_code == 422
    assert client.get("/api/v1/ideas?limit=0").status_code == 422
