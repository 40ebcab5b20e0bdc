"""The board report draws users' texts as they are: a `$` in a unit name is not matplotlib math."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hoshin.embedding import HashingEmbedder
from hoshin.service.corridor import store_aligner
from hoshin.service.dashboard import refresh_verdicts
from hoshin.service.report import write_report

ODD_NAMES = {"U-RD": "Research $\\nope$ budget", "U-SALES": "Sales $x^$"}


def test_dollar_signs_in_unit_names_do_not_break_the_report(org: Any, tmp_path: Path) -> None:
    org.store.upsert("units", org.id, [{"id": key, "name": name} for key, name in ODD_NAMES.items()])
    refresh_verdicts(org.store, org.id, store_aligner(org.store, HashingEmbedder()))
    html = write_report(org.store, org.id, tmp_path / "board.html").read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') >= 1  # the charts were drawn
    for name in ODD_NAMES.values():
        assert name in html  # and the table beside them names the unit as written
