"""An idea stored before the organisation has a mission gets no verdict and no warning; any other
failure to score it is logged (service/corridor.py, `score_new_ideas`)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest


def _org_without_mission(store: Any) -> str:
    org_id = f"org-bare-{uuid.uuid4().hex[:8]}"
    store.create_organisation(org_id, "No mission yet")
    store.upsert("ideas", org_id, [{"id": "I-1", "text": "Share the test bench between labs"}])
    return org_id


@pytest.mark.parametrize("with_aligner", [True, False])
def test_no_mission_means_no_verdict_and_no_warning(
    org: Any, aligner: Any, with_aligner: bool, caplog: pytest.LogCaptureFixture
) -> None:
    from hoshin.service.corridor import score_new_ideas

    bare = _org_without_mission(org.store)
    with caplog.at_level(logging.WARNING, logger="hoshin.service.corridor"):
        stored = score_new_ideas(org.store, bare, ["I-1"], aligner if with_aligner else None)
    assert stored == 0
    assert org.store.verdicts(bare, "idea") == []
    assert caplog.records == []


def test_an_unknown_idea_is_logged_not_raised(
    org: Any, aligner: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from hoshin.service.corridor import score_new_ideas

    with caplog.at_level(logging.WARNING, logger="hoshin.service.corridor"):
        stored = score_new_ideas(org.store, org.id, ["NO-SUCH-IDEA"], aligner)
    assert stored == 0
    assert [r.getMessage() for r in caplog.records] == [
        "ideas stored without a verdict (no idea 'NO-SUCH-IDEA' in "
        f"{org.id!r}); run `hoshin corridor rescore`"
    ]


def test_with_a_mission_the_arrival_is_scored_once(org: Any, aligner: Any) -> None:
    from hoshin.service.corridor import score_new_ideas

    assert score_new_ideas(org.store, org.id, ["I-1"], aligner) == 1
    verdicts = [v for v in org.store.verdicts(org.id, "idea") if v["record_id"] == "I-1"]
    assert len(verdicts) == 1 and verdicts[0]["mission_version"] == 1
