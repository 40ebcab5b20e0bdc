"""The batch contract (DESIGN.md): file rows in, verdict rows out, no database.

The CLI reads and validates the files and calls these; the REST API can call them on posted rows.
Every function returns plain dicts ready to be written as JSON, CSV or a table.
"""

from __future__ import annotations

import heapq
import marshal
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import count, islice
from typing import IO, Any, TypeVar

import numpy as np

from hoshin.domain.alignment import MissionVectors, align, calibrated_rows
from hoshin.domain.calibration import score_from_z
from hoshin.domain.evidence_words import quote
from hoshin.domain.explain import quotable_shared_words
from hoshin.domain.knowledge_reading import FEEDBACK_WEIGHT, best_centre, mission_parts, with_parts
from hoshin.domain.mission import ThemeKind
from hoshin.domain.quantised import QuantisedVectors, quantise
from hoshin.domain.text import (
    boilerplate_from_counts,
    boilerplate_words,
    scored_text,
    strip_words,
    without_exceptions,
    word_document_counts,
)
from hoshin.domain.tier_bounds import best_values
from hoshin.domain.verdict import Verdict
from hoshin.embedding import ProgressFn
from hoshin.errors import RowError
from hoshin.service.alignment import Aligner, BatchContext, facet_texts
from hoshin.service.cascade import link_reason, link_table
from hoshin.service.corridor_examples import LabelledExample, judge_by_examples

__all__ = [
    "CHUNK_ROWS",
    "InputSurvey",
    "best_first",
    "chunked",
    "link_goals",
    "rank_knowledge",
    "survey_texts",
    "triage",
    "triage_chunks",
]

Row = dict[str, str]
T = TypeVar("T")


def triage(
    aligner: Aligner,
    mission: str,
    rows: Sequence[Row],
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    progress: ProgressFn | None = None,
    examples: Sequence[LabelledExample] = (),
) -> list[dict[str, Any]]:
    """`{id, text, score, tier, theme, why}` for every row, best first. With `examples` (ideas a
    reviewer placed in tiers), the examples decide the tiers and the `why` names them; the
    examples themselves are not in the output."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    texts = [r["text"] for r in rows]
    if examples:
        batch = aligner.score_batch(model, texts + [e.text for e in examples], progress=progress)
        verdicts = judge_by_examples(aligner, batch, texts, examples)
    else:
        verdicts = aligner.score_batch(model, texts, progress=progress, batch_bounds=True).verdicts
    out = [{"id": r["id"], "text": r["text"], **v.as_dict()} for r, v in zip(rows, verdicts)]
    out.sort(key=lambda row: -row["score"])
    return out


# ---------------------------------------------------------------- triage of any size, in chunks
#
# `triage` scores its rows as one batch, and two things of the whole batch enter every verdict:
# the words most lines share (dropped as boilerplate before embedding) and the feedback centre
# (the mean of the batch's four best texts). With examples, a third: the mean and spread of every
# line's z, which the example learner compares each idea with. None of them is known before the
# last row is read, so a large input is triaged in passes over the file, holding one chunk:
#
# 1. `survey_texts` reads every text once, without the model: it counts the rows and in how many
#    texts each word occurs, so the boilerplate words are the whole batch's.
# 2. Every chunk is embedded (the model's work, done once) and its vectors spilled to a temporary
#    file as int8 codes with a scale per row (388 bytes a row for MiniLM; `embed_scored` scores
#    exactly these values), while the four best texts so far are kept: that gives the centre.
# 3. With examples, the spilled vectors are aligned once more for the mean and spread of z.
# 4. Every chunk is scored from its spilled vectors against that context
#    (`Aligner.score_batch(..., context=..., vectors=...)`) and its verdicts handed on.
#
# So every verdict is the one `triage` gives over the whole input as one batch, whatever the chunk
# size (tests/cli/test_batch_stream.py compares them); bench/README.md ("Streaming") records the
# measured agreement on 20,000 ideas with MiniLM. Memory holds one chunk, the word counts and four
# vectors; the temporary folder holds the codes. Output starts at step 4, after the last embedding.

#: Rows scored together; also the largest input triaged as one batch, exactly as `triage` does.
CHUNK_ROWS = 10_000


@dataclass
class InputSurvey:
    """What the first pass over an input learns: how many texts, and in how many of them each
    word occurs (for the batch's boilerplate words)."""

    count: int = 0
    word_counts: Counter[str] = field(default_factory=Counter)


def survey_texts(texts: Iterable[str]) -> InputSurvey:
    """One pass over `texts` in bounded memory (one count per distinct word)."""
    survey = InputSurvey()
    for block in chunked(texts, 4096):
        survey.word_counts.update(word_document_counts(block))
        survey.count += len(block)
    return survey


def chunked(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    """`rows` in lists of `size` (the last one shorter)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def triage_chunks(
    aligner: Aligner,
    mission: str,
    read_chunks: Callable[[], Iterable[Sequence[Row]]],
    survey: InputSurvey,
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    progress: ProgressFn | None = None,
    examples: Sequence[LabelledExample] = (),
    folder: str | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """`triage` over an input read in chunks: each chunk's `{id, text, score, tier, theme, why}`
    rows, in input order (not sorted: `best_first` sorts them all in bounded memory).

    `read_chunks()` reads the input afresh, in chunks, each time it is called (twice for an input
    of more than one chunk); `survey` is the first pass over the same texts (`survey_texts`). An
    input of one chunk is scored as `triage` scores it; a larger one in the passes described
    above, with the vectors kept in `folder` (default: the system's temporary folder)."""
    chunks = iter(read_chunks())
    first = next(chunks, None)
    if first is None:
        return
    if len(first) >= survey.count:
        yield _one_batch(aligner, mission, first, focus_areas, exclusions, progress, examples)
        return
    del first, chunks
    model = aligner.mission_model(mission, focus_areas, exclusions)
    example_texts = [e.text for e in examples]
    counts = survey.word_counts + word_document_counts([*example_texts, model.text])
    drop = boilerplate_from_counts(counts, survey.count + len(example_texts) + 1)
    prepared = aligner.prepare(model, drop)
    examples_vectors = aligner.embed_scored([scored_text(t, drop) for t in example_texts])
    with tempfile.TemporaryDirectory(prefix="hoshin-vectors-", dir=folder) as scratch:
        kept = _SpilledVectors(os.path.join(scratch, "vectors.bin"))
        best = _BestLines(aligner.params.feedback_k)
        done = 0
        for chunk in read_chunks():
            texts = [scored_text(r["text"], drop) for r in chunk]
            raw = aligner.embed(texts, progress=_offset(progress, done))
            vectors = kept.append(raw)
            best.offer(vectors, _plain_z(aligner, prepared, vectors), done)
            done += len(chunk)
        if len(examples_vectors):
            best.offer(examples_vectors, _plain_z(aligner, prepared, examples_vectors), done)
        feedback = survey.count + len(examples) >= aligner.params.feedback_min_batch
        context = BatchContext(drop, prepared, best.centre() if feedback else None)
        if examples:
            reference = _z_spread(aligner, context, kept, examples_vectors)
        else:  # the whole batch's best z set its core bound, as `triage` sets it for one batch
            reference = None
            best_z = _best_z(aligner, context, kept)
            context = replace(context, thresholds=aligner.batch_thresholds_from(best_z, survey.count))
        for chunk, vectors in zip(read_chunks(), kept.chunks(), strict=True):
            texts = [r["text"] for r in chunk]
            if examples:
                batch = aligner.score_batch(
                    model,
                    texts + example_texts,
                    context=context,
                    vectors=np.concatenate([vectors, examples_vectors]),
                )
                verdicts = judge_by_examples(aligner, batch, texts, examples, reference=reference)
            else:
                verdicts = aligner.score_batch(model, texts, context=context, vectors=vectors).verdicts
            yield _rows(chunk, verdicts)


def _one_batch(
    aligner: Aligner,
    mission: str,
    rows: Sequence[Row],
    focus_areas: Sequence[str],
    exclusions: Sequence[str],
    progress: ProgressFn | None,
    examples: Sequence[LabelledExample],
) -> list[dict[str, Any]]:
    """`triage`'s rows before its sort."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    texts = [r["text"] for r in rows]
    if examples:
        batch = aligner.score_batch(model, texts + [e.text for e in examples], progress=progress)
        return _rows(rows, judge_by_examples(aligner, batch, texts, examples))
    return _rows(rows, aligner.score_batch(model, texts, progress=progress, batch_bounds=True).verdicts)


def _rows(rows: Sequence[Row], verdicts: Sequence[Verdict]) -> list[dict[str, Any]]:
    return [{"id": r["id"], "text": r["text"], **v.as_dict()} for r, v in zip(rows, verdicts, strict=True)]


def _offset(progress: ProgressFn | None, offset: int) -> ProgressFn | None:
    if progress is None:
        return None
    return lambda finished: progress(offset + finished)


def _plain_z(aligner: Aligner, prepared: MissionVectors, vectors: np.ndarray) -> np.ndarray:
    """Each line's z before feedback: the order `align` picks a batch's best lines by (its z is
    the best theme's score standardised against one background null, so the order is the same)."""
    result = align(
        vectors,
        prepared,
        aligner.background,
        aligner.params,
        use_feedback=False,
        background_hub=aligner.background_hub,
    )
    return np.asarray(result.z)


class _BestLines:
    """The `k` lines of highest z offered so far, with their vectors: a batch's feedback centre."""

    def __init__(self, k: int) -> None:
        self.k = k
        self._z = np.zeros(0)
        self._at = np.zeros(0, dtype=np.int64)
        self._vectors: np.ndarray | None = None

    def offer(self, vectors: np.ndarray, z: np.ndarray, offset: int) -> None:
        top = np.argsort(-z, kind="stable")[: self.k]
        pooled_z = np.concatenate([self._z, z[top]])
        pooled_at = np.concatenate([self._at, offset + top])
        pooled = vectors[top] if self._vectors is None else np.concatenate([self._vectors, vectors[top]])
        # Best first, ties by position: the order align's argsort gives all but exact ties, and
        # tied z come from the same text (the same vector), so the centre is the same.
        keep = np.lexsort((pooled_at, -pooled_z))[: self.k]
        self._z, self._at, self._vectors = pooled_z[keep], pooled_at[keep], pooled[keep]

    def centre(self) -> np.ndarray | None:
        if self._vectors is None or not len(self._vectors):
            return None
        centre: np.ndarray = self._vectors.mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-9)
        return centre


def _final_z(aligner: Aligner, context: BatchContext, vectors: np.ndarray) -> np.ndarray:
    """Each line's z as the batch scores it (with the batch's feedback centre)."""
    result = align(
        vectors,
        context.mission,
        aligner.background,
        aligner.params,
        background_hub=aligner.background_hub,
        centre=context.centre,
    )
    return np.asarray(result.z, dtype=np.float64)


def _best_z(aligner: Aligner, context: BatchContext, kept: _SpilledVectors) -> np.ndarray:
    """The highest z of the whole batch, as many as its feedback step uses, chunk by chunk."""
    k = aligner.params.feedback_k
    best = np.zeros(0)
    for vectors in kept.chunks():
        best = best_values(np.concatenate([best, _final_z(aligner, context, vectors)]), k)
    return best


def _z_spread(
    aligner: Aligner, context: BatchContext, kept: _SpilledVectors, examples_vectors: np.ndarray
) -> tuple[float, float]:
    """Mean and standard deviation of every line's z in the whole batch (the texts, then the
    examples), merged chunk by chunk (Chan et al.'s pairwise update)."""
    count, mean, m2 = 0, 0.0, 0.0
    for vectors in [*kept.chunks(), examples_vectors]:
        if not len(vectors):
            continue
        z = _final_z(aligner, context, vectors)
        n, chunk_mean = len(z), float(z.mean())
        chunk_m2 = float(((z - chunk_mean) ** 2).sum())
        delta = chunk_mean - mean
        total = count + n
        mean += delta * n / total
        m2 += chunk_m2 + delta * delta * count * n / total
        count = total
    return mean, (m2 / count) ** 0.5 if count else 0.0


class _SpilledVectors:
    """Vectors written to a file chunk by chunk as int8 codes and a float32 scale per row, read
    back in the same chunks as the values `Aligner.embed_scored` would have given."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._sizes: list[tuple[int, int]] = []
        open(path, "wb").close()

    def append(self, raw: np.ndarray) -> np.ndarray:
        coded = quantise(np.asarray(raw, dtype=np.float32))
        with open(self.path, "ab") as handle:
            coded.codes.tofile(handle)
            coded.scales.tofile(handle)
        self._sizes.append(coded.codes.shape)
        return coded.dequantised()

    def chunks(self) -> Iterator[np.ndarray]:
        with open(self.path, "rb") as handle:
            for rows, width in self._sizes:
                codes = np.fromfile(handle, dtype=np.int8, count=rows * width).reshape(rows, width)
                scales = np.fromfile(handle, dtype=np.float32, count=rows)
                yield QuantisedVectors(codes, scales).dequantised()


#: Sorted runs merged at once; more are merged in rounds (each run holds one open file).
_MERGE_WIDTH = 64


def best_first(chunks: Iterable[list[dict[str, Any]]], folder: str | None = None) -> Iterator[dict[str, Any]]:
    """Every row of every chunk, by score, best first, ties in input order: the order `triage`
    sorts its rows in, holding one chunk at a time. One chunk is sorted in memory; more are each
    sorted and written to a temporary file (in `folder`, else the system's temporary folder,
    about 400 bytes a row) and merged, then the files are removed."""
    iterator = iter(chunks)
    first = next(iterator, None)
    if first is None:
        return
    second = next(iterator, None)
    if second is None:
        yield from sorted(first, key=lambda row: -row["score"])
        return
    with tempfile.TemporaryDirectory(prefix="hoshin-sort-", dir=folder) as scratch:
        runs: list[str] = []
        start = 0
        names = count()
        for chunk in _chain(first, second, iterator):
            keyed = sorted((-row["score"], start + i, row) for i, row in enumerate(chunk))
            start += len(chunk)
            runs.append(_write_run(os.path.join(scratch, f"run-{next(names)}"), keyed))
            if len(runs) > _MERGE_WIDTH:
                merged = heapq.merge(*(_read_run(path) for path in runs))
                runs = [_write_run(os.path.join(scratch, f"run-{next(names)}"), merged, replaces=runs)]
        for _, _, row in heapq.merge(*(_read_run(path) for path in runs)):
            yield row


def _chain(
    first: list[dict[str, Any]], second: list[dict[str, Any]], rest: Iterator[list[dict[str, Any]]]
) -> Iterator[list[dict[str, Any]]]:
    yield first
    yield second
    yield from rest


def _write_run(
    path: str, keyed: Iterable[tuple[float, int, dict[str, Any]]], replaces: Sequence[str] = ()
) -> str:
    """Write one sorted run (`replaces`: the runs merged into it, removed once it is written)."""
    with open(path, "wb") as handle:
        for item in keyed:
            marshal.dump(item, handle)
    for old in replaces:
        os.unlink(old)
    return path


def _read_run(path: str) -> Iterator[tuple[float, int, dict[str, Any]]]:
    with open(path, "rb") as handle:
        yield from _loads(handle)


def _loads(handle: IO[bytes]) -> Iterator[tuple[float, int, dict[str, Any]]]:
    while True:
        try:
            yield marshal.load(handle)
        except EOFError:
            return


def _area_text(row: Row) -> str:
    name, description = row.get("name", ""), row.get("description", "")
    return f"{name}: {description}" if description else name


# Weight of the product facets ("parts and components of ...", "materials and technology for ...")
# beside the statement itself. The knowledge a mission needs includes the technology of what it
# makes: at 0.25 ESCO knowledge nDCG@5 went 0.818 -> 0.826 (raw cosine 0.817) and the dev skills
# list 0.709 -> 0.689 (raw 0.654), and a fridge maker's motor design and rubber materials rank above
# culinary arts; at 0.5 and above the skills list falls towards raw cosine.
FACET_WEIGHT = 0.25


def rank_knowledge(
    aligner: Aligner, mission: str, rows: Sequence[Row], progress: ProgressFn | None = None
) -> list[dict[str, Any]]:
    """`{id, name, score, why}` for every knowledge area, the ones the mission needs most first.

    An area ranks by its closeness to the whole statement (and, a quarter as much, to the parts,
    materials and technology of what the mission makes), blended with a soft maximum over the
    statement's sentences, then pulled a fifth of the way towards the best three areas
    (`domain/knowledge_reading.py`); every closeness less half the area's closeness to everything
    (its hubness) and calibrated against how that row rates the background. Nothing else: a
    breadth prior and a concreteness penalty used to sit on top, and they fit one development list
    (generic skills, nDCG@5 0.81) while falling below plain cosine on knowledge concepts of another
    source (0.73 against 0.82).
    """
    texts = [_area_text(r) for r in rows]
    vectors = aligner.embed(texts, progress=progress)
    statement = without_exceptions(mission)
    themes = aligner.mission_model(mission).themes or ()
    facets = [facet for t in themes if t.kind == ThemeKind.WHAT for facet in facet_texts(t)]
    parts = mission_parts(mission)
    z_rows = _calibrated(aligner, vectors, aligner.embed([statement, *facets, *parts]))
    z_all = z_rows[:, 0]
    if facets:
        z_all = (z_all + FACET_WEIGHT * z_rows[:, 1 : 1 + len(facets)].mean(axis=1)) / (1.0 + FACET_WEIGHT)
    z_all = with_parts(z_all, z_rows[:, 1 + len(facets) :])
    centre = best_centre(vectors, z_all)
    if centre is not None:
        z_centre = _calibrated(aligner, vectors, centre[None, :])[:, 0]
        z_all = (z_all + FEEDBACK_WEIGHT * z_centre) / (1.0 + FEEDBACK_WEIGHT)
    # Words most of the areas share ("knowledge", "principles") are how the list is written, not
    # evidence of a need.
    drop = boilerplate_words(texts + [mission])
    nearest = (vectors @ aligner.embed([t.text for t in themes]).T).argmax(axis=1) if themes else None
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        z = float(z_all[i])
        theme = themes[int(nearest[i])] if nearest is not None else None
        serves = f"the theme '{theme.name}'" if theme else "the mission"
        words = quotable_shared_words(strip_words(texts[i], drop), statement)
        strength = f"{z:.1f} sd above generic activities"
        if words:
            why = f"Needed for {serves}: shares {quote(words)} with the mission ({strength})."
        else:
            why = f"Needed for {serves}: close in meaning, no shared words ({strength})."
        score = score_from_z(z, aligner.thresholds)
        out.append({"id": row["id"], "name": row.get("name", ""), "score": round(score, 4), "why": why})
    out.sort(key=lambda r: -r["score"])
    return out


def _calibrated(aligner: Aligner, vectors: np.ndarray, targets: np.ndarray) -> np.ndarray:
    return calibrated_rows(vectors, targets, aligner.background, aligner.params, aligner.background_hub)


def link_goals(
    aligner: Aligner, rows: Sequence[Row], source: str = "input", explain: int | None = None
) -> list[dict[str, Any]]:
    """For every goal of level > 1: `{id, suggestions: [{id, score, why}]}` over all goals one level up.

    `explain` limits the written reasons to each goal's best few suggestions (the rest get an empty
    `why`). A parent of the goal's own unit (when the rows name units) gets a small bonus.
    """
    levels = _levels(rows, source)
    texts = [r["text"] for r in rows]
    found: dict[int, list[dict[str, Any]]] = {}
    for table in link_table(aligner, texts, levels, [r.get("unit", "") for r in rows]):
        found.update((int(i), []) for i in table.children)
        parent_ids = [rows[j]["id"] for j in table.parents]
        for offset, scores in table.blocks():
            orders = np.argsort(-scores, axis=1, kind="stable").tolist()  # ties: input order
            rounded = np.round(scores, 4).tolist()
            for r, order in enumerate(orders):
                i = int(table.children[offset + r])
                values = rounded[r]
                suggestions = [{"id": parent_ids[j], "score": values[j], "why": ""} for j in order]
                shown = suggestions if explain is None else suggestions[:explain]
                for suggestion, j in zip(shown, order):
                    evidence = table.evidence(offset + r, j)
                    suggestion["why"] = link_reason(texts[i], texts[table.parents[j]], evidence)
                found[i] = suggestions
    return [{"id": rows[i]["id"], "suggestions": found[i]} for i in sorted(found)]


def _levels(rows: Sequence[Row], source: str) -> list[int]:
    ids = {r["id"] for r in rows}
    levels = []
    for number, row in enumerate(rows, start=2):
        raw = row.get("level", "")
        try:
            level = int(raw)
        except ValueError:
            raise RowError(
                source, number, "level", f"{raw!r} is not a whole number", "use 1 for top goals, 2 below"
            ) from None
        if level < 1:
            raise RowError(source, number, "level", f"{level} is below 1", "use 1 for top goals, 2 below")
        parent = row.get("parent_id", "")
        if parent and parent not in ids:
            raise RowError(
                source,
                number,
                "parent_id",
                f"{parent!r} is not the id of any goal in the file",
                "leave it blank or use an id from the id column",
            )
        levels.append(level)
    return levels
