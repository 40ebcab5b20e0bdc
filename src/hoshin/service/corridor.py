"""The innovation corridor in the stateful app: verdicts for stored ideas, previews, overrides, inbox.

The engine judges an idea partly against all of the organisation's ideas (words every idea shares
say nothing; the best ideas show what "on mission" looks like here; reviewers' overrides vote).
A re-score is one pass over all of them; ideas that arrive are scored against the kept outcome of
the last pass (service/corridor_state.py), so a submission costs one embedding. Vectors come from
the store's `vectors` table through a CachedEmbedder, so re-scoring after a corridor change embeds
only texts it has never seen (the new focus areas and exclusions), never the ideas again.
"""

from __future__ import annotations

import gc
import heapq
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from hoshin.config import verdict_history
from hoshin.domain.mission import MissionModel
from hoshin.domain.verdict import TIERS, Verdict
from hoshin.embedding import CachedEmbedder, Embedder, ProgressFn
from hoshin.errors import HoshinError, InputError, NotFoundError
from hoshin.service.corridor_state import (
    SMALL_ORGANISATION,
    full_pass,
    keep,
    review_counts,
    scoring_rows,
    serving_state,
    state_for,
    stored_pass,
    time_phase,
)
from hoshin.service.kept_rows import current_rows
from hoshin.service.missions import current_model
from hoshin.service.records import IDEA_STATUSES
from hoshin.service.verdict_reasons import batch_reason
from hoshin.store.vectors import StoreVectorCache
from hoshin.store.verdict_batches import VerdictBatch

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "TIER_NAMES",
    "idea_row",
    "list_inbox",
    "new_idea_id",
    "override_tier",
    "preview_corridor",
    "score_ideas",
    "score_new_ideas",
    "judge_arrivals",
    "ArrivalVerdicts",
    "store_aligner",
    "idea_themes",
    "rescore_every_idea",
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
    mission: dict[str, Any] | None = None,
    rows: Mapping[str, dict[str, Any]] | None = None,
) -> Sequence[dict[str, Any]]:
    """Score ideas against the current mission version and store one verdict per idea asked for.

    `idea_ids=None` (or every idea's id) scores every idea. Returns the stored verdicts as {id,
    score, tier, theme, why, mission_version}, in id order for a full re-score (a sequence that
    writes each row's `why` when the row is read). NotFoundError when there is no mission or an id
    is unknown (nothing stored). `refresh_in_background`: see `corridor_state.state_for`.
    `mission` (the current version) and `rows` (idea id -> stored idea) spare the reads when the
    caller has them: a submission has just written its idea and read the mission.
    """
    aligner = _on_store(repo, aligner)
    model = current_model(repo, org_id, aligner, mission)
    if idea_ids is None or _every_idea(repo, org_id, idea_ids):
        verdict_history()  # a bad setting is refused before the work, not when storing its outcome
        return _rescore_all(repo, org_id, aligner, model, progress)
    wanted = list(dict.fromkeys(idea_ids))
    found = (
        rows if rows is not None and all(i in rows for i in wanted) else repo.by_ids("ideas", org_id, wanted)
    )
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
    items = [(idea_id, verdicts[idea_id].stored()) for idea_id in wanted]
    repo.save_verdicts(
        org_id, "idea", items, model_id=aligner.embedder.model_id, mission_version=model.version
    )
    return [{"id": idea_id, **v, "mission_version": model.version} for idea_id, v in items]


def _every_idea(repo: Repository, org_id: str, idea_ids: Sequence[str]) -> bool:
    """Whether `idea_ids` names every stored idea (the web and API ask so after a mission change)."""
    wanted = set(idea_ids)
    if len(wanted) < 2 * SMALL_ORGANISATION or len(wanted) != repo.count("ideas", org_id):
        return False
    return wanted == {row[0] for row in repo.columns("ideas", org_id, ("id",))}


class RescoredIdeas(Sequence[dict[str, Any]]):
    """The verdicts of a full re-score as rows {id, score, tier, theme, why, mission_version}; a
    row (and its `why`) is written when it is read, so a million-idea re-score writes none."""

    def __init__(self, batch: VerdictBatch, texts: list[str], mission_version: int | None) -> None:
        self.batch = batch
        self.texts = texts
        self.mission_version = mission_version

    def __len__(self) -> int:
        return len(self.batch)

    def tier_counts(self) -> dict[str, int]:
        counts = np.bincount(self.batch.tier, minlength=len(TIER_NAMES))
        return {name: int(counts[TIER_NAMES.index(name)]) for name in TIER_NAMES}

    def _row(self, i: int) -> dict[str, Any]:
        batch = self.batch
        return {
            "id": batch.record_ids[i],
            "score": float(batch.score[i]),
            "tier": batch.tier_name(i),
            "theme": batch.theme(i),
            "why": batch.why(i, self.texts[i], batch_reason),
            "mission_version": self.mission_version,
            "decided_by_example": batch.decided_by_example(i),
            "example_id": batch.example_id(i),
        }

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)


def _rescore_all(
    repo: Repository, org_id: str, aligner: Aligner, model: MissionModel, progress: ProgressFn | None
) -> Sequence[dict[str, Any]]:
    """Every idea in one full pass, stored as one verdict batch, kept as the state arrivals are
    scored against. Vectors come from what this process kept of its last pass, else from the
    store's vector cache; a failure anywhere stores nothing and keeps the previous state."""
    phases: dict[str, float] = {}
    started = clock = time.perf_counter()
    rows = current_rows(repo, org_id)
    clock = time_phase(phases, "read ideas", clock)
    if not rows:
        return []
    outcome = stored_pass(aligner, repo, org_id, model, rows, phases)
    clock = time.perf_counter()
    repo.save_verdict_batch(
        org_id, "idea", outcome.batch, model_id=aligner.embedder.model_id, mission_version=model.version
    )
    clock = time_phase(phases, "store verdicts", clock)
    keep(aligner, repo, org_id, outcome)
    if progress is not None:
        progress(len(rows))
    took = time.perf_counter() - started
    log.info("re-scored %d ideas in %.2f s: %s", len(rows), took, phases, extra={"phases": phases})
    return RescoredIdeas(outcome.batch, outcome.ideas.texts, model.version)


def score_new_ideas(
    repo: Repository,
    org_id: str,
    idea_ids: Sequence[str],
    aligner: Aligner | None = None,
    progress: ProgressFn | None = None,
    refresh_in_background: bool = False,
    mission: dict[str, Any] | None = None,
    rows: Mapping[str, dict[str, Any]] | None = None,
) -> int:
    """Verdicts for ideas that just arrived; returns how many were stored.

    Called after the ideas are committed: when scoring fails (no mission yet, the model cannot
    load) the ideas stay stored without a verdict and a warning is logged; `hoshin corridor
    rescore` fills the gap later.
    """
    if not idea_ids:
        return 0
    try:
        if aligner is None:
            if repo.mission(org_id) is None:
                return 0  # nothing to score against yet
            aligner = store_aligner(repo)
        scored = score_ideas(
            repo, org_id, aligner, idea_ids, progress, refresh_in_background, mission=mission, rows=rows
        )
        return len(scored)
    except HoshinError as exc:
        # With an aligner given (every web submission) the mission is read once, by score_ideas,
        # and only asked about again when scoring found something missing.
        if isinstance(exc, NotFoundError) and repo.mission(org_id) is None:
            return 0  # nothing to score against yet
        log.warning("ideas stored without a verdict (%s); run `hoshin corridor rescore`", exc)
        return 0


class ArrivalVerdicts:
    """Verdicts worked out for ideas before they are written, so the write's own transaction stores
    them: one commit per submission instead of two (on SQLite a disk flush under the write lock,
    on PostgreSQL three round trips). Each verdict holds only for the text it judged."""

    def __init__(
        self,
        org_id: str,
        judged: Mapping[str, str],
        items: list[tuple[str, dict[str, Any]]],
        model_id: str,
        mission_version: int,
    ) -> None:
        self.org_id = org_id
        self.judged = dict(judged)  # idea id -> the text its verdict is for
        self.items = items
        self.model_id = model_id
        self.mission_version = mission_version
        self.saved = False  # whether save() stored them

    def save(self, repo: Repository, stored: Sequence[dict[str, Any]]) -> None:
        """Store the verdicts, in the caller's transaction, when `stored` are exactly the ideas
        judged, each with the text judged (validation may have changed it); else store nothing.
        `saved` tells which, after the transaction, to a caller that only handed this on."""
        if sorted(i["id"] for i in stored) != sorted(self.judged) or any(
            i.get("text") != self.judged[i["id"]] for i in stored
        ):
            return
        repo.save_verdicts(
            self.org_id,
            "idea",
            self.items,
            model_id=self.model_id,
            mission_version=self.mission_version,
        )
        self.saved = True


def judge_arrivals(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    ideas: Sequence[dict[str, Any]],
    mission: dict[str, Any] | None,
) -> ArrivalVerdicts | None:
    """Verdicts for ideas (id and text) not stored yet, as one more line of the kept corridor
    state: the same verdicts `score_new_ideas` gives them once stored. None when the kept state
    cannot serve (none yet, a small organisation, a changed mission or reviews) or scoring fails:
    the caller then stores the ideas first and scores them after, as before."""
    if mission is None or not ideas:
        return None
    try:
        aligner = _on_store(repo, aligner)
        model = current_model(repo, org_id, aligner, mission)
        state = serving_state(repo, org_id, aligner, model)
        if state is None:
            return None
        verdicts = state.score(aligner, list(ideas))
    except HoshinError as exc:
        log.warning("ideas scored after their write instead (%s)", exc)
        return None
    items = [(idea["id"], v.stored()) for idea, v in zip(ideas, verdicts, strict=True)]
    judged = {idea["id"]: idea["text"] for idea in ideas}
    return ArrivalVerdicts(org_id, judged, items, aligner.embedder.model_id, model.version)


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
    proposed = replace(
        aligner.mission_model(
            model.text, focus_areas=list(focus_areas), exclusions=list(exclusions), themes=model.themes
        ),
        removed_parts=model.removed_parts,  # a saved corridor keeps them (save_mission)
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
    repo: Repository,
    org_id: str,
    idea_id: str,
    tier: str,
    reason: str,
    actor: str,
    aligner: Aligner | None = None,
) -> dict[str, Any]:
    """Keep a reviewer's tier and reason next to the engine's verdict (one audit event). It is a
    label that teaches the corridor (service/corridor_teaching.py): with `aligner`, every idea is
    re-scored at once so the stored verdicts follow it; without, at the next re-score.

    InputError for an unknown tier or an empty reason, NotFoundError for an unknown idea; in each
    case nothing changes. Returns the idea as the inbox shows it.
    """
    from hoshin.service.corridor_teaching import check_reason, keep_label

    if tier not in TIER_NAMES:
        raise InputError(f"unknown tier {tier!r}; use one of: {', '.join(TIER_NAMES)}")
    reason = check_reason(reason)
    kept = keep_label(repo, org_id, aligner, idea_id, tier, reason, actor, "idea.override")
    idea: dict[str, Any] = kept["idea"]
    return idea


def idea_row(repo: Repository, org_id: str, idea_id: str) -> dict[str, Any]:
    """One idea as the inbox shows it: the idea with its newest verdict (score, tier, theme, why;
    None while it is still being scored). NotFoundError for an unknown id."""
    return _inbox_row(repo.get("ideas", org_id, idea_id), _latest_verdict(repo, org_id, idea_id))


def new_idea_id(repo: Repository, org_id: str) -> str:
    """A free id for an idea submitted without one, in the demo's style: I001, I002 ... after the
    number of ideas stored (one count and one look-up, not a scan of every id). Where ids were
    deleted or chosen by hand those numbers may be taken: the first free of the next 50, else the
    count with a random suffix. Two submissions at the same moment may still pick the same id; the
    second then gets the usual ConflictError and can be sent again."""
    import secrets

    start = repo.count("ideas", org_id) + 1
    candidates = [f"I{n:03d}" for n in range(start, start + 50)]
    taken = repo.existing_keys("ideas", org_id, candidates)
    free = [c for c in candidates if c not in taken]
    return free[0] if free else f"I{start:03d}-{secrets.token_hex(3)}"


def _latest_verdict(repo: Repository, org_id: str, idea_id: str) -> dict[str, Any] | None:
    return repo.newest_verdicts(org_id, "idea", [idea_id]).get(idea_id)


def _inbox_row(idea: dict[str, Any], verdict: dict[str, Any] | None) -> dict[str, Any]:
    row = dict(idea)
    row.update(
        score=verdict["score"] if verdict else None,
        tier=verdict["tier"] if verdict else None,
        theme=verdict["theme"] if verdict else None,
        why=verdict["why"] if verdict else None,
        mission_version=verdict["mission_version"] if verdict else None,
        # Whether a reviewer's example (a labelled idea) decided the tier, and which one.
        decided_by_example=bool(verdict.get("decided_by_example")) if verdict else None,
        example_id=verdict.get("example_id") if verdict else None,
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
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Ideas with their latest verdict and any override, best score first (unscored last).

    Filters: `tier` matches the effective tier (the override where there is one), `theme` the
    verdict's theme (case-insensitive), `status` the funnel status, `unit` the unit and its
    sub-units. `offset` and `limit` pick a page of that list (default: all of it); only the page's
    rows are read whole and get their `why`, so a page costs the same at 1,000 or 1,000,000 ideas
    once the scores are read. InputError for an unknown tier or status or a negative offset or
    limit, NotFoundError for an unknown unit.
    """
    return inbox_page(repo, org_id, tier, theme, status, unit, limit, offset)[0]


def inbox_page(
    repo: Repository,
    org_id: str,
    tier: str | None = None,
    theme: str | None = None,
    status: str | None = None,
    unit: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """`list_inbox`'s page and how many ideas the filters keep in all (for "101-200 of 12,345")."""
    if tier is not None and tier not in TIER_NAMES:
        raise InputError(f"unknown tier {tier!r}; use one of: {', '.join(TIER_NAMES)}")
    if status is not None and status not in IDEA_STATUSES:
        raise InputError(f"unknown status {status!r}; use one of: {', '.join(IDEA_STATUSES)}")
    for name, value in (("offset", offset), ("limit", limit)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise InputError(f"the {name} must be a whole number of rows, 0 or more (got {value!r})")
    units = set(repo.unit_subtree(org_id, unit)) if unit is not None else None
    end = None if limit is None else offset + limit
    with _no_collector_pauses():
        ranked, ideas = _ranked(repo, org_id, tier, theme, status, units)
        if end is not None and end * 8 < len(ranked):
            page = heapq.nsmallest(end, ranked)[offset:]  # the first rows without sorting them all
        else:
            ranked.sort()
            page = ranked[offset:end]
        matching = len(ranked)
        del ranked
    # Most of the ideas wanted: one pass over the table beats reading them by id, a few hundred a query.
    read_all = 2 * len(page) > ideas
    return _inbox_rows(repo, org_id, [idea_id for _, _, idea_id in page], read_all), matching


@contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """Holds off Python's cycle collector while a million rows, scores and keys are built: none
    of them can form a cycle, yet each allocation burst would make the collector walk everything
    a server keeps in memory (the corridor's state), which took a third of a page read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ranked(
    repo: Repository,
    org_id: str,
    tier: str | None,
    theme: str | None,
    status: str | None,
    units: set[str] | None,
) -> tuple[list[tuple[bool, float, str]], int]:
    """The sort key (unscored, -score, id) of every idea the filters keep, unsorted, and how many
    ideas there are. Reads only the newest scores and the idea columns the filters look at: no
    text, no sentence."""
    scores = repo.newest_scores(org_id, "idea")
    # Every idea is listed, scored or not; the columns a filter needs come along with its id.
    names = ["id"]
    names += ["override_tier"] if tier is not None else []
    names += ["status"] if status is not None else []
    names += ["unit_id"] if units is not None else []
    at = {name: i for i, name in enumerate(names)}
    override_at, status_at, unit_at = at.get("override_tier"), at.get("status"), at.get("unit_id")
    wanted_theme = theme.strip().casefold() if theme is not None else None
    unscored = (None, None, None)
    ranked: list[tuple[bool, float, str]] = []
    keep = ranked.append
    rows = repo.columns("ideas", org_id, names)
    for row in rows:
        idea_id = row[0]
        score, engine_tier, verdict_theme = scores.get(idea_id, unscored)
        if override_at is not None and (row[override_at] or engine_tier) != tier:
            continue
        if status_at is not None and row[status_at] != status:
            continue
        if unit_at is not None and units is not None and row[unit_at] not in units:
            continue
        if wanted_theme is not None and (verdict_theme or "").casefold() != wanted_theme:
            continue
        keep((score is None, -(score or 0.0), idea_id))
    return ranked, len(rows)


def _inbox_rows(repo: Repository, org_id: str, idea_ids: list[str], read_all: bool) -> list[dict[str, Any]]:
    """The inbox rows of these ideas, in this order: each idea whole with its newest verdict."""
    if not idea_ids:
        return []
    if read_all:
        ideas = {idea["id"]: idea for idea in repo.rows("ideas", org_id)}
    else:
        ideas = repo.by_ids("ideas", org_id, idea_ids)
    verdicts = repo.newest_verdicts(org_id, "idea", idea_ids)
    # An idea deleted since the ranking read is left out rather than shown half-empty.
    return [_inbox_row(ideas[i], verdicts.get(i)) for i in idea_ids if i in ideas]


def rescore_every_idea(repo: Repository, org_id: str, aligner: Aligner) -> None:
    """Fresh verdicts for every stored idea (after the mission or its corridor changed)."""
    score_new_ideas(repo, org_id, sorted(str(k) for k in repo.keys("ideas", org_id)), aligner)


def idea_themes(repo: Repository, org_id: str) -> list[str]:
    """The themes the ideas' verdicts name, sorted: the names only, no verdict's sentence is written."""
    summaries = repo.verdict_summaries(org_id, ["idea"])["idea"]
    return sorted({v["theme"] for v in summaries.values() if v.get("theme")})
