"""Scoring one more idea without scoring every stored idea again.

An idea's verdict depends a little on the other ideas: words most of them share are dropped as
boilerplate, the best of them define what "on mission" looks like here (service/alignment.py,
`BatchContext`), and reviewers' overrides move cut points and vote on near neighbours
(`ReviewerVotes`). Scoring all stored ideas for each new arrival made one submission cost as much
as a full re-score. So the outcome of one full pass is kept as a `CorridorState`, per Aligner,
store and organisation, and arrivals are scored against it alone: the same verdict they would get
as one more line of that pass, at the price of one embedding.

A state is rebuilt by a full pass when it may have gone stale: another mission version or
corridor; more than a tenth more ideas than it was built from; an override or a review since
(the counts of overridden and reviewed ideas changed); or simply age (a minute, or ten times what
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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hoshin.domain.mission import MissionModel
from hoshin.domain.override_calibration import Cuts, OverrideVote, fit_cuts, tier_for
from hoshin.domain.verdict import TIERS, Tier, Verdict
from hoshin.embedding import ProgressFn

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner, BatchContext
    from hoshin.store.repository import Repository

__all__ = [
    "CorridorState",
    "ReviewerVotes",
    "SMALL_ORGANISATION",
    "forget_states",
    "kept_state",
    "full_pass",
    "remember",
    "review_counts",
    "scoring_rows",
    "state_for",
]

log = logging.getLogger(__name__)

SMALL_ORGANISATION = 50
GROWTH_ALLOWED = 0.10
MIN_AGE_LIMIT_S = 60.0
_TIER_NAMES = tuple(t.value for t in TIERS)


@dataclass(frozen=True)
class ReviewerVotes:
    """Engine tiers adjusted by the reviewers' overrides (domain/override_calibration.py).

    The score cut points are refitted to every reviewed idea (an override says which tier; an
    idea moved past "new" without one confirms the engine's tier), then the overridden ideas
    nearest to an idea vote on its tier. eval/eval_overrides.py measures both.
    """

    cuts: Cuts
    vote: OverrideVote
    reviewed_ids: tuple[str, ...]

    @staticmethod
    def seen(ideas: Sequence[dict[str, Any]]) -> list[int]:
        """Positions of the ideas a reviewer has looked at (overridden, or moved past "new");
        empty when nobody overrode anything (then there is nothing to learn from)."""
        if not any(idea.get("override_tier") in _TIER_NAMES for idea in ideas):
            return []
        return [
            n
            for n, idea in enumerate(ideas)
            if idea.get("override_tier") in _TIER_NAMES or idea.get("status", "new") != "new"
        ]

    @classmethod
    def fit(
        cls, aligner: Aligner, ideas: Sequence[dict[str, Any]], verdicts: Sequence[Verdict]
    ) -> ReviewerVotes | None:
        """None when no idea carries an override. `verdicts` are the engine's for the ideas at
        the positions `seen(ideas)` gives, in that order."""
        seen = cls.seen(ideas)
        if not seen:
            return None
        reviewed = [n for n in seen if ideas[n].get("override_tier") in _TIER_NAMES]
        overridden = set(reviewed)
        engine = dict(zip(seen, verdicts, strict=True))
        cuts = fit_cuts(
            [engine[n].score for n in seen],
            [ideas[n]["override_tier"] if n in overridden else engine[n].tier.value for n in seen],
            base=Cuts(),  # score_from_z puts the engine's own tier boundaries at scores 0.7 and 0.4
        )
        vectors = aligner.embed([ideas[n]["text"] for n in reviewed])
        vote = OverrideVote(vectors, tuple(ideas[n]["override_tier"] for n in reviewed))
        return cls(cuts, vote, tuple(ideas[n]["id"] for n in reviewed))

    def apply(
        self, aligner: Aligner, ideas: Sequence[dict[str, Any]], verdicts: Sequence[Verdict]
    ) -> list[Verdict]:
        engine = [v.tier.value for v in verdicts]
        shifted = [tier_for(v.score, self.cuts) for v in verdicts] if self.cuts != Cuts() else engine
        vectors = aligner.embed([idea["text"] for idea in ideas])
        own = {idea_id: j for j, idea_id in enumerate(self.reviewed_ids)}  # never vote on yourself
        results = self.vote.apply(vectors, shifted, [own.get(idea["id"]) for idea in ideas])
        out = []
        for verdict, result, was in zip(verdicts, results, engine, strict=True):
            if result.tier != was:
                if result.neighbour is not None:
                    twin = self.reviewed_ids[result.neighbour]
                    because = f"reviewers put similar ideas such as {twin} in {result.tier}"
                else:
                    because = (
                        f"reviewers' overrides moved the cut points to core from {self.cuts.core:.2f}, "
                        f"adjacent from {self.cuts.adjacent:.2f}"
                    )
                why = f"{verdict.why} Tier {result.tier}: {because} (the engine alone said {was})."
                verdict = Verdict(verdict.score, Tier(result.tier), verdict.theme, why)
            out.append(verdict)
        return out


@dataclass(frozen=True)
class CorridorState:
    """One full pass over an organisation's ideas, kept to score arrivals against."""

    model: MissionModel
    batch: BatchContext
    votes: ReviewerVotes | None
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
        verdicts = aligner.score_batch(self.model, texts, progress, context=self.batch).verdicts
        return self.votes.apply(aligner, ideas, verdicts) if self.votes else verdicts

    def compatible(self, model: MissionModel, counts: tuple[int, int, int]) -> bool:
        """Same mission and corridor, the same overrides and reviews, and not a small batch: the
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


SCORING_COLUMNS = ("id", "text", "status", "override_tier")


def scoring_rows(repo: Repository, org_id: str) -> list[dict[str, Any]]:
    """Every idea with just what scoring reads (id, text, status, override_tier), sorted by id:
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
    scored = aligner.score_batch(model, [idea["text"] for idea in ideas], progress=progress)
    seen = ReviewerVotes.seen(ideas)
    votes = ReviewerVotes.fit(aligner, ideas, [scored.verdicts[n] for n in seen])
    verdicts = votes.apply(aligner, ideas, scored.verdicts) if votes else scored.verdicts
    took = time.perf_counter() - started
    state = CorridorState(model, scored.context, votes, counts, time.monotonic(), took)
    return verdicts, state


def state_only(
    aligner: Aligner, model: MissionModel, ideas: Sequence[dict[str, Any]], counts: tuple[int, int, int]
) -> CorridorState:
    """The state `full_pass` would give, without writing a verdict for every idea (the reasons are
    most of a large pass's Python time, which a server refreshing its state in the background
    would take from the requests). Only the reviewed ideas get verdicts, for the reviewers' votes."""
    started = time.perf_counter()
    seen = ReviewerVotes.seen(ideas)
    scored = aligner.score_batch(model, [idea["text"] for idea in ideas], explain=seen)
    votes = ReviewerVotes.fit(aligner, ideas, scored.verdicts)
    took = time.perf_counter() - started
    return CorridorState(model, scored.context, votes, counts, time.monotonic(), took)


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
    """Drop every kept state of this organisation (after an override: its votes changed)."""
    with _guard:
        for states in _states.values():
            states.pop((repo.url, org_id), None)


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
    new pass, so no request waits for it; a changed mission or new overrides are always waited for.
    """
    key = (repo.url, org_id)
    kept = _states.get(aligner, {}).get(key)
    if kept is not None:
        counts = repo.idea_review_counts(org_id)
        if kept.current(model, counts, time.monotonic()):
            return kept, None
        if refresh_in_background and kept.compatible(model, counts):
            _refresh_later(repo, org_id, aligner, model)
            return kept, None
    with _lock(aligner, key):  # one full pass at a time; the others wait and then reuse it
        kept = _states.get(aligner, {}).get(key)
        if kept is not None and kept.current(model, repo.idea_review_counts(org_id), time.monotonic()):
            return kept, None
        return _full_pass_kept(repo, org_id, aligner, model, progress)


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
                ideas = scoring_rows(repo, org_id)
                state = state_only(aligner, model, ideas, review_counts(ideas))
                remember(aligner, repo, org_id, state)
        except Exception:  # the kept state stays in use; the next request tries again
            log.warning("background re-score of %s's corridor state failed", org_id, exc_info=True)
        finally:
            with _guard:
                _refreshing.discard(key)

    threading.Thread(target=refresh, name=f"corridor-state-{org_id}", daemon=True).start()
