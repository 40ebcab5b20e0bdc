"""Similar ideas, duplicate groups, merge and undo through the service functions."""

from __future__ import annotations

from typing import Any

import pytest

import hoshin.service.duplicates as duplicates
from corridor.twins import TWIN, add_twins, state
from hoshin.errors import InputError, NotFoundError
from hoshin.service.duplicates import find_duplicate_groups, merge_ideas, similar_ideas, unmerge_ideas


def test_similar_ideas_put_the_twin_first_and_save_nothing(org: Any, aligner: Any) -> None:
    add_twins(org)
    before = state(org)
    found = similar_ideas(org.store, org.id, aligner, TWIN.replace("hall", "halls"), k=3)
    assert [f["id"] for f in found[:2]] == ["I-3", "I-4"] and found[0]["twin"]
    assert found[0]["score"] >= found[1]["score"] >= found[2]["score"]
    assert not found[-1]["twin"]  # the other ideas share hardly a word
    assert state(org) == before


@pytest.mark.parametrize(
    ("text", "k", "message"),
    [
        ("", 5, "empty"),
        ("   \n ", 5, "empty"),
        ("x" * 20_001, 5, "limit"),
        ("Caf\ufffd bar for the canteen", 5, "UTF-8"),
        (b"bytes are not text", 5, "string"),
        ("a fine idea", 0, "k must"),
        ("a fine idea", 51, "k must"),
    ],
)
def test_similar_refuses_bad_input(org: Any, aligner: Any, text: Any, k: int, message: str) -> None:
    before = state(org)
    with pytest.raises(InputError, match=message):
        similar_ideas(org.store, org.id, aligner, text, k=k)
    assert state(org) == before


def test_duplicate_groups_find_the_twins_only(org: Any, aligner: Any) -> None:
    add_twins(org)
    groups = find_duplicate_groups(org.store, org.id, aligner, threshold=0.8)
    assert [g["ids"] for g in groups] == [["I-3", "I-4"]]
    assert groups[0]["similarity"] >= 0.8 and not groups[0]["merged"]
    assert find_duplicate_groups(org.store, org.id, aligner, threshold=1.0) == []
    for bad in (0, -0.5, 1.5, "high"):
        with pytest.raises(InputError, match="threshold"):
            find_duplicate_groups(org.store, org.id, aligner, threshold=bad)


def test_merge_keeps_every_tag_and_link_and_undo_takes_back_only_what_it_added(org: Any) -> None:
    add_twins(org)
    result = merge_ideas(org.store, org.id, "I-3", ["I-4"], "alice")
    assert result == {"group": "I-3", "ids": ["I-3", "I-4"], "added_tags": ["energy"], "added_links": ["G-1"]}
    primary, twin = org.store.get("ideas", org.id, "I-3"), org.store.get("ideas", org.id, "I-4")
    assert primary["tags"] == ["solar", "energy"] and primary["links"] == ["G-RD", "G-1"]
    assert twin["tags"] == ["energy", "solar"]  # the twin keeps its own
    assert primary["duplicate_group"] == twin["duplicate_group"] == "I-3"
    assert org.store.audit_events(org.id)[-1]["action"] == "idea.merge"
    # A tag added after the merge is not the merge's to take back.
    org.store.upsert("ideas", org.id, [{"id": "I-3", "tags": ["solar", "energy", "roof"]}])
    assert unmerge_ideas(org.store, org.id, "I-3", "bob") == {"group": "I-3", "ids": ["I-3", "I-4"]}
    primary, twin = org.store.get("ideas", org.id, "I-3"), org.store.get("ideas", org.id, "I-4")
    assert primary["tags"] == ["solar", "roof"] and primary["links"] == ["G-RD"]
    assert primary["duplicate_group"] is None and twin["duplicate_group"] is None
    with pytest.raises(NotFoundError, match="no merge"):
        unmerge_ideas(org.store, org.id, "I-3", "bob")  # nothing left to undo


def test_a_second_merge_is_undone_before_the_first(org: Any) -> None:
    add_twins(org)
    merge_ideas(org.store, org.id, "I-3", ["I-4"], "alice")
    merge_ideas(org.store, org.id, "I-3", ["I-1"], "alice")
    unmerge_ideas(org.store, org.id, "I-3", "bob")
    assert org.store.get("ideas", org.id, "I-1")["duplicate_group"] is None
    assert org.store.get("ideas", org.id, "I-4")["duplicate_group"] == "I-3"


@pytest.mark.parametrize(
    ("primary", "twins", "error"),
    [
        ("I-3", [], InputError),
        ("I-3", ["I-3"], InputError),
        ("I-3", "I-4", InputError),
        ("I-3", ["I-404"], NotFoundError),
        ("I-404", ["I-3"], NotFoundError),
    ],
)
def test_bad_merges_change_nothing(org: Any, primary: str, twins: Any, error: type) -> None:
    add_twins(org)
    before = state(org)
    with pytest.raises(error):
        merge_ideas(org.store, org.id, primary, twins, "alice")
    assert state(org) == before


def test_the_kept_index_follows_added_edited_and_deleted_ideas(org: Any, aligner: Any) -> None:
    add_twins(org)
    query = TWIN.replace("hall", "halls")
    assert similar_ideas(org.store, org.id, aligner, query, k=1)[0]["id"] in {"I-3", "I-4"}
    kept = duplicates._kept[aligner][(org.store.url, org.id)]
    similar_ideas(org.store, org.id, aligner, "Another question entirely", k=1)
    again = duplicates._kept[aligner][(org.store.url, org.id)]
    assert again.base is kept.base and again.recent is kept.recent  # nothing changed: reused
    misses = aligner.embedder.misses
    org.store.upsert("ideas", org.id, [{"id": "I-NEW", "text": "Solar panels on the warehouse roof"}])
    found = similar_ideas(org.store, org.id, aligner, "Solar panels on the warehouse roofs", k=1)
    assert found[0]["id"] == "I-NEW" and found[0]["text"] == "Solar panels on the warehouse roof"
    assert aligner.embedder.misses == misses + 2  # the new idea and the query, nothing else again
    org.store.upsert("ideas", org.id, [{"id": "I-NEW", "text": "A rooftop beehive for the canteen honey"}])
    found = similar_ideas(org.store, org.id, aligner, "Solar panels on the warehouse roofs", k=5)
    assert all(f["text"] != "Solar panels on the warehouse roof" for f in found)  # the edit counts
    org.store.delete("ideas", org.id, "I-3")
    assert "I-3" not in {f["id"] for f in similar_ideas(org.store, org.id, aligner, query, k=5)}


def kept_index(org: Any, aligner: Any) -> Any:
    return duplicates._kept[aligner][(org.store.url, org.id)]


def test_writes_since_the_full_read_are_followed_without_reading_every_idea(org: Any, aligner: Any) -> None:
    add_twins(org)
    similar_ideas(org.store, org.id, aligner, TWIN, k=1)
    base = kept_index(org, aligner).base
    org.store.upsert("ideas", org.id, [{"id": "I-NEW", "text": "Solar panels on the warehouse roof"}])
    org.store.upsert("ideas", org.id, [{"id": "I-4", "status": "triaged"}])  # the text stays
    org.store.upsert("ideas", org.id, [{"id": "I-3", "text": "A rooftop beehive for the canteen honey"}])
    found = similar_ideas(org.store, org.id, aligner, TWIN, k=50)
    kept = kept_index(org, aligner)
    assert kept.base is base  # followed, not rebuilt
    assert set(kept.recent_texts) == {"I-NEW", "I-3"} and kept.superseded == {"I-3"}
    by_id = {f["id"]: f for f in found}
    assert found[0]["id"] == "I-4" and found[0]["twin"]
    assert by_id["I-3"]["text"] == "A rooftop beehive for the canteen honey" and not by_id["I-3"]["twin"]
    assert len(found) == len(set(by_id)) == org.store.count("ideas", org.id)  # no idea twice
    scores = [f["score"] for f in found]
    assert scores == sorted(scores, reverse=True)


def test_a_delete_or_too_many_writes_read_everything_again(
    org: Any, aligner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_twins(org)
    similar_ideas(org.store, org.id, aligner, TWIN, k=1)
    base = kept_index(org, aligner).base
    org.store.delete("ideas", org.id, "I-4")
    assert [f["id"] for f in similar_ideas(org.store, org.id, aligner, TWIN, k=1)] == ["I-3"]
    assert kept_index(org, aligner).base is not base
    monkeypatch.setattr(duplicates, "_RECENT_AT_MOST", 2)
    base = kept_index(org, aligner).base
    org.store.upsert(
        "ideas", org.id, [{"id": f"I-X{n}", "text": f"Idea number {n} about pumps"} for n in range(3)]
    )
    found = similar_ideas(org.store, org.id, aligner, "Idea number 2 about pumps", k=1)
    assert found[0]["id"] == "I-X2"
    kept = kept_index(org, aligner)
    assert kept.base is not base and not kept.recent_texts and "I-X2" in kept.rows


def test_writes_through_another_store_are_seen(org: Any, aligner: Any) -> None:
    """Another server process on the same database: the change mark lives in the database."""
    from hoshin.service.verdict_reasons import open_store

    add_twins(org)
    similar_ideas(org.store, org.id, aligner, TWIN, k=1)
    with open_store(org.store.url) as other:
        other.upsert("ideas", org.id, [{"id": "I-ELSE", "text": "Heat pump for the paint shop"}])
    assert similar_ideas(org.store, org.id, aligner, "Heat pump for the paint shop", k=1)[0]["id"] == "I-ELSE"
