"""Brand and principles over a stored organisation: attributes, pre-publication check, image gap,
principle flags and mission analysis.

The pure reading of texts lives in `domain/brand.py` and `domain/principles.py`; the batch versions
that work on files live in `service/texts.py`. Here the mission, its brand attributes and its
principles come from the current mission version, and edits store a new version (so every change
is versioned and audited with the mission).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hoshin.domain.brand import BrandAttribute, assess_brand, attribute_prototypes, derive_attributes
from hoshin.domain.lexicon import split_sentences
from hoshin.domain.principle_examples import clean_examples
from hoshin.errors import InputError, NotFoundError
from hoshin.service.missions import current_model, save_next_version
from hoshin.service.part_of_removals import part_of_listing, sibling_listing
from hoshin.service.texts import analyze_missions, check_principles
from hoshin.service.view_memo import ViewMemo, digest

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "MAX_TEXT_CHARS",
    "all_principle_flags",
    "brand_attributes",
    "check_text",
    "image_gap",
    "mission_analysis",
    "principle_flags",
    "principles",
    "save_brand_attributes",
    "save_principles",
]

MAX_TEXT_CHARS = 100_000  # a long press release is ~5,000; a megabyte is a mistake, not a text
FLAGGED_KINDS = ("goals", "ideas", "communications", "documents")


def _mission(repo: Repository, org_id: str) -> dict[str, Any]:
    mission = repo.mission(org_id)
    if mission is None:
        raise NotFoundError("no mission yet: save one on the mission page (or load the demo: `hoshin demo`)")
    return mission


def check_input_text(text: Any, what: str = "the text") -> str:
    """The text, stripped; InputError when it is not text, empty or longer than MAX_TEXT_CHARS."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be text")
    if not text.strip():
        raise InputError(f"{what} is empty; paste the text to check")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{what} has {len(text):,} characters; check at most {MAX_TEXT_CHARS:,} at a time (split it)"
        )
    return text.strip()


# ---------------------------------------------------------------- attributes and principles


def _principle_texts(mission: dict[str, Any]) -> list[str]:
    return [p["text"] for p in mission.get("principles") or [] if isinstance(p, dict) and p.get("text")]


def brand_attributes(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """The current brand attributes `[{name, source_phrase, derived}]`: the stored ones, or (when none
    were stored) those the wording of the mission and then of its principles promises, marked
    `derived`; each with the phrase it comes from."""
    mission = _mission(repo, org_id)
    stored = [a for a in mission.get("brand_attributes") or [] if isinstance(a, dict) and a.get("name")]
    if stored:
        return [
            {"name": a["name"], "source_phrase": a.get("source_phrase") or "", "derived": False}
            for a in stored
        ]
    found: dict[str, dict[str, Any]] = {}
    for text in [mission["text"], *_principle_texts(mission)]:
        for attribute in derive_attributes(text):
            found.setdefault(attribute["name"], {**attribute, "derived": True})
    return list(found.values())


def _clean_attributes(raw: Sequence[Any], sources: Sequence[str]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InputError(f"brand attribute {n}: give an object with name and source_phrase")
        name = str(item.get("name") or "").strip()
        phrase = str(item.get("source_phrase") or "").strip()
        if not name:
            raise InputError(f"brand attribute {n}: the name is empty")
        if len(name) > 100 or len(phrase) > 500:
            raise InputError(f"brand attribute {name!r}: name or source phrase is too long")
        if not phrase:
            raise InputError(f"brand attribute {name!r}: name the mission phrase it comes from")
        if not any(phrase.lower() in source.lower() for source in sources):
            raise InputError(
                f"brand attribute {name!r}: {phrase!r} is not a phrase of the mission or its principles; "
                "copy the words it comes from"
            )
        if any(a["name"].lower() == name.lower() for a in cleaned):
            raise InputError(f"brand attribute {name!r} is listed twice")
        cleaned.append({"name": name, "source_phrase": phrase})
    return cleaned


def save_brand_attributes(
    repo: Repository, org_id: str, attributes: Sequence[Any], actor: str, aligner: Aligner
) -> dict[str, Any]:
    """Store edited brand attributes as a new mission version; returns the stored version."""
    mission = _mission(repo, org_id)
    cleaned = _clean_attributes(attributes, [mission["text"], *_principle_texts(mission)])
    return save_next_version(repo, org_id, mission, actor, aligner, brand_attributes=cleaned)


def principles(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """The current principles `[{id, text, rationale, owner, owner_name, examples}]`; a principle
    stored before examples existed reads with an empty list."""
    mission = _mission(repo, org_id)
    names = {p["id"]: p["name"] for p in repo.rows("people", org_id)}
    out = []
    for p in mission.get("principles") or []:
        if isinstance(p, dict) and isinstance(p.get("text"), str):
            examples = p.get("examples") if isinstance(p.get("examples"), list) else []
            out.append({**p, "examples": examples, "owner_name": names.get(p.get("owner") or "")})
    return out


def save_principles(
    repo: Repository, org_id: str, items: Sequence[Any], actor: str, aligner: Aligner
) -> dict[str, Any]:
    """Store edited principles `{id, text, rationale, owner, examples}` as a new mission version;
    `examples` (optional) are `[{text, stance}]`, stance contradicts or supports.

    InputError for an empty text, a duplicate id, an owner who is not a person of the organisation, or
    an example that is empty, too long, of an unknown stance or one too many (nothing is stored)."""
    mission = _mission(repo, org_id)
    people = repo.keys("people", org_id)
    cleaned: list[dict[str, Any]] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(f"principle {n}: give an object with id, text, rationale and owner")
        pid = str(item.get("id") or f"P{n}").strip()
        text = str(item.get("text") or "").strip()
        if not text:
            raise InputError(f"principle {pid}: the text is empty")
        if len(text) > 1_000 or len(str(item.get("rationale") or "")) > 5_000:
            raise InputError(f"principle {pid}: text or rationale is too long")
        owner = str(item.get("owner") or "").strip() or None
        if owner is not None and owner not in people:
            raise InputError(f"principle {pid}: owner {owner!r} is not a person of this organisation")
        if any(p["id"] == pid for p in cleaned):
            raise InputError(f"principle id {pid!r} is used twice")
        rationale = str(item.get("rationale") or "").strip()
        entry: dict[str, Any] = {"id": pid, "text": text, "rationale": rationale, "owner": owner}
        examples = clean_examples(pid, item.get("examples"))
        if examples:  # a principle without examples is stored as before
            entry["examples"] = examples
        cleaned.append(entry)
    return save_next_version(repo, org_id, mission, actor, aligner, principles=cleaned)


# ---------------------------------------------------------------- principle flags


def principle_flags(
    repo: Repository,
    org_id: str,
    records: Sequence[dict[str, str]],
    aligner: Aligner,
    mission: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The principles these texts contradict: `[{kind, id, principle, principle_text, sentence, why}]`.

    `records` are `{kind, id, text}`; texts that contradict nothing give no entry. `mission`: the
    current version, when the caller read it already."""
    mission = mission if mission is not None else _mission(repo, org_id)
    stated = [p for p in mission.get("principles") or [] if isinstance(p, dict) and p.get("text")]
    texts = [r for r in records if isinstance(r.get("text"), str) and r["text"].strip()]
    if not stated or not texts:
        return []
    rows = [{"id": str(i), "text": r["text"][:MAX_TEXT_CHARS]} for i, r in enumerate(texts)]
    principle_rows = [
        {"id": str(p.get("id") or i), "text": p["text"], "examples": p.get("examples") or []}
        for i, p in enumerate(stated)
    ]
    by_id = {row["id"]: p for row, p in zip(principle_rows, stated, strict=True)}
    flags = []
    for result in check_principles(mission["text"], principle_rows, rows, aligner.embedder):
        if result["verdict"] != "contradicts":
            continue
        record = texts[int(result["id"])]
        flags.append(
            {
                "kind": record.get("kind"),
                "id": record.get("id"),
                "principle": result["principle"],
                "principle_text": by_id[result["principle"]]["text"],
                "sentence": result["evidence"],
                "why": result["why"],
            }
        )
    return flags


def all_principle_flags(repo: Repository, org_id: str, aligner: Aligner) -> list[dict[str, Any]]:
    """Principle flags over every goal, idea, communication and document of the organisation.

    Kept for the next view while the mission, its principles, the records' texts and the model
    stay the same (service/view_memo.py): judging every sentence against every principle is the
    page's cost, not reading the rows."""
    records = []
    for kind in FLAGGED_KINDS:
        for row in repo.rows(kind, org_id):
            records.append({"kind": kind, "id": row["id"], "text": row.get("text") or ""})
    mission = _mission(repo, org_id)
    key = digest(
        org_id,
        aligner.embedder.model_id,
        aligner.embedder.dimensions,
        mission.get("text"),
        mission.get("principles"),
        [(r["kind"], r["id"], r["text"]) for r in records],
    )
    flags = _FLAGS.get(key, lambda: principle_flags(repo, org_id, records, aligner, mission))
    return [dict(flag) for flag in flags]  # copies: the kept list serves every later view


_FLAGS: ViewMemo[list[dict[str, Any]]] = ViewMemo()


# ---------------------------------------------------------------- pre-publication check


def check_text(
    repo: Repository,
    org_id: str,
    text: Any,
    aligner: Aligner,
    only: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A text checked against the mission and each brand attribute, before it is published.

    Returns `{score, tier, why, attributes: {name: {score, source_phrase, supports, contradicts}},
    contradictions: [{attribute, sentence}], principle_flags: [...]}`. `only` limits the check to
    some attributes (InputError naming the known ones for an unknown name)."""
    text = check_input_text(text)
    attributes = [BrandAttribute(a["name"], a["source_phrase"]) for a in brand_attributes(repo, org_id)]
    if only:
        known = {a.name.lower(): a for a in attributes}
        unknown = [name for name in only if name.lower() not in known]
        if unknown:
            raise InputError(
                f"unknown brand attribute {unknown[0]!r}; this organisation's attributes are: "
                + ", ".join(a.name for a in attributes)
            )
        attributes = [known[name.lower()] for name in dict.fromkeys(only)]
    sentences = split_sentences(text) or [text]
    vectors = aligner.embed([*attribute_prototypes(attributes), *sentences])
    prototypes, sentence_vecs = vectors[: len(attributes)], vectors[len(attributes) :]
    model = current_model(repo, org_id, aligner)
    topicality = float(aligner.score(model, [text])[0].score)
    result = assess_brand(attributes, sentences, sentence_vecs, prototypes, topicality)
    result["topicality"] = round(topicality, 4)
    result["contradictions"] = [
        {"attribute": name, "sentence": sentence}
        for name, detail in result["attributes"].items()
        for sentence in detail["contradicts"]
    ]
    result["principle_flags"] = principle_flags(
        repo, org_id, [{"kind": "text", "id": "text", "text": text}], aligner
    )
    return result


# ---------------------------------------------------------------- image gap


def _stance_counts(detail: dict[str, Any]) -> tuple[int, int]:
    return len(detail["supports"]), len(detail["contradicts"])


def image_gap(repo: Repository, org_id: str, aligner: Aligner) -> dict[str, Any]:
    """How outside voices (communications with voice=outside) see each brand attribute, against what
    the organisation's own texts promise, overall and by month, with example quotes.

    Returns `{attributes: [{name, intended, image, gap, mentions, quotes: {supports, contradicts}}],
    months: [YYYY-MM], by_month: {name: [image or None per month]}}`. A score is the share of the
    sentences touching the attribute that show it (1.0 all show it, 0.0 all work against it)."""
    attributes = [BrandAttribute(a["name"], a["source_phrase"]) for a in brand_attributes(repo, org_id)]
    comms = [c for c in repo.rows("communications", org_id) if (c.get("text") or "").strip()]
    if not attributes or not comms:
        return {"attributes": [], "months": [], "by_month": {}}
    sentences = [split_sentences(c["text"]) or [c["text"]] for c in comms]
    flat = [s for group in sentences for s in group]
    vectors = aligner.embed([*attribute_prototypes(attributes), *flat])
    prototypes, sentence_vecs = vectors[: len(attributes)], vectors[len(attributes) :]
    tally: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])  # (voice, name, month)
    quotes: dict[str, dict[str, list[dict[str, str]]]] = {
        a.name: {"supports": [], "contradicts": []} for a in attributes
    }
    offset = 0
    for comm, group in zip(comms, sentences, strict=True):
        vecs = sentence_vecs[offset : offset + len(group)]
        offset += len(group)
        voice = "outside" if comm.get("voice") == "outside" else "internal"
        month = (comm.get("date") or "")[:7] or "undated"
        assessed = assess_brand(attributes, group, vecs, prototypes, 0.5)["attributes"]
        for name, detail in assessed.items():
            up, down = _stance_counts(detail)
            for key in ((voice, name, month), (voice, name, "*")):
                tally[key][0] += up
                tally[key][1] += down
            if voice == "outside":
                for stance in ("supports", "contradicts"):
                    for sentence in detail[stance]:
                        quotes[name][stance].append(
                            {"id": comm["id"], "date": comm.get("date") or "", "sentence": sentence}
                        )
    months = sorted(
        {(c.get("date") or "")[:7] for c in comms if c.get("voice") == "outside" and c.get("date")}
    )

    def share(key: tuple[str, str, str]) -> float | None:
        up, down = tally.get(key, (0, 0))
        return None if up + down == 0 else round(up / (up + down), 3)

    rows = []
    for a in attributes:
        intended = share(("internal", a.name, "*"))
        image = share(("outside", a.name, "*"))
        gap = None if intended is None or image is None else round(intended - image, 3)
        up, down = tally.get(("outside", a.name, "*"), (0, 0))
        rows.append(
            {
                "name": a.name,
                "source_phrase": a.source_phrase,
                "intended": intended,
                "image": image,
                "gap": gap,
                "mentions": up + down,
                "quotes": {k: v[:5] for k, v in quotes[a.name].items()},
            }
        )
    by_month = {a.name: [share(("outside", a.name, m)) for m in months] for a in attributes}
    return {"attributes": rows, "months": months, "by_month": by_month}


# ---------------------------------------------------------------- mission analysis


def mission_analysis(repo: Repository, org_id: str, aligner: Aligner) -> list[dict[str, Any]]:
    """The analysis of every mission version, newest first: `{version, created_at, created_by, text,
    components, missing, specificity, suggestions, themes, theme_rules, focus_areas, exclusions,
    part_of}`. The corridor is there because a version may change only it: without it two such
    versions read as identical; theme_rules tells a version whose themes were only derived again from
    the one before (domain.mission.THEME_RULES_VERSION; 0: themes given by people). `part_of` lists
    the nomenclature entries the version's products draw in (ideas naming their parts are core at
    least; domain/part_of.py), each with its source and code, and whether a strategist removed it.
    `siblings` lists WordNet's other kinds of the products the version names, by group (an idea
    about one is adjacent at most; domain/siblings.py)."""
    versions = repo.mission_versions(org_id)
    if not versions:
        raise NotFoundError("no mission yet: save one on the mission page (or load the demo: `hoshin demo`)")
    rows = [{"id": str(v["version"]), "text": v["text"]} for v in versions]
    analyses = analyze_missions(rows, aligner.embedder, with_themes=False)
    out = []
    for version, analysis in zip(versions, analyses, strict=True):
        themes = [t.get("name") for t in version.get("themes") or [] if isinstance(t, dict)]
        out.append(
            {
                **analysis,
                "themes": themes or analysis["themes"],
                "version": version["version"],
                "created_at": version["created_at"],
                "created_by": version["created_by"],
                "text": version["text"],
                "theme_rules": version.get("theme_rules"),
                "focus_areas": list(version.get("focus_areas") or []),
                "exclusions": list(version.get("exclusions") or []),
                "part_of": part_of_listing(aligner, version),
                "siblings": sibling_listing(aligner, version),
            }
        )
    return list(reversed(out))
