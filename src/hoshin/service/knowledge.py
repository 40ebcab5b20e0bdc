"""Knowledge management on a stored organisation: needs, skills from HR files, coverage, gaps, documents.

- `propose_needs`: the knowledge areas the mission asks for, ranked with reasons, from the built-in
  catalogue plus the organisation's own areas (`batch.rank_knowledge` does the ranking); goals and
  accepted ideas add demand. `save_needs` stores what people confirm, edit and weight.
- `read_hr` / `map_skills` / `apply_skills`: an HR export (person, unit, skill or free-text profile,
  level) is checked row by row, free text is mapped to stored areas with a reason and a confidence,
  people correct the proposal, and `apply_skills` writes it in one transaction. `mapped_skills`
  lists what is stored, each skill with its area and the reason.
- `coverage_report`: the areas × units matrix, gaps ranked by how much of the mission rests on them,
  single points of failure, recommendations and areas no document covers.
- `suggest_document_areas` / `save_document`: map a text or Markdown document to areas.

Vectors come through the aligner's embedder (cached in the store when built by `store_aligner`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from hoshin.domain import knowledge as kd
from hoshin.domain.explain import shared_words
from hoshin.errors import InputError, NotFoundError, RowError
from hoshin.service.records import Batch
from hoshin.service.view_memo import ViewMemo, digest

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "HR_COLUMNS",
    "apply_skills",
    "confidence_label",
    "coverage_report",
    "document_from_upload",
    "map_skills",
    "mapped_skills",
    "propose_needs",
    "read_hr",
    "save_document",
    "save_needs",
    "slug_id",
    "suggest_document_areas",
    "add_document",
    "documents_view",
]

HR_COLUMNS = ("person", "unit", "skill", "profile", "level")
MAX_HR_ROWS = 200_000
# How peaked the choice among areas is when turning similarities into a confidence (a softmax
# temperature): 0.05 makes a lead of 0.1 in cosine worth about e^2 ~ 7 times the runner-up.
TEMPERATURE = 0.05
MIN_PROFILE_CONFIDENCE = 0.35  # profile sentences below this map to nothing rather than to a guess
DOCUMENT_AREAS = 3


def _area_text(area: dict[str, Any]) -> str:
    description = area.get("description") or ""
    return f"{area['name']}: {description}" if description else str(area["name"])


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(repr(w) for w in words)


# ------------------------------------------------------------------ needs


def _demand(repo: Repository, org_id: str) -> list[tuple[str, str, str]]:
    """(kind, id, text) of the goals and accepted ideas: the work that draws on knowledge."""
    items = [("goal", g["id"], g["text"]) for g in repo.rows("goals", org_id)]
    items += [("idea", i["id"], i["text"]) for i in repo.rows("ideas", org_id) if i["status"] == "accepted"]
    return items


def _demand_links(
    aligner: Aligner, area_texts: list[str], demand: list[tuple[str, str, str]], top: int = 3
) -> list[list[tuple[str, list[str]]]]:
    """For each area, the (demand id, shared words) that draw on it: an item draws on its `top`
    closest areas that also share a word with it (meaning alone is too loose to name as evidence)."""
    links: list[list[tuple[str, list[str]]]] = [[] for _ in area_texts]
    if not demand or not area_texts:
        return links
    sims = aligner.embed([t for _, _, t in demand]) @ aligner.embed(area_texts).T
    for d, (_, item_id, text) in enumerate(demand):
        for a in np.argsort(-sims[d])[:top].tolist():
            words = shared_words(area_texts[a], text)
            if words:
                links[a].append((item_id, words))
    return links


def propose_needs(repo: Repository, org_id: str, aligner: Aligner, limit: int = 30) -> list[dict[str, Any]]:
    """The organisation's own areas and the `limit` best catalogue areas, the most needed first.

    Each row: {id, name, description, origin (own|catalogue), stored, weight, score, why, demand}.
    `demand` lists the goals and accepted ideas that draw on the area; they raise its score.
    The ranking is kept for the next view while the mission, the areas, the goals and accepted
    ideas and the engine stay the same (service/view_memo.py).
    """
    from hoshin.service.missions import current_model

    mission = current_model(repo, org_id, aligner)
    own = repo.rows("knowledge_areas", org_id)
    demand = _demand(repo, org_id)
    key = digest(
        org_id,
        aligner.embedder.model_id,
        aligner.embedder.dimensions,
        aligner.thresholds,
        aligner.params,
        aligner._background_texts,  # None: the shipped background corpus
        mission.text,
        [(a["id"], a["name"], a.get("description"), a.get("origin"), a.get("weight")) for a in own],
        demand,
    )
    out = _NEEDS.get(key, lambda: _ranked_needs(aligner, mission.text, own, demand))
    stored = [r for r in out if r["stored"]]
    proposed = [r for r in out if not r["stored"]][: max(limit, 0)]
    # Copies: the kept ranking is shared by every later view.
    return [{**r, "demand": list(r["demand"])} for r in sorted(stored + proposed, key=lambda r: -r["score"])]


_NEEDS: ViewMemo[list[dict[str, Any]]] = ViewMemo()


def _ranked_needs(
    aligner: Aligner, mission_text: str, own: list[dict[str, Any]], demand: list[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """Every own and catalogue area, ranked as `propose_needs` describes, the most needed first."""
    from hoshin.data.corpora import knowledge_catalogue
    from hoshin.service.batch import rank_knowledge
    from hoshin.service.catalogue_vectors import seed_catalogue_vectors

    seed_catalogue_vectors(aligner.embedder)  # shipped with the package: no catalogue text is embedded
    stored_ids = {a["id"] for a in own}
    stored_names = {a["name"].strip().lower() for a in own}
    catalogue = [
        c
        for c in knowledge_catalogue()
        if c["id"] not in stored_ids and c["name"].lower() not in stored_names
    ]
    candidates = [{**a, "origin": a.get("origin") or "own", "stored": True} for a in own]
    candidates += [{**c, "origin": "catalogue", "stored": False, "weight": 1.0} for c in catalogue]
    rows = [{"id": c["id"], "name": c["name"], "description": c.get("description") or ""} for c in candidates]
    ranked = {r["id"]: r for r in rank_knowledge(aligner, mission_text, rows)}
    links = _demand_links(aligner, [_area_text(c) for c in candidates], demand)
    out = []
    for candidate, linked in zip(candidates, links, strict=True):
        rank = ranked[candidate["id"]]
        score = float(rank["score"])
        why = rank["why"]
        if linked:
            # Each goal or accepted idea that draws on the area closes part of the remaining distance.
            score = 1.0 - (1.0 - score) * 0.8 ** len(linked)
            first, words = linked[0]
            more = f" and {len(linked) - 1} more" if len(linked) > 1 else ""
            why += f" {first}{more} draw{'s' if not more else ''} on it (shares {_quoted(words)})."
        out.append(
            {
                "id": candidate["id"],
                "name": candidate["name"],
                "description": candidate.get("description") or "",
                "origin": candidate["origin"],
                "stored": candidate["stored"],
                "weight": float(candidate.get("weight") or 1.0),
                "score": round(score, 4),
                "why": why,
                "demand": [item for item, _ in linked],
            }
        )
    out.sort(key=lambda r: -r["score"])
    return out


def save_needs(repo: Repository, org_id: str, items: Sequence[dict[str, Any]], actor: str) -> dict[str, int]:
    """Store confirmed, edited or re-weighted areas ({id, name, description?, weight?, origin?}).

    Every item is checked like an import row (weight 0..100, id and name present) before anything is
    written; the whole set is one transaction with one audit event. Returns {created, updated}.
    """
    from hoshin.service.importing import import_batches

    if not items:
        raise InputError("no knowledge areas given; confirm at least one")
    rows = []
    for n, item in enumerate(items, start=1):
        raw: dict[str, Any] = {
            k: item[k] for k in ("id", "name", "description", "weight", "origin") if k in item
        }
        if "name" not in raw and raw.get("id"):
            try:  # a re-weighting names only the id; keep the stored name
                raw["name"] = repo.get("knowledge_areas", org_id, str(raw["id"]))["name"]
            except NotFoundError:
                pass  # reported by the validation below as a missing name
        rows.append((n, raw))
    batch = Batch(kind="knowledge_areas", source="knowledge needs", rows=rows)
    result = import_batches(repo, org_id, [batch], actor, action="knowledge.needs")[0]
    return {"created": result.created, "updated": result.updated}


# ------------------------------------------------------------------ HR files and skill mapping


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
    area_texts = [_area_text(a) for a in areas]
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
            why = f"shares {_quoted(words)} with '{areas[j]['name']}'"
        else:
            why = f"closest in meaning to '{areas[j]['name']}' (similarity {row[j]:.2f}), no shared words"
        out[text] = (areas[j]["id"], confidence, why)
    return out


def mapped_skills(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """The stored skills as the people and skills view lists them, by person then area.

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
    words = shared_words(text, _area_text(area))
    if words:
        return f"shares {_quoted(words)} with '{area['name']}'"
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


# ------------------------------------------------------------------ coverage and gaps


def coverage_report(
    repo: Repository, org_id: str, aligner: Aligner, targets: kd.Targets = kd.Targets()
) -> dict[str, Any]:
    """Everything the coverage and gaps views show, as plain data.

    {areas: [{id, name, weight, need, demand, documented}], units: [{id, name}],
     depth: [[level per unit] per area], holders: [[count per unit] per area],
     gaps: [...], single_points_of_failure: [...], undocumented: [...], targets: {...}}
    """
    areas = repo.rows("knowledge_areas", org_id)
    units = repo.rows("units", org_id)
    people = {p["id"]: p for p in repo.rows("people", org_id)}
    skills = [
        (s["person_id"], (people.get(s["person_id"]) or {}).get("unit_id"), s["area_id"], int(s["level"]))
        for s in repo.rows("skills", org_id)
    ]
    area_ids = [a["id"] for a in areas]
    cov = kd.coverage(area_ids, [u["id"] for u in units], skills, targets)
    need, demand = _mission_need(repo, org_id, aligner, areas)
    demand_total = max(len(_demand(repo, org_id)), 1)
    weights = np.array([float(a.get("weight") or 0.0) for a in areas])
    share = np.array([min(1.0, 5.0 * len(d) / demand_total) for d in demand])
    dep = kd.dependence(weights, need, share)
    documented_ids = {a for d in repo.rows("documents", org_id) for a in d.get("area_ids") or []}
    documented = [a in documented_ids for a in area_ids]
    gap_list = kd.gaps(cov, dep, documented, targets)
    by_id = {a["id"]: a for a in areas}
    gap_rows: list[dict[str, Any]] = []
    for g in gap_list:
        row = g.as_dict()
        row["name"] = by_id[g.area_id]["name"]
        if g.sole_holder:
            row["sole_holder_name"] = (people.get(g.sole_holder) or {}).get("name", g.sole_holder)
        gap_rows.append(row)
    return {
        "areas": [
            {
                "id": a["id"],
                "name": a["name"],
                "weight": float(a.get("weight") or 0.0),
                "need": round(float(need[i]), 4),
                "dependence": round(float(dep[i]), 4),
                "demand": demand[i],
                "documented": documented[i],
                "holders": int(cov.holders[i]),
                "coverage": round(float(cov.coverage[i]), 4),
            }
            for i, a in enumerate(areas)
        ],
        "units": [{"id": u["id"], "name": u["name"]} for u in units],
        "depth": cov.depth.tolist(),
        "holders": cov.holders_by_unit.tolist(),
        "gaps": gap_rows,
        "single_points_of_failure": [r for r in gap_rows if r["single_point_of_failure"]],
        "uncovered": [r for r in gap_rows if r["holders"] == 0 and r["dependence"] > 0],
        "undocumented": [r for r in gap_rows if not r["documented"] and r["dependence"] > 0],
        "targets": {"people": targets.people, "level": targets.level},
    }


def _mission_need(
    repo: Repository, org_id: str, aligner: Aligner, areas: list[dict[str, Any]]
) -> tuple[np.ndarray, list[list[str]]]:
    """(0..1 mission need per area, demand ids per area); no mission yet means no mission signal."""
    from hoshin.service.batch import rank_knowledge

    if not areas:
        return np.zeros(0), []
    texts = [_area_text(a) for a in areas]
    links = _demand_links(aligner, texts, _demand(repo, org_id))
    mission = repo.mission(org_id)
    if mission is None or len(areas) < 2:
        need = np.full(len(areas), 0.5)
    else:
        rows = [{"id": a["id"], "name": a["name"], "description": a.get("description") or ""} for a in areas]
        ranked = {r["id"]: r["score"] for r in rank_knowledge(aligner, mission["text"], rows)}
        need = np.array([ranked[a["id"]] for a in areas], dtype=np.float64)
    return need, [[item for item, _ in linked] for linked in links]


# ------------------------------------------------------------------ documents


def suggest_document_areas(
    repo: Repository, org_id: str, aligner: Aligner, text: str, limit: int = DOCUMENT_AREAS
) -> list[dict[str, Any]]:
    """The stored areas a document is most likely about: [{area_id, name, score, why}], best first.

    Only areas that share a word with the document are suggested; closeness alone is not evidence.
    """
    areas = repo.rows("knowledge_areas", org_id)
    if not areas or not text.strip():
        return []
    area_texts = [_area_text(a) for a in areas]
    sims = (aligner.embed([text]) @ aligner.embed(area_texts).T)[0]
    out = []
    for j in np.argsort(-sims).tolist():
        words = shared_words(area_texts[j], text)
        if not words:
            continue
        out.append(
            {
                "area_id": areas[j]["id"],
                "name": areas[j]["name"],
                "score": round(float(sims[j]), 4),
                "why": f"shares {_quoted(words)}",
            }
        )
        if len(out) >= limit:
            break
    return out


def save_document(repo: Repository, org_id: str, record: dict[str, Any], actor: str) -> dict[str, int]:
    """Create or update a document {id, title, text, area_ids}; validated like an import row."""
    from hoshin.service.importing import import_batches

    batch = Batch("documents", "document", [(1, dict(record))])
    result = import_batches(repo, org_id, [batch], actor, action="knowledge.document")[0]
    return {"created": result.created, "updated": result.updated}


def document_from_upload(filename: str, data: bytes) -> dict[str, str]:
    """{title, text} from an uploaded .txt or .md file: the first Markdown heading (or the file
    name) as the title. InputError for other file types, empty files or text that is not UTF-8."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".txt", ".md", ".markdown"):
        raise InputError(f"{filename}: upload a .txt or .md file (got '{suffix or 'no extension'}')")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise InputError(f"{filename}: is not UTF-8 text; save it as UTF-8 and try again") from None
    if not text:
        raise InputError(f"{filename}: the file is empty")
    heading = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")), "")
    title = heading or Path(filename).stem.replace("_", " ").replace("-", " ").strip() or "Untitled"
    return {"title": title[:300], "text": text}


def slug_id(prefix: str, title: str, taken: set[Any]) -> str:
    """A new record id from a title ("D-energy-test-procedure"), unique among `taken`."""
    base = f"{prefix}-" + "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:40].strip("-")
    if base == f"{prefix}-":
        base = f"{prefix}-doc"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def confidence_label(confidence: float) -> str:
    """A word for a mapping confidence, for people who should not have to read decimals."""
    if math.isnan(confidence):
        return "unknown"
    return "high" if confidence >= 0.75 else "medium" if confidence >= 0.45 else "low"


def add_document(
    repo: Repository, org_id: str, aligner: Aligner, body: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Store a document; without an id it gets one from its title, without area_ids it takes the
    suggested areas. Returns the stored record."""
    record = {k: v for k, v in body.items() if v is not None}
    if not record.get("id"):
        record["id"] = slug_id("D", record["title"], repo.keys("documents", org_id))
    if record.get("area_ids") is None:
        suggested = suggest_document_areas(repo, org_id, aligner, record["text"])
        record["area_ids"] = [s["area_id"] for s in suggested]
    save_document(repo, org_id, record, actor)
    return repo.get("documents", org_id, record["id"])


def documents_view(repo: Repository, org_id: str) -> dict[str, Any]:
    """The documents (id, title, areas, length) and the weighted areas no document covers."""
    areas = repo.rows("knowledge_areas", org_id)
    documents = repo.rows("documents", org_id)
    covered = {a for d in documents for a in d.get("area_ids") or []}
    undocumented = [
        {"id": a["id"], "name": a["name"], "weight": a["weight"]}
        for a in areas
        if a["id"] not in covered and float(a.get("weight") or 0) > 0
    ]
    return {
        "documents": [
            {"id": d["id"], "title": d["title"], "area_ids": d["area_ids"], "chars": len(d["text"])}
            for d in documents
        ],
        "undocumented": undocumented,
    }
