"""Teaching the corridor: reviewers label ideas, every label re-scores, and the app asks for the
labels that teach most.

A label is a reviewer's tier for an idea: an override (with the reviewer's reason) or one click on
the Teach page. Both are kept on the idea with the mission version they were given under, audited,
undoable, and read by every re-score (service/corridor_labels.py makes them the examples of the one
learner). After each label or undo the corridor is re-scored, so the stored verdicts follow the
learner at once, and an audit event `corridor.relearn` records how many other ideas changed tier:
the Teach page reads those to say when more labels stop changing verdicts.

Which ideas to ask about: with labels of two tiers or more, those whose verdict the learner is
least sure of; before that, those nearest the engine's tier boundaries. Ahead of both, for each
tier nobody has labelled yet, the idea most typical of what the engine calls that tier, so the
first two or three clicks already give the learner two tiers to place the rest between.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hoshin.errors import InputError
from hoshin.service.audit import list_events, record_event
from hoshin.service.corridor import MAX_REASON_CHARS, TIER_NAMES, _on_store, idea_row, score_ideas
from hoshin.service.corridor_labels import excluded_rows, teaches
from hoshin.service.corridor_state import fit_labels, forget_states, labelled_verdicts, scoring_rows
from hoshin.service.missions import current_model

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "SETTLED_AFTER",
    "keep_label",
    "teach",
    "teach_page",
    "undo_label",
]

# After this many labels in a row that changed no other idea's tier, the page stops asking.
SETTLED_AFTER = 3
SUGGESTIONS = 8
RECENT = 10


def teach(
    repo: Repository, org_id: str, aligner: Aligner | None, idea_id: str, tier: str, actor: str
) -> dict[str, Any]:
    """One click on the Teach page: the reviewer puts the idea in `tier`. Returns {idea: the idea
    as the inbox shows it, changed: how many other ideas changed tier, changed_ids}. InputError for
    an unknown tier, NotFoundError for an unknown idea; either way nothing changes."""
    _check_tier(tier)
    reason = f"marked {tier} on the Teach the corridor page"
    return keep_label(repo, org_id, aligner, idea_id, tier, reason, actor, "idea.label")


def keep_label(
    repo: Repository,
    org_id: str,
    aligner: Aligner | None,
    idea_id: str,
    tier: str,
    reason: str,
    actor: str,
    action: str,
) -> dict[str, Any]:
    """Keep a reviewer's tier and reason on the idea under the current mission version (one audit
    event `action`), then re-score the corridor when `aligner` is given (see `_relearn`)."""
    _check_tier(tier)
    mission = repo.mission(org_id)
    version = int(mission["version"]) if mission is not None else None
    with repo.transaction():
        idea = repo.get("ideas", org_id, idea_id)
        engine = repo.newest_verdicts(org_id, "idea", [idea_id]).get(idea_id)
        change = {
            "override_tier": tier,
            "override_reason": reason,
            "reviewer": actor,
            "override_version": version,
        }
        repo.upsert("ideas", org_id, [{"id": idea_id, **change}])
        record_event(
            repo,
            org_id,
            actor,
            action,
            "ideas",
            idea_id,
            {
                "tier": tier,
                "reason": reason,
                "engine_tier": engine["tier"] if engine else None,
                "previous_override": idea.get("override_tier"),
                "mission_version": version,
            },
        )
    return _relearn(repo, org_id, aligner, idea_id, actor, action)


def undo_label(
    repo: Repository, org_id: str, aligner: Aligner | None, idea_id: str, actor: str
) -> dict[str, Any]:
    """Take a reviewer's tier (override or label) off the idea and re-score, as `teach` does.
    NotFoundError for an unknown idea, InputError for an idea without one; nothing changes then."""
    with repo.transaction():
        idea = repo.get("ideas", org_id, idea_id)
        if idea.get("override_tier") is None:
            raise InputError(f"idea {idea_id!r} has no reviewer's tier to undo")
        cleared = {"override_tier": None, "override_reason": None, "reviewer": None, "override_version": None}
        repo.upsert("ideas", org_id, [{"id": idea_id, **cleared}])
        record_event(
            repo,
            org_id,
            actor,
            "idea.unlabel",
            "ideas",
            idea_id,
            {
                "tier": idea["override_tier"],
                "reason": idea.get("override_reason"),
                "reviewer": idea.get("reviewer"),
                "mission_version": idea.get("override_version"),
            },
        )
    return _relearn(repo, org_id, aligner, idea_id, actor, "idea.unlabel")


def _relearn(
    repo: Repository, org_id: str, aligner: Aligner | None, idea_id: str, actor: str, cause: str
) -> dict[str, Any]:
    """Re-score every idea with the labels as they now are and record how many other ideas changed
    tier. Without an aligner or a mission the verdicts follow at the next re-score."""
    forget_states(repo, org_id)  # the examples changed: no arrival is scored against the old ones
    changed: list[str] = []
    if aligner is not None and repo.mission(org_id) is not None:
        before = _tiers(repo, org_id)
        score_ideas(repo, org_id, aligner)
        after = _tiers(repo, org_id)
        changed = sorted(i for i, tier in after.items() if i != idea_id and before.get(i) != tier)
        with repo.transaction():
            record_event(
                repo,
                org_id,
                actor,
                "corridor.relearn",
                "corridor",
                idea_id,
                {"cause": cause, "idea": idea_id, "changed": len(changed), "changed_ids": changed[:50]},
            )
    return {"idea": idea_row(repo, org_id, idea_id), "changed": len(changed), "changed_ids": changed}


def _tiers(repo: Repository, org_id: str) -> dict[str, str]:
    """Every scored idea's tier as its newest verdict says."""
    return {idea_id: tier for idea_id, (_, tier, _) in repo.newest_scores(org_id, "idea").items()}


def _check_tier(tier: object) -> None:
    if tier not in TIER_NAMES:
        raise InputError(f"unknown tier {tier!r}; use one of: {', '.join(TIER_NAMES)}")


def check_reason(reason: object) -> str:
    """An override's reason, stripped; InputError when it is empty or too long."""
    if not isinstance(reason, str) or not reason.strip():
        raise InputError("an override needs a reason: say why the reviewer disagrees with the engine")
    if len(reason.strip()) > MAX_REASON_CHARS:
        raise InputError(f"the reason is longer than {MAX_REASON_CHARS} characters")
    return reason.strip()


# ---- what to ask next --------------------------------------------------------------------------


def teach_page(repo: Repository, org_id: str, aligner: Aligner, limit: int = SUGGESTIONS) -> dict[str, Any]:
    """What the Teach page shows: {suggestions, labels, recent, settled, learning, message}.

    `suggestions`: up to `limit` unlabelled ideas, each {id, text, tier, score, theme, why,
    confidence (None before the learner has two tiers), asked: why it is asked}. `labels`: labels
    teaching now per tier, and `earlier`: labels given under an earlier mission version. `recent`:
    the newest re-scores after a label or undo, {idea, cause, changed, by, at}, newest first.
    `settled`: the last SETTLED_AFTER labels changed no other idea's tier. NotFoundError without a
    mission."""
    aligner = _on_store(repo, aligner)
    model = current_model(repo, org_id, aligner)
    ideas = scoring_rows(repo, org_id)
    counts = {tier: 0 for tier in TIER_NAMES}
    earlier = 0
    for idea in ideas:
        tier = idea.get("override_tier")
        if teaches(tier, idea.get("override_version"), model.version):
            counts[tier] += 1
        elif tier is not None:
            earlier += 1
    recent = [
        {
            "idea": e["detail"].get("idea"),
            "cause": e["detail"].get("cause"),
            "changed": e["detail"].get("changed", 0),
            "by": e.get("username"),
            "at": e.get("at"),
        }
        for e in list_events(repo, org_id, record_kind="corridor", limit=RECENT)
        if e.get("action") == "corridor.relearn"
    ]
    last = recent[:SETTLED_AFTER]
    settled = len(last) == SETTLED_AFTER and all(r["changed"] == 0 for r in last)
    learning = sum(1 for n in counts.values() if n) >= 2
    suggestions = _suggestions(aligner, model, ideas, limit) if ideas and not settled else []
    return {
        "suggestions": suggestions,
        "labels": {**counts, "earlier": earlier},
        "recent": recent,
        "settled": settled,
        "learning": learning,
        "message": _message(settled, learning, counts, bool(ideas)),
    }


def _message(settled: bool, learning: bool, counts: dict[str, int], any_ideas: bool) -> str:
    if not any_ideas:
        return "There are no ideas to label yet."
    if settled:
        return (
            f"The last {SETTLED_AFTER} labels changed no other idea's tier: the corridor has learned "
            "what labels can teach it for now. Label more only where you disagree with a verdict."
        )
    if learning:
        return "Verdicts follow your labels. The ideas below are those the corridor is least sure of."
    missing = [tier for tier, n in counts.items() if not n]
    return (
        "The engine's own verdicts stand until ideas of at least two tiers are labelled "
        f"(none yet: {', '.join(missing)}). The ideas below are the most typical of each tier and "
        "those nearest the engine's tier boundaries."
    )


def _suggestions(
    aligner: Aligner, model: Any, ideas: Sequence[dict[str, Any]], limit: int
) -> list[dict[str, Any]]:
    texts = [idea["text"] for idea in ideas]
    scored = aligner.score_batch(model, texts)
    z = np.asarray(scored.result.z, dtype=np.float64)
    labels = fit_labels(aligner, model, ideas, z)
    vectors = aligner.embed_scored(texts)
    thresholds = aligner.thresholds
    excluded = excluded_rows(z, scored.result.exclusion_z, thresholds, bool(scored.mission.exclusion_names))
    labelled = {
        n
        for n, idea in enumerate(ideas)
        if teaches(idea.get("override_tier"), idea.get("override_version"), model.version)
    }
    open_rows = [n for n in range(len(ideas)) if n not in labelled and not excluded[n]]
    verdicts = scored.verdicts
    confidence: dict[int, float] = {}
    asked: dict[int, str] = {}
    order: list[int] = []
    if labels is not None:
        decided = labels.decide(vectors, z, labels.own_labels([idea["id"] for idea in ideas]))
        for n in open_rows:
            confidence[n] = float(decided.confidence[n])
        verdicts = labelled_verdicts(labels, aligner, ideas, scored)
    # The most typical idea of each tier nobody has labelled yet: nearest its tier's centre.
    taught = {ideas[n]["override_tier"] for n in labelled}
    for tier in TIER_NAMES:
        members = [n for n in open_rows if verdicts[n].tier.value == tier]
        if tier in taught or not members:
            continue
        block = np.asarray(vectors[members], dtype=np.float64)
        centre = block.mean(axis=0)
        best = members[int(np.argmax(block @ centre))]
        order.append(best)
        asked[best] = f"the most typical of what the corridor calls {tier}; no idea is labelled {tier} yet"
    if labels is not None:
        rest = sorted((n for n in open_rows if n not in asked), key=lambda n: (confidence[n], ideas[n]["id"]))
        for n in rest:
            asked[n] = f"the corridor is only {confidence[n]:.0%} sure of its verdict"
    else:
        # Before the learner can work: the ideas nearest a line between two of the engine's tiers.
        gap = np.minimum(np.abs(z - thresholds.core), np.abs(z - thresholds.adjacent))
        rest = sorted((n for n in open_rows if n not in asked), key=lambda n: (gap[n], ideas[n]["id"]))
        for n in rest:
            line = (
                "core and adjacent"
                if abs(z[n] - thresholds.core) <= abs(z[n] - thresholds.adjacent)
                else "adjacent and off"
            )
            asked[n] = f"close to the engine's line between {line}"
    order += rest
    return [
        {
            "id": ideas[n]["id"],
            "text": ideas[n]["text"],
            "tier": verdicts[n].tier.value,
            "score": round(verdicts[n].score, 4),
            "theme": verdicts[n].theme,
            "why": verdicts[n].why,
            "confidence": round(confidence[n], 4) if n in confidence else None,
            "asked": asked[n],
        }
        for n in order[:limit]
    ]
