"""An import killed after its commit leaves its ideas stored without verdicts; running it again
("0 created, N updated") scores every idea of the file that has no verdict for the current mission,
not only new or changed texts (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hoshin.service.importing import import_file


def _ideas_file(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "ideas.csv"
    lines = [f"I-{n:03d},Door gasket idea number {n} that keeps the cold in" for n in range(count)]
    path.write_text("id,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _scored(org: Any) -> set[str]:
    return {v["record_id"] for v in org.store.verdicts(org.id, "idea")}


def test_a_rerun_scores_the_ideas_a_killed_import_left_without_verdicts(org: Any, tmp_path: Path) -> None:
    path = _ideas_file(tmp_path, 20)
    # The state a kill after the commit leaves: the ideas stored, none of them scored.
    org.store.upsert(
        "ideas",
        org.id,
        [
            {"id": f"I-{n:03d}", "text": f"Door gasket idea number {n} that keeps the cold in"}
            for n in range(20)
        ],
    )
    wanted = {f"I-{n:03d}" for n in range(20)}
    assert not wanted & _scored(org)
    result = import_file(org.store, org.id, "ideas", path, "test")
    assert (result.created, result.updated) == (0, 20)
    assert wanted <= _scored(org)
    # Ideas that already hold a verdict for this mission are not scored again.
    before = len(org.store.verdicts(org.id, "idea", latest_only=False))
    import_file(org.store, org.id, "ideas", path, "test")
    assert len(org.store.verdicts(org.id, "idea", latest_only=False)) == before


def test_a_rerun_also_scores_ideas_whose_verdict_is_for_an_older_mission(org: Any, tmp_path: Path) -> None:
    path = _ideas_file(tmp_path, 3)
    import_file(org.store, org.id, "ideas", path, "test")
    old = org.store.mission(org.id)["version"]
    # A new mission version saved while its re-score never ran (killed): the verdicts are stale.
    org.store.add_mission_version(org.id, "To keep food fresh for longer.", created_by="test")
    import_file(org.store, org.id, "ideas", path, "test")
    newest = {v["record_id"]: v["mission_version"] for v in org.store.verdicts(org.id, "idea")}
    assert {newest[f"I-{n:03d}"] for n in range(3)} == {old + 1}
