"""OKR tool exports (CSV, XLSX) imported as goals: both shapes, loose column names, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hoshin.errors import InputError, RowError
from hoshin.service.okr_import import import_okr_file, okr_records


def _csv(tmp_path: Path, text: str, name: str = "okrs.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _goals(org: Any) -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in org.store.rows("goals", org.id)}


def test_flat_export_makes_objectives_and_key_results(org: Any, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Objective,Key Result,Owner,Team,Quarter,Start value,Target value,Current value\n"
        "Grow service revenue,Sign 20 service contracts,Ana,Sales,Q1 2027,0,20,5\n"
        "Grow service revenue,Renew 90% of contracts,p01,U-SALES,Q1 2027,70%,90%,80%\n",
    )
    result = import_okr_file(org.store, org.id, path, "tester")
    assert (result.created, result.updated) == (3, 0)
    goals = _goals(org)
    objective = next(g for g in goals.values() if g["text"] == "Grow service revenue")
    assert objective["level"] == 1 and objective["unit_id"] == "U-SALES" and objective["parent_ids"] == []
    krs = [g for g in goals.values() if objective["id"] in g["parent_ids"]]
    assert sorted(k["text"] for k in krs) == ["Renew 90% of contracts", "Sign 20 service contracts"]
    sign = next(k for k in krs if k["text"].startswith("Sign"))
    assert (sign["level"], sign["owner_id"], sign["period"]) == (2, "p01", "Q1 2027")
    assert (sign["start"], sign["target"], sign["current"]) == (0, 20, 5)
    renew = next(k for k in krs if k["text"].startswith("Renew"))
    assert renew["target"] == 90  # the percent sign is dropped


def test_importing_the_same_export_again_updates_instead_of_duplicating(org: Any, tmp_path: Path) -> None:
    path = _csv(tmp_path, "Objective,Key Result\nGrow service revenue,Sign 20 service contracts\n")
    import_okr_file(org.store, org.id, path, "tester")
    again = import_okr_file(org.store, org.id, path, "tester")
    assert (again.created, again.updated) == (0, 2)
    assert len(_goals(org)) == 5


def test_row_per_item_export_with_titles_as_parents_under_stored_goals(org: Any, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "ID,Title,Type,Aligned to,Department\n"
        "T-1,Cut service visits,Objective,Halve field failures,Sales\n"
        "T-1-1,Fix 95% of faults on the first visit,Key Result,Cut service visits,Sales\n",
    )
    import_okr_file(org.store, org.id, path, "tester")
    goals = _goals(org)
    assert goals["T-1"]["parent_ids"] == ["G-1"] and goals["T-1"]["level"] == 2
    assert goals["T-1-1"]["parent_ids"] == ["T-1"] and goals["T-1-1"]["level"] == 3


def test_xlsx_exports_are_read_too(org: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Objective", "KR", "Team"])
    sheet.append(["Quieter fridges", "Below 35 dB on every new model", "U-RD"])
    path = tmp_path / "okrs.xlsx"
    book.save(path)
    _, rows = okr_records(org.store, org.id, path)
    assert [r["text"] for _, r in rows] == ["Quieter fridges", "Below 35 dB on every new model"]
    assert all(r["unit_id"] == "U-RD" for _, r in rows)


@pytest.mark.parametrize(
    ("text", "row", "field", "problem"),
    [
        ("Objective,Key Result,Team\nGrow,Sign,Marketing\n", 2, "team", "no unit"),
        ("Objective,Key Result,Owner\nGrow,Sign,Nobody Known\n", 2, "owner", "no person"),
        (
            "Title,Type,Parent\nA,Objective,\nB,Key Result,Z missing\n",
            3,
            "parent",
            "neither the id nor the title",
        ),
        ("Title,Type\nA,Initiative\n", 2, "type", "neither an objective"),
        ("Title,Type\n,Objective\n", 2, "title", "empty"),
        ("ID,Title,Parent\nA,One,C\nB,Two,A\nC,Three,B\n", 2, "parent", "circle"),
        ("ID,Title,Parent\nA,One,\nB,Two,A\nC,Three,B\nD,Four,C\n", 5, "parent", "levels deep"),
    ],
)
def test_bad_exports_name_row_and_column_and_write_nothing(
    org: Any, tmp_path: Path, text: str, row: int, field: str, problem: str
) -> None:
    before = _goals(org)
    with pytest.raises(RowError) as caught:
        import_okr_file(org.store, org.id, _csv(tmp_path, text), "tester")
    assert (caught.value.row, caught.value.field) == (row, field)
    assert problem in caught.value.problem
    assert str(tmp_path / "okrs.csv") in str(caught.value)
    assert _goals(org) == before


def test_a_file_without_goal_text_or_of_another_kind_is_refused(org: Any, tmp_path: Path) -> None:
    with pytest.raises(RowError, match="text"):
        okr_records(org.store, org.id, _csv(tmp_path, "Owner,Team\nAna,U-RD\n"))
    with pytest.raises(InputError, match="csv or .xlsx"):
        okr_records(org.store, org.id, _csv(tmp_path, "[]", name="okrs.json"))
