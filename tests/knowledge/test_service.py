"""Knowledge use cases on the demo organisation: needs, HR mapping, coverage, gaps, documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hoshin.errors import InputError, RowError
from hoshin.service import knowledge as svc
from knowledge.support import ORG, snapshot, write_hr

# ---- needs


def test_needs_rank_own_and_catalogue_areas_with_reasons(store: Any, aligner: Any) -> None:
    rows = svc.propose_needs(store, ORG, aligner, limit=5)
    own = [r for r in rows if r["stored"]]
    proposed = [r for r in rows if not r["stored"]]
    assert len(own) == 22 and len(proposed) == 5
    assert all(r["origin"] == "catalogue" and r["id"].startswith("K-0") for r in proposed)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert all(r["why"].strip() for r in rows)


def test_goals_and_accepted_ideas_add_demand(store: Any, aligner: Any) -> None:
    rows = {r["id"]: r for r in svc.propose_needs(store, ORG, aligner, limit=0)}
    # The demo's carbon objective asks for life-cycle knowledge; compressors are in many goals.
    assert rows["K-COMP"]["demand"], rows["K-COMP"]
    assert any(d.startswith("G-") for d in rows["K-COMP"]["demand"])
    assert "draw" in rows["K-COMP"]["why"]


def test_confirming_a_catalogue_area_stores_it_with_its_weight(store: Any, aligner: Any) -> None:
    proposed = next(r for r in svc.propose_needs(store, ORG, aligner, limit=3) if not r["stored"])
    item = {k: proposed[k] for k in ("id", "name", "description")} | {"weight": 1.7, "origin": "catalogue"}
    assert svc.save_needs(store, ORG, [item], "tester") == {"created": 1, "updated": 0}
    stored = store.get("knowledge_areas", ORG, proposed["id"])
    assert stored["weight"] == 1.7 and stored["origin"] == "catalogue"
    again = {r["id"]: r for r in svc.propose_needs(store, ORG, aligner, limit=3)}
    assert again[proposed["id"]]["stored"] is True


def test_reweighting_by_id_keeps_the_name_and_bad_weights_change_nothing(store: Any) -> None:
    assert svc.save_needs(store, ORG, [{"id": "K-ACOUST", "weight": 0}], "t") == {"created": 0, "updated": 1}
    area = store.get("knowledge_areas", ORG, "K-ACOUST")
    assert area["weight"] == 0 and area["name"] == "Acoustics and noise reduction"
    before = snapshot(store)
    with pytest.raises(RowError, match="weight"):
        svc.save_needs(store, ORG, [{"id": "K-MOTOR", "weight": 3}, {"id": "K-LCA", "weight": 500}], "t")
    with pytest.raises(RowError, match="name"):
        svc.save_needs(store, ORG, [{"id": "K-NEW", "weight": 1}], "t")
    with pytest.raises(InputError):
        svc.save_needs(store, ORG, [], "t")
    assert snapshot(store) == before


# ---- coverage and gaps: the planted cases


def test_planted_single_points_of_failure_uncovered_and_undocumented_areas(store: Any, aligner: Any) -> None:
    report = svc.coverage_report(store, ORG, aligner)
    spof = {g["area_id"]: g for g in report["single_points_of_failure"]}
    assert set(spof) == {"K-MOTOR", "K-REFSAFE"}
    assert spof["K-MOTOR"]["sole_holder"] == "p05" and spof["K-REFSAFE"]["sole_holder"] == "p17"
    assert [g["area_id"] for g in report["uncovered"]] == ["K-LCA"]
    assert {g["area_id"] for g in report["undocumented"]} == {"K-MOTOR", "K-ACOUST", "K-LCA"}
    # The three exposed areas lead the gap ranking, the uncovered one first.
    assert [g["area_id"] for g in report["gaps"][:3]] == ["K-LCA", "K-MOTOR", "K-REFSAFE"]
    kinds = {g["area_id"]: [a["kind"] for a in g["actions"]] for g in report["gaps"]}
    assert kinds["K-LCA"] == ["hire", "document"]
    assert kinds["K-MOTOR"] == ["train", "document"]
    assert kinds["K-REFSAFE"] == ["train"]


def test_matrix_shape_and_depth_match_the_stored_skills(store: Any, aligner: Any) -> None:
    report = svc.coverage_report(store, ORG, aligner)
    assert len(report["depth"]) == len(report["areas"]) == 22
    assert all(len(row) == len(report["units"]) == 8 for row in report["depth"])
    areas = [a["id"] for a in report["areas"]]
    units = [u["id"] for u in report["units"]]
    motor = report["depth"][areas.index("K-MOTOR")]
    assert motor[units.index("U-RD")] >= 1 and sum(1 for d in motor if d) == 1


def test_a_second_holder_removes_a_single_point_of_failure(store: Any, aligner: Any) -> None:
    store.upsert("skills", ORG, [{"person_id": "p06", "area_id": "K-MOTOR", "level": 3}])
    report = svc.coverage_report(store, ORG, aligner)
    assert {g["area_id"] for g in report["single_points_of_failure"]} == {"K-REFSAFE"}


# ---- HR files


def test_hr_skills_and_profiles_map_to_areas_with_reason_and_confidence(
    store: Any, aligner: Any, tmp_path: Path
) -> None:
    path = write_hr(
        tmp_path / "hr.csv",
        [
            "p06,U-RD,brushless motor windings and drive tuning,,3",
            'Katharina Weiss,,,"Negotiations with national retail chains. Plays the cello.",4',
            "p07,,Acoustics and noise reduction,,2",
        ],
    )
    proposals = svc.map_skills(store, ORG, aligner, svc.read_hr(path), source="hr.csv")
    by_text = {p["skill_text"]: p for p in proposals}
    motor = by_text["brushless motor windings and drive tuning"]
    assert motor["area_id"] == "K-MOTOR" and motor["person_id"] == "p06" and motor["level"] == 3
    assert "brushless" in motor["why"] and 0 < motor["confidence"] <= 1
    assert by_text["Negotiations with national retail chains"]["area_id"] == "K-B2B"
    assert by_text["Negotiations with national retail chains"]["person_id"] == "p01"
    assert "Plays the cello" not in by_text  # a profile sentence about nothing the organisation needs
    assert by_text["Acoustics and noise reduction"]["confidence"] == 1.0  # names the area itself


@pytest.mark.parametrize(
    ("row", "field", "problem"),
    [
        ("nobody,,welding,,3", "person", "unknown person 'nobody'"),
        ("p06,U-NOPE,welding,,3", "unit", "unknown unit"),
        ("p06,,welding,,7", "level", "7 is out of range"),
        ("p06,,welding,,0", "level", "0 is out of range"),
        ("p06,,welding,,2.5", "level", "not a whole number"),
        ("p06,,welding,,", "level", "is empty"),
        ("p06,,,,3", "profile", "is empty and so is skill"),
    ],
)
def test_bad_hr_rows_are_named_and_change_nothing(
    store: Any, aligner: Any, tmp_path: Path, row: str, field: str, problem: str
) -> None:
    before = snapshot(store)
    path = write_hr(tmp_path / "hr.csv", ["p05,U-RD,motor design,,4", row])
    with pytest.raises(InputError) as caught:
        svc.map_skills(store, ORG, aligner, svc.read_hr(path), source="hr.csv")
    message = str(caught.value)
    assert "row 3" in message and f"'{field}'" in message and problem in message
    assert snapshot(store) == before


def test_duplicate_hr_rows_are_refused(store: Any, aligner: Any, tmp_path: Path) -> None:
    path = write_hr(
        tmp_path / "hr.csv", ["p05,,motor design,,4", "p06,,motor design,,2", "p05,,Motor design,,3"]
    )
    with pytest.raises(RowError, match=r"row 4.*duplicate row.*row 2"):
        svc.map_skills(store, ORG, aligner, svc.read_hr(path), source="hr.csv")


def test_hr_file_without_the_person_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("name,skill,level\nAna,welding,3\n", encoding="utf-8")
    with pytest.raises(InputError, match="person"):
        svc.read_hr(path)


def test_applying_a_corrected_mapping_writes_skills_and_units_once(
    store: Any, aligner: Any, tmp_path: Path
) -> None:
    path = write_hr(tmp_path / "hr.csv", ["p06,U-QA,brushless motor windings,,3", "p06,,motor drives,,4"])
    proposals = svc.map_skills(store, ORG, aligner, svc.read_hr(path))
    proposals[1]["area_id"] = "K-ELEC"  # the reviewer corrects the second mapping
    counts = svc.apply_skills(store, ORG, proposals, "tester")
    assert counts == {"skills_created": 2, "skills_updated": 0, "people_moved": 1}
    assert store.get("skills", ORG, ("p06", "K-MOTOR"))["level"] == 3
    assert store.get("skills", ORG, ("p06", "K-ELEC"))["level"] == 4
    assert store.get("people", ORG, "p06")["unit_id"] == "U-QA"
    assert store.audit_events(ORG)[-1]["action"] == "knowledge.skills"


def test_a_corrected_mapping_to_an_unknown_area_changes_nothing(store: Any) -> None:
    before = snapshot(store)
    bad = [
        {"person_id": "p06", "area_id": "K-MOTOR", "level": 3},
        {"person_id": "p06", "area_id": "K-NOPE", "level": 3},
    ]
    with pytest.raises(RowError, match="K-NOPE"):
        svc.apply_skills(store, ORG, bad, "tester")
    with pytest.raises(InputError):
        svc.apply_skills(store, ORG, [], "tester")
    assert snapshot(store) == before


# ---- documents


def test_documents_take_suggested_areas_and_close_the_undocumented_flag(store: Any, aligner: Any) -> None:
    text = "How we wind and balance the brushless motor of the compressor fan; motor efficiency maps."
    suggested = svc.suggest_document_areas(store, ORG, aligner, text)
    assert suggested and suggested[0]["area_id"] == "K-MOTOR" and "motor" in suggested[0]["why"]
    svc.save_document(
        store, ORG, {"id": "D99", "title": "Fan motor", "text": text, "area_ids": ["K-MOTOR"]}, "t"
    )
    report = svc.coverage_report(store, ORG, aligner)
    assert {g["area_id"] for g in report["undocumented"]} == {"K-ACOUST", "K-LCA"}


def test_uploaded_documents_need_text_or_markdown() -> None:
    doc = svc.document_from_upload("notes.md", b"# Brazing guide\n\nHow to braze copper to aluminium.")
    assert doc["title"] == "Brazing guide" and "braze" in doc["text"]
    assert svc.document_from_upload("fan_motor.txt", b"text")["title"] == "fan motor"
    with pytest.raises(InputError, match="txt or .md"):
        svc.document_from_upload("slides.pdf", b"%PDF")
    with pytest.raises(InputError, match="empty"):
        svc.document_from_upload("empty.md", b"  \n")
    with pytest.raises(InputError, match="UTF-8"):
        svc.document_from_upload("latin.txt", "Kältemittel".encode("latin-1"))


def test_document_ids_are_unique_slugs() -> None:
    assert svc.slug_id("D", "Fan motor guide", set()) == "D-fan-motor-guide"
    assert svc.slug_id("D", "Fan motor guide", {"D-fan-motor-guide"}) == "D-fan-motor-guide-2"
    assert svc.slug_id("D", "!!!", set()) == "D-doc"


def test_hr_exports_in_xlsx_are_read_like_csv(store: Any, aligner: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["person", "unit", "skill", "profile", "level"])
    sheet.append(["p06", "Research & Development", "brushless motor windings", None, 4])
    sheet.append(["p07", None, None, None, 2])
    path = tmp_path / "hr.xlsx"
    book.save(path)
    with pytest.raises(RowError, match=r"hr.xlsx, row 3, field 'profile': is empty"):
        svc.map_skills(store, ORG, aligner, svc.read_hr(path), source="hr.xlsx")
    sheet.delete_rows(3)
    book.save(path)
    (proposal,) = svc.map_skills(store, ORG, aligner, svc.read_hr(path))
    assert (proposal["area_id"], proposal["unit_id"], proposal["level"]) == ("K-MOTOR", "U-RD", 4)
