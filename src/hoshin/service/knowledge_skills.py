"""People's skills from HR files: read the export, map each skill to a knowledge area, store it.

- `read_hr`: the rows of an HR export (person, unit, skill or free-text profile, level), columns checked.
- `map_skills`: every row checked (RowError names file, row, field and fix), free text mapped to the
  stored areas with a reason and a confidence; nothing written.
- `apply_skills`: the (corrected) proposal written in one transaction with one audit event.
- `mapped_skills`: the stored skills, each with its area and the reason.

Re-exported by `hoshin.service.knowledge`, where callers find them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hoshin.domain import knowledge as kd
from hoshin.domain.explain import shared_words
from hoshin.errors import InputError, RowError
from hoshin.service.records import Batch
from hoshin.service.visibility import EVERYTHING, Sight

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = ["HR_COLUMNS", "apply_skills", "map_skills", "mapped_skills", "read_hr"]

HR_COLUMNS = ("person", "unit", "skill", "profile", "level")
MAX_HR_ROWS = 200_000
# How peaked the choice among areas is when turning similarities into a confidence (a softmax
# temperature): 0.05 makes a lead of 0.1 in cosine worth about e^2 ~ 7 times the runner-up.
TEMPERATURE = 0.05
MIN_PROFILE_CONFIDENCE = 0.35  # profile sentences below this map to nothing rather than to a guess


def read_hr(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of an HR export (CSV, XLSX, JSON, JSONL) with their row numbers; columns checked."""
    from hoshin.io.tables import TableSpec, read_table

    spec = TableSpec(required=("person", "level"), optional=("unit", "skill", "profile"), unique=None)
    rows = read_table(path, spec)
    if len(rows) > MAX_HR_ROWS:
        raise InputError(f"{path}: {len(rows)} rows is more than {MAX_HR_ROWS}; split the file")
    return list(enumerate(rows, start=2))


def _lookup(records: list[dict[str, Any]], label: str = "name") -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for r in records:
        for key in {str(r["id"]).strip().lower(), str(r.get(label) or "").strip().lower()}:
            if key:
                index.setdefault(key, [])
                if r["id"] not in index[key]:
                    index[key].append(r["id"])
    return index


def _resolve(
    index: dict[str, list[str]], value: str, source: str, row: int, field: str, what: str, fix: str
) -> str:
    found = index.get(value.strip().lower(), [])
    if not found:
        raise RowError(source, row, field, f"unknown {what} {value!r}", fix)
    if len(found) > 1:
        raise RowError(
            source, row, field, f"{value!r} names several {what}s ({', '.join(found)})", "use the id instead"
        )
    return found[0]


def _level(source: str, row: int, raw: str) -> int:
    fix = "write a whole number from 1 (basic) to 5 (expert)"
    if not raw:
        raise RowError(source, row, "level", "is empty", fix)
    try:
        number = float(raw)
    except ValueError:
        raise RowError(source, row, "level", f"{raw!r} is not a whole number", fix) from None
    if not number.is_integer():
        raise RowError(source, row, "level", f"{raw!r} is not a whole number", fix)
    if not 1 <= number <= kd.MAX_LEVEL:
        raise RowError(source, row, "level", f"{int(number)} is out of range", fix)
    return int(number)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.;!?])\s+|\n+", text)
    return [p.strip(" .;") for p in parts if len(p.strip(" .;")) >= 3]


def map_skills(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    rows: Sequence[tuple[int, dict[str, str]]],
    source: str = "HR file",
) -> list[dict[str, Any]]:
    """Check every HR row, then propose a knowledge area for each skill (and each profile sentence).

    Raises RowError (file, row, field, fix) for an unknown person or unit, a level outside 1..5, a
    row with neither skill nor profile, or a row repeated. Writes nothing. Each proposal:
    {row, person_id, person, unit_id, area_id, area, level, skill_text, confidence, why}; the
    columns of `hoshin import skills` are among them, so a corrected file imports as it is.
    """
    people = repo.rows("people", org_id)
    areas = repo.rows("knowledge_areas", org_id)
    if not areas:
        raise InputError("the organisation has no knowledge areas yet; confirm the needs first")
    person_index = _lookup(people)
    unit_index = _lookup(repo.rows("units", org_id))
    area_index = _lookup(areas)
    names = {p["id"]: p["name"] for p in people}
    checked: list[tuple[int, str, str | None, int, list[str], bool]] = []
    seen: dict[tuple[str, str, str], int] = {}
    fix_person = "import the person first (hoshin import people FILE) or use an id from the people list"
    for number, row in rows:
        person = _resolve(person_index, row.get("person", ""), source, number, "person", "person", fix_person)
        unit = None
        if row.get("unit", "").strip():
            unit = _resolve(
                unit_index,
                row["unit"],
                source,
                number,
                "unit",
                "unit",
                "use a unit id or name from the unit list",
            )
        level = _level(source, number, row.get("level", "").strip())
        skill, profile = row.get("skill", "").strip(), row.get("profile", "").strip()
        if not skill and not profile:
            raise RowError(
                source, number, "profile", "is empty and so is skill", "give a skill or a free-text profile"
            )
        key = (person, skill.lower(), profile.lower())
        if key in seen:
            raise RowError(
                source, number, "person", "duplicate row", f"row {seen[key]} already gives this; keep one"
            )
        seen[key] = number
        texts = [skill] if skill else _sentences(profile) or [profile]
        checked.append((number, person, unit, level, texts, bool(skill)))
    all_texts = sorted({t for *_, texts, _ in checked for t in texts})
    best = _best_areas(aligner, all_texts, areas)
    out = []
    for number, person, unit, level, texts, is_skill in checked:
        for text in texts:
            exact = area_index.get(text.lower())
            if exact and len(exact) == 1:
                area_id, confidence, why = exact[0], 1.0, "names the area itself"
            else:
                area_id, confidence, why = best[text]
                if not is_skill and confidence < MIN_PROFILE_CONFIDENCE:
                    continue  # a profile sentence about something else (languages, hobbies)
            out.append(
                {
                    "row": number,
                    "person_id": person,
                    "person": names.get(person, person),
                    "unit_id": unit,
                    "area_id": area_id,
                    "area": next(a["name"] for a in areas if a["id"] == area_id),
                    "level": level,
                    "skill_text": text,
                    "confidence": round(confidence, 2),
                    "why": why,
                }
            )
    return out


def _best_areas(
    aligner: Aligner, texts: list[str], areas: list[dict[str, Any]]
) -> dict[str, tuple[str, float, str]]:
    """text -> (area id, confidence 0..1, reason) for the closest area."""
    if not texts:
        return {}
    area_texts = [kd.area_text(a) for a in areas]
    sims = aligner.embed(texts) @ aligner.embed(area_texts).T
    out = {}
    for i, text in enumerate(texts):
        row = sims[i].astype(np.float64)
        j = int(np.argmax(row))
        weights = np.exp((row - row[j]) / TEMPERATURE)
        confidence = float(1.0 / weights.sum())
        words = shared_words(text, area_texts[j])
        if words:
            confidence = min(1.0, confidence + 0.2)  # shared words are evidence beyond closeness
        if kd.quoted(words):
            why = f"shares {kd.quoted(words)} with '{areas[j]['name']}'"
        else:
            why = f"closest in meaning to '{areas[j]['name']}' (similarity {row[j]:.2f}), no shared words"
        out[text] = (areas[j]["id"], confidence, why)
    return out


def mapped_skills(repo: Repository, org_id: str, sight: Sight = EVERYTHING) -> list[dict[str, Any]]:
    """The stored skills as the people and skills view lists them, by person then area; only the
    skills of people the reader may see (a unit manager: their own units').

    Each row: {person_id, person, unit_id, unit, skill_text, area_id, area, level, why}. The reason
    is read from the words (no model runs, so the list costs no more than reading it): the words the
    skill's text shares with its area, or that the text was mapped by meaning or by the area's name.
    """
    people = {p["id"]: p for p in repo.rows("people", org_id)}
    units = {u["id"]: u["name"] for u in repo.rows("units", org_id)}
    areas = {a["id"]: a for a in repo.rows("knowledge_areas", org_id)}
    out = []
    for skill in repo.rows("skills", org_id):
        person = people.get(skill["person_id"]) or {}
        if not sight.sees_unit(person.get("unit_id")):
            continue
        area = areas.get(skill["area_id"]) or {"name": skill["area_id"]}
        text = (skill.get("skill_text") or "").strip()
        out.append(
            {
                "person_id": skill["person_id"],
                "person": person.get("name") or skill["person_id"],
                "unit_id": person.get("unit_id"),
                "unit": units.get(person.get("unit_id") or "", ""),
                "skill_text": text,
                "area_id": skill["area_id"],
                "area": area["name"],
                "level": int(skill["level"]),
                "why": _skill_reason(text, area),
            }
        )
    out.sort(key=lambda r: (r["person"].lower(), r["person_id"], r["area"].lower()))
    return out


def _skill_reason(text: str, area: dict[str, Any]) -> str:
    if not text:
        return f"recorded against '{area['name']}' itself (no free text)"
    shown = kd.quoted(shared_words(text, kd.area_text(area)))
    if shown:
        return f"shares {shown} with '{area['name']}'"
    return f"mapped to '{area['name']}' by meaning (no words in common)"


def apply_skills(
    repo: Repository, org_id: str, proposals: Sequence[dict[str, Any]], actor: str
) -> dict[str, int]:
    """Write (possibly corrected) mappings as skills, and people's units where a row gave one.

    A person mapped to one area twice keeps the higher level. Everything is validated first and
    written in one transaction with one audit event. Returns {skills_created, skills_updated, people_moved}.
    """
    from hoshin.service.importing import import_batches

    if not proposals:
        raise InputError("nothing to save: no skill was mapped to a knowledge area")
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    moves: dict[str, str] = {}
    for n, p in enumerate(proposals, start=1):
        for name in ("person_id", "area_id", "level"):
            if p.get(name) in (None, ""):
                raise RowError("skill mapping", n, name, "is missing", f"give every mapping a {name}")
        key = (str(p["person_id"]), str(p["area_id"]))
        record = {
            "person_id": key[0],
            "area_id": key[1],
            "level": p["level"],
            "skill_text": p.get("skill_text") or p.get("text"),
        }
        known = merged.get(key)
        if known is None or _as_int(p["level"]) > _as_int(known["level"]):
            merged[key] = record
        if p.get("unit_id"):
            moves[key[0]] = str(p["unit_id"])
    batches = [Batch("skills", "skill mapping", list(enumerate(merged.values(), start=1)))]
    if moves:
        people = {r["id"]: r for r in repo.rows("people", org_id)}
        moved = [
            {"id": pid, "name": people[pid]["name"] if pid in people else "", "unit_id": unit}
            for pid, unit in moves.items()
            if pid not in people or people[pid].get("unit_id") != unit
        ]
        if moved:
            batches.append(Batch("people", "skill mapping", list(enumerate(moved, start=1))))
    results = import_batches(repo, org_id, batches, actor, action="knowledge.skills")
    moved_count = results[1].updated + results[1].created if len(results) > 1 else 0
    return {
        "skills_created": results[0].created,
        "skills_updated": results[0].updated,
        "people_moved": moved_count,
    }


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
