"""Import and export of every kind: round trips in every format, and bad files rejected whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hoshin.errors import InputError, RowError
from hoshin.service.exporting import export_file, export_kind
from hoshin.service.importing import import_file
from hoshin.service.records import KINDS
from hoshin.service.verdict_reasons import open_store

ALL_KINDS = list(KINDS)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "xlsx"])
def test_export_import_into_fresh_db_export_again_is_identical(loaded: Any, tmp_path: Path, fmt: str) -> None:
    files = {}
    for kind in ALL_KINDS:
        files[kind] = tmp_path / f"{kind}.{fmt}"
        export_file(loaded, "coolco", kind, fmt, files[kind])
    with open_store(f"sqlite:///{tmp_path / 'fresh.sqlite3'}") as fresh:
        fresh.create_organisation("coolco", "CoolCo")
        for kind in ALL_KINDS:  # KINDS is in dependency order
            result = import_file(fresh, "coolco", kind, files[kind], "test")
            assert result.updated == 0
            assert result.created == len(export_kind(loaded, "coolco", kind))
        for kind in ALL_KINDS:
            assert export_kind(fresh, "coolco", kind) == export_kind(loaded, "coolco", kind), kind
        again = tmp_path / f"again.{fmt}"
        export_file(fresh, "coolco", "goals", fmt, again)
        if fmt != "xlsx":  # an xlsx file carries its own time stamps
            assert again.read_bytes() == files["goals"].read_bytes()


def test_reimport_updates_by_id_and_changes_nothing_else(loaded: Any, tmp_path: Path, snapshot: Any) -> None:
    path = tmp_path / "ideas.csv"
    export_file(loaded, "coolco", "ideas", "csv", path)
    before = snapshot(loaded)
    result = import_file(loaded, "coolco", "ideas", path, "test")
    assert (result.created, result.updated) == (0, 2)
    after = snapshot(loaded)
    assert after["audit"][-1]["action"] == "import"
    assert {k: v for k, v in after.items() if k not in ("audit", "verdicts")} == {
        k: v for k, v in before.items() if k not in ("audit", "verdicts")
    }
    # The fixture's ideas were stored unscored: a re-import scores them (issue 23 #11), once.
    assert before["verdicts"] == [] and {v["record_id"] for v in after["verdicts"]} == {"I001", "I002"}
    import_file(loaded, "coolco", "ideas", path, "test")
    assert snapshot(loaded)["verdicts"] == after["verdicts"]


def test_partial_columns_update_only_those_fields(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "status.csv"
    path.write_text(
        "id,text,status\nI001,A door alarm that learns the family's habits.,accepted\n", encoding="utf-8"
    )
    import_file(loaded, "coolco", "ideas", path, "test")
    idea = loaded.get("ideas", "coolco", "I001")
    assert idea["status"] == "accepted"
    assert idea["tags"] == ["door", "sensors"] and idea["author_id"] == "p02"


def test_list_fields_accept_semicolons_in_csv_and_arrays_or_strings_in_json(
    loaded: Any, tmp_path: Path
) -> None:
    csv_file = tmp_path / "goals.csv"
    csv_file.write_text("id,text,level,parent_ids\nG-N1,New key result,3,G-U1; G-C1\n", encoding="utf-8")
    import_file(loaded, "coolco", "goals", csv_file, "test")
    assert loaded.goal_parents("coolco", "G-N1") == ["G-C1", "G-U1"]
    json_file = tmp_path / "docs.json"
    json_file.write_text(
        '[{"id": "D02", "title": "T", "text": "x", "area_ids": "K-FOOD;K-THERMO"},'
        ' {"id": "D03", "title": "T", "text": "y", "area_ids": ["K-FOOD"]}]',
        encoding="utf-8",
    )
    import_file(loaded, "coolco", "documents", json_file, "test")
    assert loaded.get("documents", "coolco", "D02")["area_ids"] == ["K-FOOD", "K-THERMO"]
    assert loaded.get("documents", "coolco", "D03")["area_ids"] == ["K-FOOD"]


def test_users_import_hashes_passwords_and_export_never_shows_them(loaded: Any, tmp_path: Path) -> None:
    from hoshin.store import verify_password

    path = tmp_path / "users.csv"
    path.write_text("username,role,password\ncara,viewer,s3cret-pass\n", encoding="utf-8")
    import_file(loaded, "coolco", "users", path, "test")
    assert verify_password("s3cret-pass", loaded.find_user("cara")["password_hash"])
    out = tmp_path / "out.csv"
    export_file(loaded, "coolco", "users", "csv", out)
    text = out.read_text(encoding="utf-8")
    assert "password" not in text and "s3cret" not in text and "scrypt" not in text
    # Re-importing the export (no password column) keeps the stored password.
    import_file(loaded, "coolco", "users", out, "test")
    assert verify_password("s3cret-pass", loaded.find_user("cara")["password_hash"])


def test_mission_import_adds_a_version_only_when_it_changes(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "mission.json"
    export_file(loaded, "coolco", "mission", "json", path)
    assert import_file(loaded, "coolco", "mission", path, "test").updated == 0
    path.write_text(
        '{"text": "To keep every kitchen cold.", "focus_areas": "quiet;efficient"}', encoding="utf-8"
    )
    assert import_file(loaded, "coolco", "mission", path, "test").updated == 1
    current = loaded.mission("coolco")
    assert current["version"] == 2 and current["focus_areas"] == ["quiet", "efficient"]
    assert current["exclusions"] == ["consumer electronics outside cooling"]  # not in the file: kept


def test_empty_export_to_csv_is_a_template_with_the_columns(repo: Any, tmp_path: Path) -> None:
    repo.create_organisation("o", "O")
    path = tmp_path / "units.csv"
    assert export_file(repo, "o", "units", "csv", path) == 0
    assert path.read_text(encoding="utf-8").strip() == "id,name,parent_id,description"


# ------------------------------------------------------------------ bad input: error + unchanged db

LONG = "x" * 20_001

BAD_FILES: list[tuple[str, str, str | bytes, str]] = [
    # (kind, file name, content, a part of the message the user must see)
    ("units", "units.csv", "id,name\nU-X,Lab, cold room,extra\n", "row 2: has 4 cells but the header has 2"),
    (
        "units",
        "units.csv",
        "id,name,parent_id\nU-X,X,U-GHOST\n",
        "row 2, field 'parent_id': refers to unknown units id 'U-GHOST'",
    ),
    ("units", "units.csv", "id,name,parent_id\nU-A,A,U-B\nU-B,B,U-A\n", "field 'parent_id': makes a cycle"),
    ("units", "units.csv", "id,name,parent_id\nU-CO,Company,U-LAB\n", "makes a cycle: "),
    ("units", "units.csv", "id,parent_id\nU-X,\n", "missing column name"),
    ("units", "units.csv", "id,name\nU-X,X\nU-X,Y\n", "row 3, field 'id': duplicate id 'U-X'"),
    ("units", "units.csv", f"id,name\nU-X,{LONG[:301]}\n", "field 'name': is 301 characters long"),
    ("units", "units.csv", b"id,name\nU-X,Caf\xe9\n", "not valid UTF-8"),
    ("units", "units.json", '[{"id": "U-X", "name": "X"', "malformed JSON"),
    ("units", "units.json", '[{"id": "U-X", "name": ""}]', "row 1, field 'name': is empty"),
    ("units", "units.json", '[{"id": "U;X", "name": "X"}]', "contains ';'"),
    ("people", "people.csv", "id,name,unit_id\np09,Zed,U-NOPE\n", "refers to unknown units id 'U-NOPE'"),
    ("people", "people.json", '[{"id": "p09", "name": ["a"]}]', "field 'name': holds a list"),
    ("people", "people.jsonl", '{"id": "p09", "name": "Zed"}\nnot json\n', "row 2"),
    ("knowledge_areas", "ka.csv", "id,name,weight\nK-X,X,heavy\n", "field 'weight': 'heavy' is not a number"),
    ("knowledge_areas", "ka.csv", "id,name,origin\nK-X,X,borrowed\n", "use one of: catalogue, own"),
    ("skills", "skills.csv", "person_id,area_id,level\np01,K-THERMO,7\n", "field 'level': 7 is out of range"),
    ("skills", "skills.csv", "person_id,area_id,level\np01,K-THERMO,2.5\n", "not a whole number"),
    (
        "skills",
        "skills.csv",
        "person_id,area_id,level\np01,K-THERMO,2\np01,K-THERMO,3\n",
        "duplicate person_id/area_id",
    ),
    ("skills", "skills.csv", "person_id,area_id,level\np77,K-THERMO,2\n", "unknown people id 'p77'"),
    ("goals", "goals.csv", "id,text,level\nG-X,Grow,four\n", "field 'level': 'four' is not a whole number"),
    ("goals", "goals.csv", "id,text,level\nG-X,Grow,4\n", "from 1 to 3"),
    ("goals", "goals.csv", "id,text,level,parent_ids\nG-X,Grow,2,G-NOPE\n", "unknown goals id 'G-NOPE'"),
    (
        "goals",
        "goals.csv",
        "id,text,level,parent_ids\nG-C1,Halve,1,G-K1\n",
        "field 'parent_ids': makes a cycle",
    ),
    ("goals", "goals.csv", "id,text,level,parent_ids\nG-A,a,2,G-B\nG-B,b,2,G-A\n", "makes a cycle"),
    (
        "goals",
        "goals.csv",
        "id,text,level,target\nG-X,Grow,2,lots\n",
        "field 'target': 'lots' is not a number",
    ),
    ("goals", "goals.csv", "id,text\nG-X,Grow\n", "missing column level"),
    ("ideas", "ideas.csv", "id,text,status\nI9,Idea,maybe\n", "field 'status': 'maybe' is not allowed"),
    ("ideas", "ideas.csv", "id,text,submitted_at\nI9,Idea,14/03/2026\n", "write dates as YYYY-MM-DD"),
    ("ideas", "ideas.csv", "id,text,source\nI9,Idea,rumour\n", "field 'source'"),
    ("ideas", "ideas.csv", f"id,text\nI9,{LONG}\n", "field 'text': is 20001 characters long"),
    (
        "documents",
        "docs.csv",
        "id,title,text,area_ids\nD9,T,x,K-THERMO;K-NOPE\n",
        "unknown knowledge_areas id 'K-NOPE'",
    ),
    ("communications", "comms.csv", "id,text,voice\nM9,Hi,shouting\n", "field 'voice'"),
    ("communications", "comms.csv", "id,text,date\nM9,Hi,2026-02-30\n", "not a date"),
    ("users", "users.csv", "username,role\nzed,overlord\n", "field 'role'"),
    ("users", "users.csv", "username,role,unit_id\nzed,viewer,U-NOPE\n", "unknown units id"),
    ("users", "users.csv", "username,role,password_hash\nzed,viewer,plaintext\n", "not a hash"),
    ("mission", "mission.csv", "text\nOne\nTwo\n", "a mission file has one row"),
    ("mission", "mission.csv", "text,principles\nOne,not json\n", "field 'principles': is not valid JSON"),
    (
        "mission",
        "mission.json",
        '{"text": "One", "principles": [{"rationale": "no text"}]}',
        "an item has no text",
    ),
    ("units", "units.txt", "id,name\n", "cannot read '.txt' files"),
    ("units", "units.csv", "", "holds no rows"),
]


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"), BAD_FILES, ids=[f"{b[0]}:{b[3][:30]}" for b in BAD_FILES]
)
def test_bad_file_is_rejected_with_a_clear_error_and_the_db_unchanged(
    loaded: Any, tmp_path: Path, snapshot: Any, kind: str, name: str, content: str | bytes, message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    before = snapshot(loaded)
    with pytest.raises(InputError) as caught:
        import_file(loaded, "coolco", kind, path, "test")
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert snapshot(loaded) == before


def test_row_errors_name_file_row_field_and_fix(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text("person_id,area_id,level\np01,K-THERMO,3\np02,K-FOOD,9\n", encoding="utf-8")
    with pytest.raises(RowError) as caught:
        import_file(loaded, "coolco", "skills", path, "test")
    error = caught.value
    assert (error.source, error.row, error.field) == (str(path), 3, "level")
    assert error.fix == "write a whole number from 1 to 5"


def test_a_valid_file_with_one_bad_row_at_the_end_writes_nothing(loaded: Any, tmp_path: Path) -> None:
    rows = "\n".join(f"U-N{i},Unit {i},U-CO" for i in range(200))
    path = tmp_path / "units.csv"
    path.write_text(f"id,name,parent_id\n{rows}\nU-LAST,Last,U-MISSING\n", encoding="utf-8")
    with pytest.raises(RowError, match="row 202"):
        import_file(loaded, "coolco", "units", path, "test")
    assert loaded.count("units", "coolco") == 3


def test_unknown_kind_is_refused(loaded: Any, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id\n1\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown kind 'planets'"):
        import_file(loaded, "coolco", "planets", path, "test")
