"""The innovation corridor in the stateful app: verdicts for stored ideas, previews, overrides, inbox.

The engine judges an idea partly against all of the organisation's ideas (words every idea shares
say nothing; the best ideas show what "on mission" looks like here; reviewers' overrides vote).
A re-score is one pass over all of them; ideas that arrive are scored against the kept outcome of
the last pass (service/corridor_state.py), so a submission costs one embedding. Vectors come from
the store's `vectors` table through a CachedEmbedder, so re-scoring after a corridor change embeds
only texts it has never seen (the new focus areas and exclusions), never the ideas again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hoshin.domain.mission import MissionModel
from hoshin.domain.verdict import TIERS, Verdict
from hoshin.embedding import CachedEmbedder, Embedder, ProgressFn
from hoshin.errors import HoshinError, InputError, NotFoundError
from hoshin.service.audit import record_event
from hoshin.service.corridor_state import (
    forget_states,
    full_pass,
    remember,
    review_counts,
    scoring_rows,
    state_for,
)
from hoshin.service.missions import current_model
from hoshin.service.records import IDEA_STATUSES
from hoshin.store.vectors import StoreVectorCache

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "TIER_NAMES",
    "list_inbox",
    "override_tier",
    "preview_corridor",
    "score_ideas",
    "score_new_ideas",
    "store_aligner",
]

log = logging.getLogger(__name__)
TIER_NAMES = tuple(t.value for t in TIERS)
MAX_REASON_CHARS = 2_000


def store_aligner(repo: Repository, embedder: Embedder | None = None) -> Aligner:
    """An Aligner whose vectors are cached in this store (the configured backend unless given)."""
    from hoshin.embedding import create_embedder
    from hoshin.service.alignment import Aligner

    inner = embedder if embedder is not None else create_embedder()
    return Aligner(CachedEmbedder(inner, StoreVectorCache(repo)))


def _on_store(repo: Repository, aligner: Aligner) -> Aligner:
    """`aligner` itself when it already caches in this store; else the same engine wrapped so it does."""
    embedder = aligner.embedder
    if isinstance(embedder, CachedEmbedder) and isinstance(embedder.cache, StoreVectorCache):
        return aligner
    from hoshin.service.alignment import Aligner

    return Aligner(
        CachedEmbedder(embedder, StoreVectorCache(repo)),
        thresholds=aligner.thresholds,
        params=aligner.params,
        background=aligner._background_texts,
    )


def _verdicts(
    aligner: Aligner, model: MissionModel, ideas: list[dict[str, Any]], progress: ProgressFn | None = None
) -> dict[str, Verdict]:
    """Every idea scored as one batch, with the reviewers' votes (nothing kept for later)."""
    if not ideas:
        return {}
    verdicts, _ = full_pass(aligner, model, ideas, review_counts(ideas), progress)
    return {idea["id"]: verdict for idea, verdict in zip(ideas, verdicts, strict=True)}


def score_ideas(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    idea_ids: Sequence[str] | None = None,
    progress: ProgressFn | None = None,
    refresh_in_background: bool = False,
) -> list[dict[str, Any]]:
    """Score ideas against the current mission version and store one verdict per idea asked for.

    `idea_ids=None` scores every idea. Returns the stored verdicts as {id, score, tier, theme, why,
    mission_version}. NotFoundError when there is no mission or an id is unknown (nothing stored).
    `refresh_in_background`: see `corridor_state.state_for` (for the web server).
    """
    aligner = _on_store(repo, aligner)
    model = current_model(repo, org_id, aligner)
    if idea_ids is None:
        # Everything: one full pass, which also becomes the state later arrivals are scored against.
        ideas = scoring_rows(repo, org_id)
        if not ideas:
            return []
        verdict_list, state = full_pass(aligner, model, ideas, review_counts(ideas), progress)
        remember(aligner, repo, org_id, state)
        verdicts = {idea["id"]: v for idea, v in zip(ideas, verdict_list, strict=True)}
        wanted = [idea["id"] for idea in ideas]
    else:
        wanted = list(dict.fromkeys(idea_ids))
        found = repo.by_ids("ideas", org_id, wanted)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFoundError(f"no idea {missing[0]!r} in {org_id!r}")
        if not wanted:
            return []
        # Only the ideas asked for are scored, against the kept outcome of a full pass
        # (service/corridor_state.py), so one arrival costs one embedding, not a re-score.
        state, fresh = state_for(repo, org_id, aligner, model, progress, refresh_in_background)
        if fresh is not None and all(i in fresh for i in wanted):
            verdicts = fresh  # a full pass just ran: it scored these too
        else:
            chosen = [found[i] for i in wanted]
            verdicts = dict(zip(wanted, state.score(aligner, chosen, progress), strict=True))
    items = [(idea_id, verdicts[idea_id].as_dict()) for idea_id in wanted]
    repo.save_verdicts(
        org_id, "idea", items, model_id=aligner.embedder.model_id, mission_version=model.version
    )
    return [{"id": idea_id, **v, "mission_version": model.version} for idea_id, v in items]


def score_new_ideas(
    repo: Repository,
    org_id: str,
    idea_ids: Sequence[str],
    aligner: Aligner | None = None,
    progress: ProgressFn | None = None,
    refresh_in_background: bool = False,
) -> int:
    """Verdicts for ideas that just arrived; returns how many were stored.

    Called after the ideas are committed: when scoring fails (no mission yet, the model cannot
    load) the ideas stay stored without a verdict and a warning is logged; `hoshin corridor
    rescore` fills the gap later.
    """
    if not idea_ids:
        return 0
    try:
        if repo.mission(org_id) is None:
            return 0  # nothing to score against yet
        engine = aligner if aligner is not None else store_aligner(repo)
        scored = score_ideas(repo, org_id, engine, idea_ids, progress, refresh_in_background)
        return len(scored)
    except HoshinError as exc:
        log.warning("ideas stored without a verdict (%s); run `hoshin corridor rescore`", exc)
        return 0


def preview_corridor(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    focus_areas: Sequence[str],
    exclusions: Sequence[str],
) -> list[dict[str, Any]]:
    """The ideas whose tier would change under this corridor: {id, text, before, after}; saves no record.

    `before` and `after` are verdicts ({score, tier, theme, why}) under the current corridor and the
    proposed one. Only vectors of texts never seen before are added to the shared vector cache.
    """
    for name, values in (("focus_areas", focus_areas), ("exclusions", exclusions)):
        if isinstance(values, str) or not all(isinstance(v, str) for v in values):
            raise InputError(f"{name} must be a list of texts")
    aligner = _on_store(repo, aligner)
    model = current_model(repo, org_id, aligner)
    proposed = aligner.mission_model(
        model.text, focus_areas=list(focus_areas), exclusions=list(exclusions), themes=model.themes
    )
    ideas = scoring_rows(repo, org_id)
    before = _verdicts(aligner, model, ideas)
    after = _verdicts(aligner, proposed, ideas)
    changes = []
    for idea in ideas:
        old, new = before[idea["id"]], after[idea["id"]]
        if old.tier != new.tier:
            changes.append(
                {"id": idea["id"], "text": idea["text"], "before": old.as_dict(), "after": new.as_dict()}
            )
    return changes


def override_tier(
    repo: Repository, org_id: str, idea_id: str, tier: str, reason: str, actor: str
) -> dict[str, Any]:
    """Keep a reviewer's tier and reason next to the engine's verdict (one audit event).

    InputError for an unknown tier or an empty reason, NotFoundError for an unknown idea; in each
    case nothing changes. Returns the idea as the inbox shows it.
    """
    if tier not in TIER_NAMES:
        raise InputError(f"unknown tier {tier!r}; use one of: {', '.join(TIER_NAMES)}")
    if not isinstance(reason, str) or not reason.strip():
        raise InputError("an override needs a reason: say why the reviewer disagrees with the engine")
    reason = reason.strip()
    if len(reason) > MAX_REASON_CHARS:
        raise InputError(f"the reason is longer than {MAX_REASON_CHARS} characters")
    with repo.transaction():
        idea = repo.get("ideas", org_id, idea_id)
        engine = _latest_verdicts(repo, org_id).get(idea_id)
        repo.upsert(
            "ideas",
            org_id,
            [{"id": idea_id, "override_tier": tier, "override_reason": reason, "reviewer": actor}],
        )
        record_event(
            repo,
            org_id,
            actor,
            "idea.override",
            "ideas",
            idea_id,
            {
                "tier": tier,
                "reason": reason,
                "engine_tier": engine["tier"] if engine else None,
                "previous_override": idea.get("override_tier"),
            },
        )
    forget_states(repo, org_id)  # the reviewers' votes changed: the next arrival gets a full pass
    return _inbox_row(repo.get("ideas", org_id, idea_id), _latest_verdicts(repo, org_id).get(idea_id))


def _latest_verdicts(repo: Repository, org_id: str) -> dict[str, dict[str, Any]]:
    return {v["record_id"]: v for v in repo.verdicts(org_id, "idea")}


def _inbox_row(idea: dict[str, Any], verdict: dict[str, Any] | None) -> dict[str, Any]:
    row = dict(idea)
    row.update(
        score=verdict["score"] if verdict else None,
        tier=verdict["tier"] if verdict else None,
        theme=verdict["theme"] if verdict else None,
        why=verdict["why"] if verdict else None,
        mission_version=verdict["mission_version"] if verdict else None,
    )
    # What the organisation acts on: the reviewer's word where there is one, else the engine's.
    row["effective_tier"] = idea.get("override_tier") or row["tier"]
    return row


def list_inbox(
    repo: Repository,
    org_id: str,
    tier: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    unit: str | None = None,
) -> list[dict[str, Any]]:
    """Ideas with their latest verdict and any override, best score first (unscored last).

    Filters: `tier` matches the effective tier (the override where there is one), `theme` the
    verdict's theme (case-insensitive), `status` the funnel status, `unit` the unit and its
    sub-units. InputError for an unknown tier or status, NotFoundError for an unknown unit.
    """
    if tier is not None and tier not in TIER_NAMES:
        raise InputError(f"unknown tier {tier!r}; use one of: {', '.join(TIER_NAMES)}")
    if status is not None and status not in IDEA_STATUSES:
        raise InputError(f"unknown status {status!r}; use one of: {', '.join(IDEA_STATUSES)}")
    units = set(repo.unit_subtree(org_id, unit)) if unit is not None else None
    verdicts = _latest_verdicts(repo, org_id)
    rows = []
    for idea in repo.rows("ideas", org_id):
        row = _inbox_row(idea, verdicts.get(idea["id"]))
        if tier is not None and row["effective_tier"] != tier:
            continue
        if theme is not None and (row["theme"] or "").casefold() != theme.strip().casefold():
            continue
        if status is not None and row["status"] != status:
            continue
        if units is not None and row.get("unit_id") not in units:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0.0), r["id"]))
    return rows
