"""Removing a part-of entry that is wrong for an organisation, and restoring it (issue 20).

The entries a mission draws in are derived (domain/part_of.py), so a derivation can be wrong for
one organisation: a maker of refrigerated lorries may not want every compressor idea called core.
A strategist removes such an entry; the removal is a mission change like any other: a new mission
version with the same statement, corridor, principles and brand attributes whose `removed_parts`
names the entry (who removed it, when), and one audit event. Triage reads the newest version, so
from then on no idea is lifted by that entry; the adapters re-score every idea, as after a corridor
edit. Later versions keep the removal until someone restores the entry, which is the same change
the other way. A removed entry stays listed (`part_of_listing`), marked removed, so it can be
restored.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from hoshin.domain.mission import MissionModel
from hoshin.domain.part_of import PartEvidence, PartOfEntry, Relation, stored_removals
from hoshin.errors import ConflictError, InputError, NotFoundError
from hoshin.service.missions import save_next_version, themes_from_json
from hoshin.store.base import now_iso

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = ["current_part_of", "part_of_listing", "remove_part", "restore_part", "sibling_listing"]

# An entry's code: an HS subheading ("8414.30"), a WordNet 3.0 synset ("WN30-04190747") or a CAPEC
# attack pattern ("CAPEC-98"), as the shipped extracts write them.
_CODE = re.compile(r"\d{4}\.\d{2}|WN30-\d{8}|CAPEC-\d{1,5}")
_LIST_HINT = "`hoshin mission part-of list` (or the mission page) lists the entries this mission draws in"


def part_of_listing(aligner: Aligner, version: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries a stored mission version draws in, each `{part, use, code, product, source,
    relation, link, removed, removed_by, removed_at}`: ideas naming the part of an entry not
    removed are core at least; `link` says how the part ties to `use` in words fit for a listing.
    A removed entry is listed too (removed true, with who removed it and when). WordNet names one
    part of several products by one synset code, so such a part may be listed once per product;
    removing the code removes it for every one."""
    removals = {r["code"]: r for r in stored_removals(version.get("removed_parts"))}
    rows: list[dict[str, Any]] = []
    for evidence in _drawn_in(aligner, version):
        removal = removals.get(evidence.entry.code)
        rows.append(
            {
                **evidence.as_dict(),
                "relation": evidence.entry.relation,
                "link": _link(evidence.entry),
                "removed": removal is not None,
                "removed_by": removal["removed_by"] if removal else None,
                "removed_at": removal["removed_at"] if removal else None,
            }
        )
    return rows


def sibling_listing(aligner: Aligner, version: dict[str, Any]) -> list[dict[str, Any]]:
    """WordNet's other kinds of the products a stored mission version names, one row per product
    and group (`product, group, code, source, kinds`): a core idea about one of the kinds is held
    at adjacent (domain/siblings.py). The parts the version draws in are never among them."""
    model = _model_of(aligner, version)
    return aligner.siblings(model).listed()


def current_part_of(repo: Repository, org_id: str, aligner: Aligner) -> list[dict[str, Any]]:
    """`part_of_listing` of the organisation's current mission version; NotFoundError before the
    first one."""
    return part_of_listing(aligner, _current(repo, org_id))


def remove_part(repo: Repository, org_id: str, code: Any, actor: str, aligner: Aligner) -> dict[str, Any]:
    """Remove the entry `code` from the organisation's mission (a new mission version); returns
    its listing row. InputError for a code that is not an entry this mission draws in,
    ConflictError when it is removed already; nothing is stored then."""
    code = _checked_code(code, aligner)
    with repo.transaction():
        mission = _current(repo, org_id)
        drawn_in = {e.entry.code: e for e in _drawn_in(aligner, mission)}
        if code not in drawn_in:
            entry = next(e for e in aligner.part_of if e.code == code)
            raise InputError(
                f"code: {entry.source} {code} ({entry.part}; {entry.use}) is not drawn in by "
                f"this mission, which names none of its products; only entries it draws in can be "
                f"removed: {_LIST_HINT}"
            )
        removals = stored_removals(mission.get("removed_parts"))
        done = next((r for r in removals if r["code"] == code), None)
        if done is not None:
            raise ConflictError(
                f"code: {drawn_in[code].source} {code} ({drawn_in[code].entry.part}) was removed already"
                f"{_by(done)}; to use it again: `hoshin mission part-of restore {code}`"
            )
        removal = {"code": code, "removed_by": actor, "removed_at": now_iso()}
        stored = _new_version(
            repo, org_id, mission, actor, aligner, [*removals, removal], "mission.remove_part", drawn_in[code]
        )
    return _row_of(aligner, stored, code)


def restore_part(repo: Repository, org_id: str, code: Any, actor: str, aligner: Aligner) -> dict[str, Any]:
    """Put the removed entry `code` back (a new mission version); returns its listing row (or,
    when the mission no longer draws it in, the entry alone). InputError for a code that is no
    entry, ConflictError when it is not removed; nothing is stored then."""
    code = _checked_code(code, aligner)
    with repo.transaction():
        mission = _current(repo, org_id)
        removals = stored_removals(mission.get("removed_parts"))
        if not any(r["code"] == code for r in removals):
            raise ConflictError(
                f"code: {code} is not removed from this mission, so there is nothing to restore; {_LIST_HINT}"
            )
        drawn_in = {e.entry.code: e for e in _drawn_in(aligner, mission)}
        kept = [r for r in removals if r["code"] != code]
        stored = _new_version(
            repo, org_id, mission, actor, aligner, kept, "mission.restore_part", drawn_in.get(code)
        )
    return _row_of(aligner, stored, code)


def _checked_code(given: Any, aligner: Aligner) -> str:
    """`given` stripped and in capitals ("capec-98" is CAPEC-98), when it is the code of an entry
    of the shipped extracts; else InputError."""
    if not isinstance(given, str) or not given.strip():
        raise InputError(
            f"code: give the code of an entry, such as 8414.30, WN30-04190747 or CAPEC-98; {_LIST_HINT}"
        )
    code = given.strip().upper()
    if not _CODE.fullmatch(code):
        raise InputError(
            f"code: {code!r} is not an entry code; write an HS code (four digits, a dot and two digits, "
            f"such as 8414.30), a WordNet synset (WN30- and eight digits) or a CAPEC id (CAPEC-98)"
        )
    if not any(entry.code == code for entry in aligner.part_of):
        raise InputError(f"code: {code} is no entry of the extracts Hoshin ships; {_LIST_HINT}")
    return code


def _current(repo: Repository, org_id: str) -> dict[str, Any]:
    mission = repo.mission(org_id)
    if mission is None:
        raise NotFoundError(
            "no mission yet: save one (the mission page, `POST /api/v1/mission` or "
            "`hoshin import mission FILE`), or load the demo: `hoshin demo`"
        )
    return mission


def _model_of(aligner: Aligner, version: dict[str, Any]) -> MissionModel:
    model = aligner.mission_model(
        version["text"],
        tuple(version.get("focus_areas") or ()),
        tuple(version.get("exclusions") or ()),
        themes=themes_from_json(version.get("themes")) or None,
    )
    removed = frozenset(r["code"] for r in stored_removals(version.get("removed_parts")))
    return replace(model, removed_parts=removed)


def _drawn_in(aligner: Aligner, version: dict[str, Any]) -> tuple[PartEvidence, ...]:
    """Every entry the version's products draw in, the removed ones included."""
    return aligner.part_evidence(_model_of(aligner, version), with_removed=True)


def _new_version(
    repo: Repository,
    org_id: str,
    mission: dict[str, Any],
    actor: str,
    aligner: Aligner,
    removals: list[dict[str, str]],
    action: str,
    evidence: PartEvidence | None,
) -> dict[str, Any]:
    """The next mission version: the same content (themes people gave included) with `removals`,
    audited as `action`."""
    detail: dict[str, Any] = {"removed_parts": [r["code"] for r in removals]}
    if evidence is not None:
        detail["part_of"] = evidence.as_dict()
    return save_next_version(
        repo, org_id, mission, actor, aligner, removed_parts=removals, action=action, detail=detail
    )


def _row_of(aligner: Aligner, stored: dict[str, Any], code: str) -> dict[str, Any]:
    """The listing row of `code` in the version just stored; a bare one when it is not drawn in."""
    row = next((r for r in part_of_listing(aligner, stored) if r["code"] == code), None)
    if row is not None:
        return {**row, "version": stored["version"]}
    entry = next(e for e in aligner.part_of if e.code == code)
    return {
        "part": entry.part,
        "use": entry.use,
        "code": code,
        "product": "",
        "source": entry.source,
        "relation": entry.relation,
        "link": _link(entry),
        "removed": False,
        "removed_by": None,
        "removed_at": None,
        "version": stored["version"],
    }


def _link(entry: PartOfEntry) -> str:
    """How the entry's part ties to its `use`, as a listing says it: HS goods are "of a kind used
    in" a product, WordNet parts are part of one, a housing's `use` is WordNet's gloss of it, and a
    threat is what a protection is against."""
    if entry.relation == Relation.PART:
        return f"part of a {entry.use}"
    if entry.relation == Relation.HOUSING:
        return f"a housing: {entry.use}"
    if entry.relation == Relation.THREAT:
        return f"a known {entry.use}, which protection is against"
    return f"of a kind used in {entry.use}"


def _by(removal: dict[str, str]) -> str:
    """ " by NAME on DATE", as much of it as was recorded."""
    who = f" by {removal['removed_by']}" if removal.get("removed_by") else ""
    return who + (f" on {removal['removed_at'][:10]}" if removal.get("removed_at") else "")
