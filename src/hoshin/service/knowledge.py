"""Knowledge management on a stored organisation: needs, skills from HR files, coverage, gaps, documents.

- `propose_needs`: the knowledge areas the mission asks for, ranked with reasons, from the built-in
  catalogue plus the organisation's own areas (`batch.rank_knowledge` does the ranking); goals and
  accepted ideas add demand. `save_needs` stores what people confirm, edit and weight.
- `read_hr` / `map_skills` / `apply_skills` / `mapped_skills`: skills from an HR export, mapped to
  areas and stored (`hoshin.service.knowledge_skills`, re-exported here).
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
from hoshin.errors import InputError, NotFoundError
from hoshin.service.knowledge_skills import HR_COLUMNS, apply_skills, map_skills, mapped_skills, read_hr
from hoshin.service.records import Batch
from hoshin.service.view_memo import ViewMemo, digest
from hoshin.service.visibility import EVERYTHING, Sight

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

DOCUMENT_AREAS = 3
_area_text = kd.area_text  # the name scripts/build_catalogue_vectors.py and its test import


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
    links = _demand_links(aligner, [kd.area_text(c) for c in candidates], demand)
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
            shown = kd.quoted(words)
            because = f"shares {shown}" if shown else "close in meaning"
            why += f" {first}{more} draw{'s' if not more else ''} on it ({because})."
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


# ------------------------------------------------------------------ coverage and gaps


def coverage_report(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    targets: kd.Targets = kd.Targets(),
    sight: Sight = EVERYTHING,
) -> dict[str, Any]:
    """Everything the coverage and gaps views show, as plain data.

    Gaps are the organisation's (they are counted over everyone), but a reader who may not see
    every unit (a unit manager) gets only their units' columns, and a single holder in another unit
    is not named.

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
            holder = people.get(g.sole_holder) or {}
            if sight.sees_unit(holder.get("unit_id")):
                row["sole_holder_name"] = holder.get("name", g.sole_holder)
            else:
                row["sole_holder"], row["sole_holder_name"] = None, "one person in another unit"
        gap_rows.append(row)
    shown = [j for j, u in enumerate(units) if sight.sees_unit(u["id"])]
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
        "units": [{"id": units[j]["id"], "name": units[j]["name"]} for j in shown],
        "depth": cov.depth[:, shown].tolist() if len(areas) else [],
        "holders": cov.holders_by_unit[:, shown].tolist() if len(areas) else [],
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
    texts = [kd.area_text(a) for a in areas]
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
    area_texts = [kd.area_text(a) for a in areas]
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
                "why": f"shares {kd.quoted(words)}" if kd.quoted(words) else "close in meaning",
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
