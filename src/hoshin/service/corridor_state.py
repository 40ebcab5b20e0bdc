"""Scoring one more idea without scoring every stored idea again.

An idea's verdict depends a little on the other ideas: words most of them share are dropped as
boilerplate, the best of them define what "on mission" looks like here (service/alignment.py,
`BatchContext`), and the ideas reviewers labelled are the examples the others are placed among
(service/corridor_labels.py). Scoring all stored ideas for each new arrival made one submission cost as much
as a full re-score. So the outcome of one full pass is kept as a `CorridorState`, per Aligner,
store and organisation, and arrivals are scored against it alone: the same verdict they would get
as one more line of that pass, at the price of one embedding.

A state is rebuilt by a full pass when it may have gone stale: another mission version or
corridor; more than a tenth more ideas than it was built from; a label or a review since
(the counts of labelled and reviewed ideas changed); or simply age (a minute, or ten times what
the full pass took, whichever is longer, so a huge organisation is not re-scored every minute).
Organisations with fewer than `SMALL_ORGANISATION` ideas always get the full pass: there a newcomer
can change the batch's boilerplate words or its best ideas, and the pass is cheap. The web server
asks for growth and age to be handled in a background thread, so no submission waits for a pass
that only refreshes a still-valid state.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from hoshin.domain.explain import judge_many
from hoshin.domain.mission import MissionModel
from hoshin.domain.nearest import align_stored
from hoshin.domain.quantised import QuantisedVectors
from hoshin.domain.text import boilerplate_from_counts, scored_text, word_document_counts
from hoshin.domain.verdict import Verdict
from hoshin.embedding import ProgressFn
from hoshin.service.alignment import BatchContext, ScoredBatch, _headline, told_apart
from hoshin.service.corridor_labels import ReviewerLabels, excluded_rows, teaches
from hoshin.service.kept_rows import SCORING_COLUMNS, current_rows, forget_rows
from hoshin.service.scored_vectors import scored_vectors
from hoshin.store.verdict_batches import VerdictBatch

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "CorridorState",
    "SMALL_ORGANISATION",
    "fit_labels",
    "forget_states",
    "kept_ideas",
    "kept_state",
    "labelled_verdicts",
    "full_pass",
    "remember",
    "review_counts",
    "scoring_rows",
    "serving_state",
    "state_for",
]

log = logging.getLogger(__name__)

SMALL_ORGANISATION = 50
GROWTH_ALLOWED = 0.10
MIN_AGE_LIMIT_S = 60.0


@dataclass(frozen=True)
class CorridorState:
    """One full pass over an organisation's ideas, kept to score arrivals against."""

    model: MissionModel
    batch: BatchContext
    labels: ReviewerLabels | None
    counts: tuple[int, int, int]  # Repository.idea_review_counts when it was built
    built_at: float
    build_seconds: float

    def score(
        self, aligner: Aligner, ideas: Sequence[dict[str, Any]], progress: ProgressFn | None = None
    ) -> list[Verdict]:
        """Verdicts for `ideas` (dicts with id and text), as more lines of the kept pass."""
        if not ideas:
            return []
        texts = [idea["text"] for idea in ideas]
        scored = aligner.score_batch(self.model, texts, progress, context=self.batch)
        return labelled_verdicts(self.labels, aligner, ideas, scored)

    def compatible(self, model: MissionModel, counts: tuple[int, int, int]) -> bool:
        """Same mission and corridor, the same labels and reviews, and not a small batch: the
        verdicts it gives are right, if perhaps built from somewhat fewer ideas than there are now."""
        ideas, overridden, reviewed = counts
        built_ideas, built_overridden, built_reviewed = self.counts
        return (
            model == self.model
            and built_ideas >= SMALL_ORGANISATION
            and built_ideas <= ideas <= 2 * built_ideas
            and (overridden, reviewed) == (built_overridden, built_reviewed)
        )

    def current(self, model: MissionModel, counts: tuple[int, int, int], now: float) -> bool:
        """Compatible, and neither grown past `GROWTH_ALLOWED` nor past its age limit."""
        return (
            self.compatible(model, counts)
            and counts[0] <= self.counts[0] * (1 + GROWTH_ALLOWED)
            and now - self.built_at <= max(MIN_AGE_LIMIT_S, 10 * self.build_seconds)
        )


def scoring_rows(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """Every idea with just what scoring reads (id, text, status, override_tier, override_version),
    sorted by id:
    a full `rows` read builds every column of every idea, a third of a 100,000-idea re-score."""
    return [
        dict(zip(SCORING_COLUMNS, row, strict=True)) for row in repo.columns("ideas", org_id, SCORING_COLUMNS)
    ]


def review_counts(ideas: Sequence[dict[str, Any]]) -> tuple[int, int, int]:
    """What Repository.idea_review_counts would say of exactly these ideas."""
    overridden = sum(1 for idea in ideas if idea.get("override_tier") is not None)
    reviewed = sum(1 for idea in ideas if idea.get("status", "new") != "new")
    return len(ideas), overridden, reviewed


def full_pass(
    aligner: Aligner,
    model: MissionModel,
    ideas: Sequence[dict[str, Any]],
    counts: tuple[int, int, int],
    progress: ProgressFn | None = None,
) -> tuple[list[Verdict], CorridorState]:
    """Verdicts for every idea as one batch, and the state that scores more ideas like them."""
    started = time.perf_counter()
    scored = aligner.score_batch(
        model, [idea["text"] for idea in ideas], progress=progress, batch_bounds=True
    )
    labels = fit_labels(aligner, model, ideas, np.asarray(scored.result.z, dtype=np.float64))
    verdicts = labelled_verdicts(labels, aligner, ideas, scored)
    took = time.perf_counter() - started
    state = CorridorState(model, scored.context, labels, counts, time.monotonic(), took)
    return verdicts, state


def fit_labels(
    aligner: Aligner, model: MissionModel, ideas: Sequence[dict[str, Any]], z: np.ndarray
) -> ReviewerLabels | None:
    """The reviewers' labels of the current mission version among `ideas` (z: theirs, in order) as
    the learner's examples; None when fewer than two tiers are labelled."""
    positions = [
        n
        for n, idea in enumerate(ideas)
        if teaches(idea.get("override_tier"), idea.get("override_version"), model.version)
    ]
    if not positions:
        return None
    labelled = [(ideas[n]["id"], ideas[n]["text"], ideas[n]["override_tier"]) for n in positions]
    return ReviewerLabels.fit(aligner, labelled, z[positions], z)


def labelled_verdicts(
    labels: ReviewerLabels | None, aligner: Aligner, ideas: Sequence[dict[str, Any]], scored: ScoredBatch
) -> list[Verdict]:
    """The batch's verdicts with the tiers the reviewers' labels moved (none without labels)."""
    if labels is None:
        return scored.verdicts
    result = scored.result
    excluded = excluded_rows(
        result.z, result.exclusion_z, aligner.thresholds, bool(scored.mission.exclusion_names)
    )
    vectors = aligner.embed_scored([idea["text"] for idea in ideas])
    return labels.apply(scored.verdicts, [idea["id"] for idea in ideas], vectors, result.z, excluded)


# ---- the full re-score from what the process already holds ------------------------------------
# A re-score after a corridor change sees the same ideas as the last one: their vectors, their
# hubness (which depends on the text and the background only, never on the mission) and the words
# they share are kept per Aligner, store and organisation, and only ideas added or edited since are
# read from the vector cache again. The alignment then runs on stored vectors (`align_stored`),
# tiers and scores come out as arrays, and the sentences are written when someone reads them
# (store/verdict_batches.py).


@dataclass
class StoredIdeas:
    """The ideas of the last full pass: texts by position, vectors of the texts as embedded
    (without the boilerplate words `drop`), their hubness, and each word's document count.

    The vectors are kept as int8 codes (domain/quantised.py): a million ideas hold 0.39 GB instead
    of 1.5 GB of float32, and eval/eval_int8_rescore.py shows the dev corridor data's tiers and
    rankings unchanged by it."""

    ids: list[str]
    texts: list[str]
    vectors: QuantisedVectors
    hub: np.ndarray
    counts: Counter[str]
    drop: frozenset[str]


_stored: weakref.WeakKeyDictionary[Aligner, dict[tuple[str, str], StoredIdeas]] = weakref.WeakKeyDictionary()


def kept_ideas(repo: Repository, org_id: str, aligner: Aligner) -> StoredIdeas | None:
    """The ideas kept from this organisation's last stored pass, if any (to see what they hold)."""
    with _guard:
        return _stored.get(aligner, {}).get((repo.url, org_id))


def forget_stored(repo: Repository, org_id: str) -> None:
    with _guard:
        for kept in _stored.values():
            kept.pop((repo.url, org_id), None)
    forget_rows(repo, org_id)


def _embedded(
    aligner: Aligner, texts: Sequence[str], drop: frozenset[str]
) -> tuple[QuantisedVectors, np.ndarray]:
    """Vectors as int8 codes (from the vector cache; never-seen texts are embedded) and hubness of
    the texts (from the vectors as those codes give them back, as `Aligner.score_batch` scores):
    hubs the store's vector cache keeps beside the vectors are read, not computed again."""
    return scored_vectors(aligner, [scored_text(t, drop) for t in texts])


def stored_ideas(
    aligner: Aligner, repo: Repository, org_id: str, ids: list[str], texts: list[str], mission_text: str
) -> StoredIdeas:
    """What a full pass over these ideas needs, from the kept pass where the ideas are the same."""
    kept = _stored.get(aligner, {}).get((repo.url, org_id))
    if kept is not None and kept.ids == ids and kept.texts == texts:
        counts = kept.counts
        reuse: list[tuple[int, int]] | None = None  # every row as it was
    elif kept is not None:
        # Some ideas were added, edited or removed: adjust the word counts by exactly those.
        before = {idea_id: n for n, idea_id in enumerate(kept.ids)}
        reuse = []
        for n, (idea_id, text) in enumerate(zip(ids, texts, strict=True)):
            m = before.get(idea_id)
            if m is not None and kept.texts[m] == text:
                reuse.append((n, m))
        kept_old = {m for _, m in reuse}
        kept_new = {n for n, _ in reuse}
        counts = kept.counts.copy()
        counts.subtract(word_document_counts(t for m, t in enumerate(kept.texts) if m not in kept_old))
        counts.update(word_document_counts(t for n, t in enumerate(texts) if n not in kept_new))
        counts = +counts  # drop words no text has any more
    else:
        counts = word_document_counts(texts)
        reuse = None
    # The mission statement counts as one more text, as in Aligner.score_batch.
    with_mission = counts + word_document_counts([mission_text])
    drop = boilerplate_from_counts(with_mission, len(texts) + 1)
    if kept is not None and drop == kept.drop and reuse is None:
        vectors, hub = kept.vectors, kept.hub
    elif kept is not None and drop == kept.drop and reuse is not None:
        vectors = QuantisedVectors.empty(len(ids), kept.vectors.shape[1])
        hub = np.empty(len(ids), dtype=np.float32)
        new_rows = np.array([n for n, _ in reuse], dtype=np.int64)
        old_rows = np.array([m for _, m in reuse], dtype=np.int64)
        vectors.put(new_rows, kept.vectors, old_rows)
        hub[new_rows] = kept.hub[old_rows]
        fresh = np.setdiff1d(np.arange(len(ids)), new_rows)
        if len(fresh):
            fresh_vectors, hub[fresh] = _embedded(aligner, [texts[n] for n in fresh.tolist()], drop)
            vectors.put(fresh, fresh_vectors)
    else:
        vectors, hub = _embedded(aligner, texts, drop)
    return StoredIdeas(ids, texts, vectors, hub, counts, drop)


@dataclass(frozen=True)
class StoredPass:
    """The outcome of `stored_pass`: the verdicts as a batch, and the state for arrivals."""

    batch: VerdictBatch
    state: CorridorState
    ideas: StoredIdeas


def time_phase(phases: dict[str, float] | None, name: str, started: float) -> float:
    """Add the seconds since `started` to `phases[name]` (when timing is asked for); returns now,
    the start of the next phase."""
    now = time.perf_counter()
    if phases is not None:
        phases[name] = round(phases.get(name, 0.0) + now - started, 3)
    return now


def stored_pass(
    aligner: Aligner,
    repo: Repository,
    org_id: str,
    model: MissionModel,
    rows: Sequence[Sequence[Any]],
    phases: dict[str, float] | None = None,
) -> StoredPass:
    """A full pass over every idea (`rows` as `scoring_rows` reads them: id, text, status,
    override_tier, override_version) from vectors the process holds or the store's vector cache
    has: the verdicts `full_pass` would give (z within float tolerance), as a batch whose sentences
    are written on reading. Nothing is kept until `keep` is called (after the batch is stored)."""
    started = clock = time.perf_counter()
    ids = [row[0] for row in rows]
    texts = [row[1] for row in rows]
    ideas = stored_ideas(aligner, repo, org_id, ids, texts, model.text)
    clock = time_phase(phases, "vectors and boilerplate", clock)
    prepared = aligner.prepare(model, ideas.drop)
    result = align_stored(
        ideas.vectors,
        ideas.hub,
        prepared,
        aligner.background,
        aligner.params,
        background_hub=aligner.background_hub,
    )
    clock = time_phase(phases, "align", clock)
    thresholds = aligner.batch_thresholds(result.z)
    # As `Aligner.score_batch` does: ideas naming a part the mission's product is made of are core,
    # ideas about a sibling product adjacent at most. The batch keeps the engine's own z (the
    # reviewers' labels compare ideas by it, as in `full_pass`); only the scores and tiers read
    # the moved one.
    lifted_z, whys = told_apart(texts, result.z, result.exclusion_z, prepared, thresholds)
    has_exclusion = len(prepared.exclusion_names) > 0
    scores, tiers = judge_many(lifted_z, thresholds, result.exclusion_z, has_exclusion)
    row_names = tuple(_headline(prepared) if name == "mission" else name for name in prepared.names)
    batch = VerdictBatch(
        record_ids=ids,
        score=scores,
        tier=tiers,
        row=result.best.astype(np.int32),
        z=np.asarray(result.z, dtype=np.float64),
        exclusion=np.asarray(result.exclusion, dtype=np.int32),
        exclusion_z=np.asarray(result.exclusion_z, dtype=np.float64),
        row_names=row_names,
        row_texts=tuple(prepared.texts),
        exclusion_names=tuple(prepared.exclusion_names),
        thresholds=(thresholds.core, thresholds.adjacent),
        whys=whys,
    )
    clock = time_phase(phases, "tiers", clock)
    # The reviewers' labels of this mission version (a few rows among a million) teach the rest.
    positions = [
        n for n, row in enumerate(rows) if row[3] is not None and teaches(row[3], row[4], model.version)
    ]
    labels = None
    if positions:
        labelled = [(rows[n][0], rows[n][1], rows[n][3]) for n in positions]
        labels = ReviewerLabels.fit(aligner, labelled, batch.z[positions], batch.z)
    if labels is not None:
        # The labels compare the texts as written; the scored vectors are those only when no word
        # and no exception clause was cut (text.scored_text).
        same = not ideas.drop and all(scored_text(t, ideas.drop) == t for t in texts)
        raw = ideas.vectors if same else aligner.embed_scored(texts)
        excluded = excluded_rows(batch.z, batch.exclusion_z, thresholds, has_exclusion)
        batch = labels.apply_to_batch(batch, raw, excluded)
    # Stored as Verdict.as_dict stores a score (the labels above read it unrounded).
    # np.round agrees with Python's round(v, 4) (checked on a million scores) at 1/200 of the cost.
    rounded = np.round(batch.score, 4)
    batch = replace(batch, score=rounded, _built={})
    clock = time_phase(phases, "reviewer labels", clock)
    overridden = sum(1 for row in rows if row[3] is not None)
    counts = (len(rows), overridden, sum(1 for row in rows if row[2] != "new"))
    took = time.perf_counter() - started
    context = BatchContext(ideas.drop, prepared, result.centre, thresholds)
    state = CorridorState(model, context, labels, counts, time.monotonic(), took)
    return StoredPass(batch, state, ideas)


def keep(aligner: Aligner, repo: Repository, org_id: str, outcome: StoredPass) -> None:
    """Keep a stored pass's state and ideas (once its verdicts are stored)."""
    remember(aligner, repo, org_id, outcome.state)
    with _guard:
        _stored.setdefault(aligner, {})[(repo.url, org_id)] = outcome.ideas


# Per Aligner (weakly: a dropped Aligner takes its states with it), per store and organisation.
_states: weakref.WeakKeyDictionary[Aligner, dict[tuple[str, str], CorridorState]] = (
    weakref.WeakKeyDictionary()
)
_locks: dict[tuple[int, str, str], threading.Lock] = {}
_guard = threading.Lock()


def _lock(aligner: Aligner, key: tuple[str, str]) -> threading.Lock:
    with _guard:
        return _locks.setdefault((id(aligner), *key), threading.Lock())


def remember(aligner: Aligner, repo: Repository, org_id: str, state: CorridorState) -> None:
    with _guard:
        _states.setdefault(aligner, {})[(repo.url, org_id)] = state


def kept_state(repo: Repository, org_id: str, aligner: Aligner) -> CorridorState | None:
    """The state kept for this organisation, if any (current or not)."""
    with _guard:
        return _states.get(aligner, {}).get((repo.url, org_id))


def forget_states(repo: Repository, org_id: str) -> None:
    """Drop every kept state of this organisation (after a label: its examples changed)."""
    with _guard:
        for states in _states.values():
            states.pop((repo.url, org_id), None)
        _counted.pop((repo.url, org_id), None)


# The web server checks the counts behind a kept state at most this often. Counting is a pass over
# the organisation's ideas (a million ideas: a tenth of a second), which every submission paid;
# an override made in this process drops the state at once (forget_states), and one made by
# another worker is seen within this time.
COUNTS_MAX_AGE_S = 1.0
_counted: dict[tuple[str, str], tuple[float, tuple[int, int, int]]] = {}


def _count_clock() -> float:
    """The clock a count's age is read on (a seam, so tests move time instead of sleeping)."""
    return time.monotonic()


def _review_counts(repo: Repository, org_id: str, recent: bool) -> tuple[int, int, int]:
    """Repository.idea_review_counts; with `recent`, a count at most COUNTS_MAX_AGE_S old."""
    key = (repo.url, org_id)
    now = _count_clock()
    if not recent:
        return repo.idea_review_counts(org_id)
    with _guard:
        kept = _counted.get(key)
    if kept is not None and now - kept[0] <= COUNTS_MAX_AGE_S:
        return kept[1]
    counts = repo.idea_review_counts(org_id)
    with _guard:
        _counted[key] = (now, counts)
    return counts


def state_for(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    model: MissionModel,
    progress: ProgressFn | None = None,
    refresh_in_background: bool = False,
) -> tuple[CorridorState, dict[str, Verdict] | None]:
    """A current state for scoring this organisation's ideas: the kept one, or a new full pass.

    With a new pass, its verdicts come too (idea id -> verdict), so the caller need not score the
    ideas it wanted again; `progress` follows that pass. With `refresh_in_background` (the web
    server), a kept state that has only grown or aged is used as it is while a thread makes the
    new pass, so no request waits for it; a changed mission or new labels are always waited for.
    """
    key = (repo.url, org_id)
    usable = _usable(repo, org_id, aligner, model, refresh_in_background)
    if usable is not None:
        return usable, None
    with _lock(aligner, key):  # one full pass at a time; the others wait and then reuse it
        kept = _states.get(aligner, {}).get(key)
        if kept is not None and kept.current(model, repo.idea_review_counts(org_id), time.monotonic()):
            return kept, None
        return _full_pass_kept(repo, org_id, aligner, model, progress)


def serving_state(
    repo: Repository, org_id: str, aligner: Aligner, model: MissionModel
) -> CorridorState | None:
    """The kept state when it can score an arrival as it is (as `state_for` with
    `refresh_in_background` would use it, a refresh in the background started when due), else
    None. Never runs a full pass: the caller scores some other way then."""
    return _usable(repo, org_id, aligner, model, in_background=True)


def _usable(
    repo: Repository, org_id: str, aligner: Aligner, model: MissionModel, in_background: bool
) -> CorridorState | None:
    kept = _states.get(aligner, {}).get((repo.url, org_id))
    if kept is None:
        return None
    counts = _review_counts(repo, org_id, recent=in_background)
    if kept.current(model, counts, time.monotonic()):
        return kept
    if in_background and kept.compatible(model, counts):
        _refresh_later(repo, org_id, aligner, model)
        return kept
    return None


def _full_pass_kept(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    model: MissionModel,
    progress: ProgressFn | None = None,
) -> tuple[CorridorState, dict[str, Verdict]]:
    ideas = scoring_rows(repo, org_id)
    verdicts, state = full_pass(aligner, model, ideas, review_counts(ideas), progress)
    remember(aligner, repo, org_id, state)
    return state, {idea["id"]: v for idea, v in zip(ideas, verdicts, strict=True)}


_refreshing: set[tuple[int, str, str]] = set()


def _refresh_later(repo: Repository, org_id: str, aligner: Aligner, model: MissionModel) -> None:
    """One background full pass per aligner, store and organisation at a time."""
    key = (id(aligner), repo.url, org_id)
    with _guard:
        if key in _refreshing:
            return
        _refreshing.add(key)

    def refresh() -> None:
        try:
            with _lock(aligner, (repo.url, org_id)):
                # The stored pass re-reads only what changed since the kept one (the new ideas'
                # vectors, hubness and words): a pass over every text held the interpreter lock
                # long enough to stall the requests it runs beside (50 clients: p95 up to 0.6 s).
                started = time.perf_counter()
                rows = current_rows(repo, org_id)
                if rows:
                    keep(aligner, repo, org_id, stored_pass(aligner, repo, org_id, model, rows))
                log.info(
                    "refreshed %s's corridor state over %d ideas in %.2f s",
                    org_id,
                    len(rows),
                    time.perf_counter() - started,
                )
        except Exception:  # the kept state stays in use; the next request tries again
            log.warning("background re-score of %s's corridor state failed", org_id, exc_info=True)
        finally:
            with _guard:
                _refreshing.discard(key)

    threading.Thread(target=refresh, name=f"corridor-state-{org_id}", daemon=True).start()
