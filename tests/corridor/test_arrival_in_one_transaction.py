"""A submitted idea and its verdict are written in one transaction when the kept corridor state can
judge the idea before its write (service/editing.submit_idea, service/corridor.judge_arrivals): the
verdict is the one scoring after the write gives, and every case the kept state cannot serve is
scored after the write, as before. SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from corridor.test_arrival_scoring import MISSION, latest, with_scored_ideas
from hoshin.errors import ConflictError, InputError
from hoshin.service import editing
from hoshin.service.auth import Principal
from hoshin.service.corridor import judge_arrivals, score_new_ideas
from hoshin.service.missions import save_mission


@pytest.fixture
def scored(org: Any, aligner: Any) -> Any:
    """60 ideas scored in one full pass: a kept corridor state serves arrivals."""
    return with_scored_ideas(org, aligner)


def contributor(org: Any) -> Principal:
    return Principal(username="contributor", role="contributor", organisation_id=org.id)


@contextmanager
def writes_by_transaction(store: Any) -> Iterator[list[set[str]]]:
    """For each transaction the store commits meanwhile, which of ideas and verdicts it inserted
    into (vector cache writes and the like are left out)."""
    committed: list[set[str]] = []
    pending: set[str] = set()

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        for table in ("ideas", "verdicts"):
            if sql.lstrip().upper().startswith(f"INSERT INTO {table.upper()} "):
                pending.add(table)

    def commit(_conn: Any) -> None:
        if pending:
            committed.append(set(pending))
            pending.clear()

    event.listen(store._writer, "before_cursor_execute", statement)
    event.listen(store._writer, "commit", commit)
    try:
        yield committed
    finally:
        event.remove(store._writer, "before_cursor_execute", statement)
        event.remove(store._writer, "commit", commit)


def verdicts_of(org: Any, idea_id: str) -> list[dict[str, Any]]:
    return [v for v in org.store.verdicts(org.id, "idea") if v["record_id"] == idea_id]


def test_a_judged_arrival_commits_once_with_the_verdict_scoring_after_the_write_gives(
    scored: Any, aligner: Any
) -> None:
    org = scored
    mission = org.store.mission(org.id)
    values = {"id": "NEW-1", "text": "Quieten the compressor at night"}
    with writes_by_transaction(org.store) as writes:
        editing.submit_idea(org.store, contributor(org), values, aligner, mission)
    assert writes == [{"ideas", "verdicts"}]  # the idea and its verdict commit together
    [judged] = verdicts_of(org, "NEW-1")
    # The same idea scored the old way, after its write, by the same kept state.
    org.store.upsert("ideas", org.id, [{"id": "NEW-2", "text": values["text"]}])
    assert score_new_ideas(org.store, org.id, ["NEW-2"], aligner, mission=mission) == 1
    after = latest(org, "NEW-2")
    assert (judged["tier"], judged["theme"], judged["why"]) == (after["tier"], after["theme"], after["why"])
    assert judged["score"] == pytest.approx(after["score"], abs=1e-9)
    assert judged["mission_version"] == mission["version"]


def test_a_text_changed_by_validation_is_scored_after_its_write_on_the_stored_text(
    scored: Any, aligner: Any
) -> None:
    org = scored
    values = {"id": "NEW-1", "text": "  Quieten the compressor at night  "}  # stored stripped
    with writes_by_transaction(org.store) as writes:
        editing.submit_idea(org.store, contributor(org), values, aligner, org.store.mission(org.id))
    assert writes == [{"ideas"}, {"verdicts"}]  # the idea first, then its verdict
    assert org.store.get("ideas", org.id, "NEW-1")["text"] == "Quieten the compressor at night"
    assert len(verdicts_of(org, "NEW-1")) == 1  # one verdict, for the text stored


def test_without_a_kept_state_the_idea_is_stored_then_scored(org: Any, aligner: Any) -> None:
    save_mission(org.store, org.id, MISSION, ["door seals"], [], "ana", aligner)
    mission = org.store.mission(org.id)
    values = {"id": "NEW-1", "text": "Recycle the door seals"}
    assert judge_arrivals(org.store, org.id, aligner, [values], mission) is None  # small, never passed
    with writes_by_transaction(org.store) as writes:
        editing.submit_idea(org.store, contributor(org), values, aligner, mission)
    assert writes[0] == {"ideas"} and {"verdicts"} in writes[1:]
    assert len(verdicts_of(org, "NEW-1")) == 1


def test_without_a_mission_the_idea_is_stored_without_a_verdict(org: Any, aligner: Any) -> None:
    values = {"id": "NEW-1", "text": "Recycle the door seals"}
    editing.submit_idea(org.store, contributor(org), values, aligner, None)
    assert org.store.get("ideas", org.id, "NEW-1")["text"] == values["text"]
    assert verdicts_of(org, "NEW-1") == []


def test_a_refused_arrival_stores_neither_idea_nor_verdict(scored: Any, aligner: Any) -> None:
    org = scored
    mission = org.store.mission(org.id)
    before = len(org.store.verdicts(org.id, "idea"))
    taken = {"id": "A-000", "text": "Quieten the compressor at night"}  # an id already stored
    with pytest.raises(ConflictError, match="already exists"):
        editing.submit_idea(org.store, contributor(org), taken, aligner, mission)
    unknown_author = {"id": "NEW-9", "text": "Quieten the compressor", "author_id": "nobody"}
    with pytest.raises(InputError, match="nobody"):
        editing.submit_idea(org.store, contributor(org), unknown_author, aligner, mission)
    assert "NEW-9" not in org.store.keys("ideas", org.id)
    assert len(org.store.verdicts(org.id, "idea")) == before
