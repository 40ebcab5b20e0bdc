"""Near-duplicate ideas: twins of a new text, candidate groups among stored ideas, merge and undo.

A merge names one idea the primary: every idea of the group gets the primary's id as its
`duplicate_group`, and the primary takes the union of the group's tags and links, so nothing any
twin carried is lost. What the merge changed is kept in its audit event ("idea.merge"), and
`unmerge` takes exactly that back out (tags or links added since stay).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from hoshin.domain.nearest import NearestIndex
from hoshin.domain.quantised import QuantisedVectors, quantise
from hoshin.domain.twins import candidate_pairs, linked_groups
from hoshin.errors import ConflictError, InputError, NotFoundError
from hoshin.service.audit import record_event
from hoshin.service.pgvector_twins import pgvector_twins
from hoshin.service.records import TEXT_CHARS
from hoshin.service.twin_scores import Pair, TwinJudgement, judge_pairs, plain_reason

if TYPE_CHECKING:
    from hoshin.service.alignment import Aligner
    from hoshin.store.repository import Repository

__all__ = [
    "DEFAULT_THRESHOLD",
    "check_idea_text",
    "find_duplicate_groups",
    "merge_ideas",
    "similar_ideas",
    "unmerge_ideas",
    "group_members",
    "merged_groups",
]

# Twin score (hoshin.domain.twins) from which two ideas count as one idea said twice. With
# all-MiniLM-L6-v2 and the frame penalty, chosen on the tuning material only (eval/twins_set.jsonl's
# tuning half and eval/twins_swaps_tuning.jsonl): the most twins less strangers grouped is reached
# at 0.40 and 0.41 (0.41: 24 + 9 of 37 twins, 1 + 1 of 47 strangers; 0.40 adds one of each), and
# 0.42 keeps a margin over the stranger at 0.407 ("Insulate the cabinet walls with thicker foam",
# no word shared with "Build the fridge case from recycled sheet metal"): tuning half 23 of 28
# rewordings, 1 of 32 strangers; held out 21 of 28 and 3 of 32; eval/twins_heldout2.jsonl 24 of 32
# and 0 of 32 (at 0.45 before the penalty: 20/28 2/32, 20/28 2/32, 20/32 4/32). The issue's own pair
# scores 0.460; its stranger "Use recycled plastic for the door shelves" 0.31 against that text (one
# frame, penalised) but 0.469 against the rewording, and is grouped with it: no general signal
# measured so far tells that swap apart (see domain/twins.py).
DEFAULT_THRESHOLD = 0.42
MAX_MATCHES = 50
# The twins of a new idea: how many nearest ideas by cosine are looked at, and how many of those
# (the closest, at or above the threshold by cosine) get the twin score (their remainders are
# embedded in one model call).
_LOOKED_AT = 10
_JUDGED_AT_MOST = 5
# Duplicate groups: partners per idea whose twin score is worked out (bounds the pairs judged).
_PARTNERS_PER_IDEA = 10
MERGED_FIELDS = ("tags", "links", "duplicate_group")


def check_idea_text(text: object) -> str:
    """The idea text, stripped; InputError when it is empty, too long or mis-decoded."""
    if not isinstance(text, str):
        raise InputError("the idea text must be a string")
    text = text.strip()
    if not text:
        raise InputError("the idea text is empty: describe the idea in a sentence or two")
    if len(text) > TEXT_CHARS:
        raise InputError(f"the idea text has {len(text):,} characters; the limit is {TEXT_CHARS:,}")
    if "\ufffd" in text or "\x00" in text:
        # U+FFFD is what a decoder leaves where bytes were not valid in the encoding it assumed.
        raise InputError("the idea text has undecodable characters: send it as UTF-8")
    return text


def _vectors(aligner: Aligner, ideas: list[dict[str, Any]]) -> np.ndarray:
    return aligner.embed([idea["text"] for idea in ideas])


# The twins of a new idea are searched in an index of the organisation's ideas that the process
# keeps (per Aligner, store and organisation). Ideas written since the index was built are found
# through the store's change horizon (an indexed read of the few rows stamped since) and searched
# in a small second index beside it. Only deletes, or more changes than the small index should
# hold, make it read every id and text again, and even then it codes only ideas added or edited.
# Building the index from every idea, read whole, on every search took seconds at 100,000 ideas;
# reading every id and text to see what changed still took 0.17 s at 200,000.
@dataclass(frozen=True)
class _KeptIndex:
    mark: tuple[int, int]  # the store's (horizon, removals) read before the rows behind this index
    base: NearestIndex  # every idea as of the last full read
    texts: list[str]  # the base's texts, row for row
    rows: dict[str, int]  # base id -> row
    recent: NearestIndex | None = None  # ideas added or edited since the full read (exact search)
    recent_texts: dict[str, str] = field(default_factory=dict)  # id -> text, in `recent`'s order
    superseded: frozenset[str] = frozenset()  # base ids whose row an edit has made stale

    def search(self, query: np.ndarray, k: int, min_score: float | None) -> list[tuple[str, float]]:
        # Ask the base for enough extra matches to make up for stale rows it may return.
        found = [
            hit
            for hit in self.base.search(query, k + len(self.superseded), min_score=min_score)
            if hit[0] not in self.superseded
        ]
        if self.recent is not None:
            found += self.recent.search(query, k, min_score=min_score)
        found.sort(key=lambda hit: -hit[1])
        return found[:k]


_kept: weakref.WeakKeyDictionary[Aligner, dict[tuple[str, str], _KeptIndex]] = weakref.WeakKeyDictionary()
_guard = threading.Lock()
_RECENT_AT_MOST = 2_000  # ideas in the small index (or a fiftieth of the base) before a full read


def _idea_index(repo: Repository, org_id: str, aligner: Aligner) -> _KeptIndex | None:
    """The index of the organisation's ideas as they are now (None when there are none)."""
    key = (repo.url, org_id)
    with _guard:
        kept = _kept.get(aligner, {}).get(key)
    fresh: _KeptIndex | None = None
    if kept is not None:
        written, mark = repo.written_since("ideas", org_id, kept.mark[0], ("id", "text"))
        if mark[1] == kept.mark[1]:  # nothing deleted: follow the writes
            if not written:
                return kept  # nothing new; the horizon stays, so writes still in flight are seen later
            fresh = _followed(aligner, kept, mark, written)
    if fresh is None:
        fresh = _built(repo, org_id, aligner, kept)
    with _guard:
        if fresh is None:
            _kept.get(aligner, {}).pop(key, None)
        else:
            _kept.setdefault(aligner, {})[key] = fresh
    return fresh


def _built(repo: Repository, org_id: str, aligner: Aligner, kept: _KeptIndex | None) -> _KeptIndex | None:
    """A full read of every id and text; ideas whose id and text the kept index holds keep their codes."""
    mark = repo.change_horizon("ideas", org_id)
    rows = repo.columns("ideas", org_id, ("id", "text"))
    if not rows:
        return None
    ids = [row[0] for row in rows]
    texts = [row[1] for row in rows]
    sources: list[tuple[NearestIndex, Iterable[tuple[str, str]]]] = []
    if kept is not None:
        sources.append((kept.base, zip(kept.base.ids, kept.texts, strict=True)))
        if kept.recent is not None:
            sources.append((kept.recent, kept.recent_texts.items()))
    index = NearestIndex.from_codes(ids, _coded(aligner, ids, texts, sources))
    return _KeptIndex(mark, index, texts, {idea_id: n for n, idea_id in enumerate(ids)})


def _coded(
    aligner: Aligner,
    ids: list[str],
    texts: list[str],
    sources: Sequence[tuple[NearestIndex, Iterable[tuple[str, str]]]],
) -> QuantisedVectors:
    """Codes of these ideas: copied from a source index (given with its (id, text) pairs in row
    order) where an idea's id and text are the same there, embedded (through the cache) for the rest."""
    codes = QuantisedVectors.empty(len(ids), aligner.embedder.dimensions)
    coded = np.zeros(len(ids), dtype=bool)
    for index, pairs in sources:
        before = {pair: m for m, pair in enumerate(pairs)}
        same = [before.get(pair) for pair in zip(ids, texts, strict=True)]
        to_rows = np.array([n for n, m in enumerate(same) if m is not None and not coded[n]], dtype=np.intp)
        if len(to_rows):
            codes.put(to_rows, index.quantised, np.array([same[n] for n in to_rows], dtype=np.intp))
            coded[to_rows] = True
    missing = np.flatnonzero(~coded)
    if len(missing):
        codes.put(missing, quantise(aligner.embed([texts[n] for n in missing])))
    return codes


def _followed(
    aligner: Aligner, kept: _KeptIndex, mark: tuple[int, int], written: list[tuple[Any, ...]]
) -> _KeptIndex | None:
    """The kept index with the ideas written since its own mark; None when more changed than the
    small index should hold (the caller reads everything instead)."""
    limit = max(_RECENT_AT_MOST, len(kept.base) // 50)
    if len(written) + len(kept.recent_texts) > limit:
        return None
    recent_texts = dict(kept.recent_texts)
    superseded = set(kept.superseded)
    for idea_id, text in written:
        if idea_id in recent_texts:
            recent_texts[idea_id] = text
            continue
        row = kept.rows.get(idea_id)
        if row is not None and kept.texts[row] == text:
            continue  # a change of status, tags or group: the text, and so the vector, is the same
        recent_texts[idea_id] = text
        if row is not None:
            superseded.add(idea_id)
    if recent_texts == kept.recent_texts:
        return replace(kept, mark=mark)
    ids = list(recent_texts)
    sources = [] if kept.recent is None else [(kept.recent, kept.recent_texts.items())]
    codes = _coded(aligner, ids, list(recent_texts.values()), sources)
    return replace(
        kept,
        mark=mark,
        recent=NearestIndex.from_codes(ids, codes),
        recent_texts=recent_texts,
        superseded=frozenset(superseded),
    )


def similar_ideas(
    repo: Repository,
    org_id: str,
    aligner: Aligner,
    text: str,
    k: int = 5,
    min_score: float | None = None,
) -> list[dict[str, Any]]:
    """The stored ideas closest to `text`, best first: {id, text, score, cosine, status,
    duplicate_group, twin, reason}.

    The nearest ideas by sentence cosine are re-ranked by twin score (hoshin.domain.twins): those
    close enough by cosine to be twins get it, the rest keep their cosine. `twin` is true at or
    above DEFAULT_THRESHOLD; `reason` names the shared words, and close words where the process
    already keeps both words' vectors (from duplicate groups worked out earlier): the search makes
    no model call for words, only one for the pairs' remainders. Nothing is saved except vectors in
    the cache.
    """
    from hoshin.service.corridor import _on_store

    text = check_idea_text(text)
    if not isinstance(k, int) or not 1 <= k <= MAX_MATCHES:
        raise InputError(f"k must be a whole number from 1 to {MAX_MATCHES}")
    aligner = _on_store(repo, aligner)
    query = aligner.embed([text])[0]
    wanted = max(k, _LOOKED_AT)
    pgvector = pgvector_twins(repo, aligner.embedder.dimensions)
    if pgvector is not None and pgvector.in_step(repo, org_id, aligner):
        found = pgvector.search(org_id, query, wanted, min_score)
    else:
        index = _idea_index(repo, org_id, aligner)
        if index is None:
            return []
        found = index.search(query, wanted, min_score)
    by_id = repo.by_ids("ideas", org_id, [idea_id for idea_id, _ in found])
    found = [(idea_id, cosine) for idea_id, cosine in found if idea_id in by_id]  # deleted meanwhile
    judged = _judged_twins(aligner, text, query, [(i, by_id[i]["text"], c) for i, c in found])
    rows = []
    for idea_id, cosine in found:
        idea = by_id[idea_id]
        score, reason = judged.get(idea_id) or (round(cosine, 4), plain_reason(text, idea["text"]))
        if min_score is not None and score < min_score:
            continue
        rows.append(
            {
                "id": idea_id,
                "text": idea["text"],
                "score": score,
                "cosine": round(cosine, 4),
                "status": idea["status"],
                "duplicate_group": idea.get("duplicate_group"),
                "twin": score >= DEFAULT_THRESHOLD,
                "reason": reason,
            }
        )
    rows.sort(key=lambda row: -row["score"])  # stable: ties keep the search's order
    return rows[:k]


def _judged_twins(
    aligner: Aligner, text: str, query: np.ndarray, found: list[tuple[str, str, float]]
) -> dict[str, tuple[float, str]]:
    """Twin score and reason of the found ideas close enough by cosine to be twins."""
    close = [hit for hit in found if hit[2] >= DEFAULT_THRESHOLD][:_JUDGED_AT_MOST]
    if not close:
        return {}
    vectors = aligner.embed([hit[1] for hit in close])  # through the cache: stored ideas are there
    pairs = [Pair(text, query, hit[1], vectors[n], hit[2]) for n, hit in enumerate(close)]
    judged = judge_pairs(aligner, pairs, DEFAULT_THRESHOLD, embed_words=False)
    return {hit[0]: (j.score, j.reason) for hit, j in zip(close, judged, strict=True)}


def find_duplicate_groups(
    repo: Repository, org_id: str, aligner: Aligner, threshold: float = DEFAULT_THRESHOLD
) -> list[dict[str, Any]]:
    """Candidate groups of near-duplicate ideas: {ids, similarity, ideas, merged, links}.

    Two ideas are linked when their twin score (hoshin.domain.twins) reaches `threshold`; groups
    are linked ideas, transitively. Only pairs at or above the threshold by sentence cosine are
    scored, each idea with its closest few. `similarity` is the weakest of the members' best
    links; `links` gives each link's two ids, twin score, cosine and reason (the words behind it).
    `merged` is true when every idea of the group already shares one duplicate_group.
    """
    from hoshin.service.corridor import _on_store

    if not isinstance(threshold, (int, float)) or not 0.0 < float(threshold) <= 1.0:
        raise InputError(
            f"the threshold is a twin score between 0 (exclusive) and 1, e.g. {DEFAULT_THRESHOLD}"
        )
    ideas = repo.rows("ideas", org_id)
    if len(ideas) < 2:
        return []
    aligner = _on_store(repo, aligner)
    vectors = _vectors(aligner, ideas)
    texts = [i["text"] for i in ideas]
    close = list(candidate_pairs(vectors, float(threshold), _PARTNERS_PER_IDEA))
    pairs = [Pair(texts[a], vectors[a], texts[b], vectors[b], cosine) for a, b, cosine in close]
    judged = judge_pairs(aligner, pairs, float(threshold))
    links = {
        (a, b): judgement
        for (a, b, _), judgement in zip(close, judged, strict=True)
        if judgement.score >= threshold
    }
    ids = [i["id"] for i in ideas]
    position = {idea_id: n for n, idea_id in enumerate(ids)}
    groups = linked_groups(ids, list(links))
    group_of = {position[i]: g for g, group in enumerate(groups) for i in group}
    inside_of: dict[int, list[tuple[tuple[int, int], TwinJudgement]]] = {}
    for pair, judgement in links.items():  # a link's two ideas are always in one group
        inside_of.setdefault(group_of[pair[0]], []).append((pair, judgement))
    out = []
    for g, group in enumerate(groups):
        rows = [position[i] for i in group]
        inside = inside_of[g]
        best = dict.fromkeys(rows, 0.0)
        for (a, b), judgement in inside:
            best[a] = max(best[a], judgement.score)
            best[b] = max(best[b], judgement.score)
        members = [ideas[r] for r in rows]
        labels = {m.get("duplicate_group") for m in members}
        out.append(
            {
                "ids": group,
                # Each idea's best link inside the group; the weakest of those says how loose it is.
                "similarity": round(min(best.values()), 4),
                "ideas": [{"id": m["id"], "text": m["text"], "status": m["status"]} for m in members],
                "merged": len(labels) == 1 and None not in labels,
                "links": [
                    {"ids": [ids[a], ids[b]], "score": j.score, "cosine": j.cosine, "reason": j.reason}
                    for (a, b), j in sorted(inside, key=lambda link: -link[1].score)
                ],
            }
        )
    return out


def _union(first: Sequence[Any], *others: Sequence[Any]) -> list[Any]:
    seen = list(first)
    for values in others:
        seen.extend(v for v in values if v not in seen)
    return seen


def merge_ideas(
    repo: Repository, org_id: str, primary: str, twins: Sequence[str], actor: str
) -> dict[str, Any]:
    """Group `twins` under `primary`; the primary gets every tag and link of the group.

    Returns {group, ids, added_tags, added_links}. InputError when no twin is given or the primary
    is among them, NotFoundError for an unknown id; nothing changes then.
    """
    if isinstance(twins, str):
        raise InputError("twins must be a list of idea ids")
    twins = list(dict.fromkeys(twins))
    if not twins:
        raise InputError("name at least one idea to merge into the primary")
    if primary in twins:
        raise InputError(f"idea {primary!r} cannot be merged into itself")
    with repo.transaction():
        ideas = {i: repo.get("ideas", org_id, i) for i in [primary, *twins]}
        keep = ideas[primary]
        tags = _union(keep.get("tags") or [], *[ideas[t].get("tags") or [] for t in twins])
        links = _union(keep.get("links") or [], *[ideas[t].get("links") or [] for t in twins])
        before = {i: {f: idea.get(f) for f in MERGED_FIELDS} for i, idea in ideas.items()}
        changes = [{"id": primary, "tags": tags, "links": links, "duplicate_group": primary}]
        changes += [{"id": t, "duplicate_group": primary} for t in twins]
        repo.upsert("ideas", org_id, changes)
        added_tags = tags[len(keep.get("tags") or []) :]
        added_links = links[len(keep.get("links") or []) :]
        record_event(
            repo,
            org_id,
            actor,
            "idea.merge",
            "ideas",
            primary,
            {"twins": twins, "before": before, "added_tags": added_tags, "added_links": added_links},
        )
    return {"group": primary, "ids": [primary, *twins], "added_tags": added_tags, "added_links": added_links}


def _open_merge(repo: Repository, org_id: str, group: str) -> dict[str, Any] | None:
    """The latest merge into `group` that no unmerge has taken back yet."""
    pending: list[dict[str, Any]] = []
    for event in repo.audit_events(org_id):
        if event.get("record_kind") != "ideas" or event.get("record_id") != group:
            continue
        if event["action"] == "idea.merge":
            pending.append(event)
        elif event["action"] == "idea.unmerge" and pending:
            pending.pop()
    return pending[-1] if pending else None


def unmerge_ideas(repo: Repository, org_id: str, group: str, actor: str) -> dict[str, Any]:
    """Undo the latest merge into `group`: group labels as before, the tags and links it added removed.

    Returns {group, ids}. NotFoundError when no merge into that idea is open; nothing changes then.
    Ideas deleted since the merge are skipped; changes made after the merge are kept.
    """
    with repo.transaction():
        event = _open_merge(repo, org_id, group)
        if event is None:
            raise NotFoundError(f"no merge into idea {group!r} to undo")
        detail = event["detail"]
        known = repo.keys("ideas", org_id)
        restored = []
        changes = []
        for idea_id, old in detail["before"].items():
            if idea_id not in known:
                continue
            current = repo.get("ideas", org_id, idea_id)
            change: dict[str, Any] = {"id": idea_id}
            if current.get("duplicate_group") == group:
                change["duplicate_group"] = old.get("duplicate_group")
            if idea_id == group:
                added_tags = set(detail.get("added_tags", []))
                added_links = set(detail.get("added_links", []))
                change["tags"] = [t for t in current.get("tags") or [] if t not in added_tags]
                change["links"] = [x for x in current.get("links") or [] if x not in added_links]
            if len(change) > 1:
                changes.append(change)
            restored.append(idea_id)
        if not restored:
            raise ConflictError(f"every idea of the merge into {group!r} has been deleted since")
        repo.upsert("ideas", org_id, changes)
        record_event(repo, org_id, actor, "idea.unmerge", "ideas", group, {"ids": restored})
    return {"group": group, "ids": restored}


def group_members(repo: Repository, org_id: str, group: str) -> list[str]:
    """The ids of the ideas merged into `group` (the primary's id)."""
    return [i["id"] for i in repo.rows("ideas", org_id) if i.get("duplicate_group") == group]


def merged_groups(repo: Repository, org_id: str) -> dict[str, list[str]]:
    """Every merged group: the primary's id -> the ids of its members."""
    merged: dict[str, list[str]] = {}
    for idea in repo.rows("ideas", org_id):
        if idea.get("duplicate_group"):
            merged.setdefault(idea["duplicate_group"], []).append(idea["id"])
    return merged
