"""The mission comparison (/mission/analysis) shows what changed between versions, also when a
version changed only the corridor (focus areas, exclusions) and not the statement."""

from __future__ import annotations

import re


def test_a_corridor_only_change_shows_in_the_comparison(fresh_demo) -> None:
    store, org = fresh_demo.store, fresh_demo.org
    current = store.mission(org)
    store.add_mission_version(
        org,
        current["text"],
        focus_areas=[*current["focus_areas"], "Door seals that last twenty years"],
        exclusions=["Smart-home gadgets"],
        created_by="tests",
    )
    page = fresh_demo.client("viewer").get("/mission/analysis")
    assert page.status_code == 200
    table = page.text[page.text.index('<table id="analysis">') :]
    newest, older = _cells(table, "Focus areas")
    assert "Door seals that last twenty years" in newest and "Door seals" not in older
    newest, older = _cells(table, "Exclusions")
    assert newest == "Smart-home gadgets" and older != newest


def _cells(table: str, row: str) -> list[str]:
    """The row's cells, newest version first."""
    line = table[table.index(f"{row}</th>") :].split("</tr>")[0]
    return re.findall(r"<td>(.*?)</td>", line)
