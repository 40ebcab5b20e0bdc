"""The batch contract (DESIGN.md): file rows in, verdict rows out, no database.

The CLI reads and validates the files and calls these; the REST API can call them on posted rows.
Every function returns plain dicts ready to be written as JSON, CSV or a table.
"""

from __future__ import annotations

import heapq
import marshal
import os
import random
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count, islice
from typing import IO

import numpy as np

from hoshin.domain.alignment import MissionVectors, align
from hoshin.domain.calibration import score_from_z
from hoshin.domain.explain import shared_words
from hoshin.domain.mission import MissionModel
from hoshin.domain.text import (
    boilerplate_from_counts,
    boilerplate_words,
    strip_words,
    without_exceptions,
    word_document_counts,
)
from hoshin.embedding import ProgressFn
from hoshin.errors import RowError
from hoshin.service.alignment import Aligner, BatchContext
from hoshin.service.cascade import link_reason, link_table
from hoshin.service.corridor_examples import LabelledExample, judge_by_examples

__all__ = [
    "CHUNK_ROWS",
    "CONTEXT_SAMPLE",
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


def triage(
    aligner: Aligner,
    mission: str,
    rows: Sequence[Row],
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    progress: ProgressFn | None = None,
    examples: Sequence[LabelledExample] = (),
) -> list[dict]:
    """`{id, text, score, tier, theme, why}` for every row, best first. With `examples` (ideas a
    reviewer placed in tiers), the examples decide the tiers and the `why` names them; the
    examples themselves are not in the output."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    texts = [r["text"] for r in rows]
    if examples:
        batch = aligner.score_batch(model, texts + [e.text for e in examples], progress=progress)
        verdicts = judge_by_examples(aligner, batch, texts, examples)
    else:
        verdicts = aligner.score(model, texts, progress=progress)
    out = [{"id": r["id"], "text": r["text"], **v.as_dict()} for r, v in zip(rows, verdicts)]
    out.sort(key=lambda row: -row["score"])
    return out


# ---------------------------------------------------------------- triage of any size, in chunks
#
# `triage` scores its rows as one batch, and two things of that batch enter every verdict: the
# words most lines share (dropped as boilerplate before embedding) and the feedback centre (the
# mean of the batch's four best texts). Neither fits a stream whose end is not read yet, so a
# large input is triaged in two passes over the file, holding at most one chunk of rows:
#
# 1. `survey_texts` reads every text once, without the model: it counts the input, counts in how
#    many texts each word occurs (so the boilerplate words are exactly the whole batch's), and
#    keeps a uniform random sample of CONTEXT_SAMPLE texts (reservoir sampling, fixed seed).
# 2. The sample (with the examples, as they would sit in the whole batch) is scored once; its
#    feedback centre, with the exact boilerplate words, is the context every chunk of
#    CHUNK_ROWS rows is then scored with (`Aligner.score_batch(..., context=...)`). With examples,
#    the sample's z values also stand in for the whole batch's mean and spread, the one feature
#    of the example learner that looks at the batch as a whole.
#
# What this gives: an input of up to CHUNK_ROWS rows is one batch, as before, byte for byte. Up
# to CONTEXT_SAMPLE rows the sample is the whole input, so every verdict is the unchunked one
# whatever the chunk size. Beyond that only the centre (and with examples the reference mean and
# spread) comes from a sample instead of the whole input: the sample's four best texts rather
# than the input's. How much that moves verdicts is measured on 20,000 ideas in bench/README.md
# ("Streaming"). Exact centres would need every text embedded before the first
# verdict, i.e. every vector held or embedded twice.

#: Rows scored together; also the largest input triaged as one batch, exactly as `triage` does.
CHUNK_ROWS = 10_000
#: Texts of a larger input sampled to fix the batch context its chunks are scored with.
CONTEXT_SAMPLE = 10_000


@dataclass
class InputSurvey:
    """What the first pass over an input learns: how many texts, which words most of them share
    (as document counts), and a uniform sample of the texts in input order."""

    count: int = 0
    word_counts: Counter[str] = field(default_factory=Counter)
    sample: list[str] = field(default_factory=list)


def survey_texts(texts: Iterable[str], sample_size: int | None = None, seed: int = 26) -> InputSurvey:
    """One pass over `texts` in bounded memory (the sample, of `sample_size` texts, by default
    CONTEXT_SAMPLE, and one count per distinct word)."""
    if sample_size is None:
        sample_size = CONTEXT_SAMPLE
    survey = InputSurvey()
    draw = random.Random(seed)
    picked: list[tuple[int, str]] = []
    block: list[str] = []
    for index, text in enumerate(texts):
        block.append(text)
        if len(block) == 4096:
            survey.word_counts.update(word_document_counts(block))
            block = []
        if index < sample_size:
            picked.append((index, text))
        else:
            slot = draw.randrange(index + 1)
            if slot < sample_size:
                picked[slot] = (index, text)
        survey.count = index + 1
    survey.word_counts.update(word_document_counts(block))
    survey.sample = [text for _, text in sorted(picked)]
    return survey


def chunked(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """`rows` in lists of `size` (the last one shorter)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def triage_chunks(
    aligner: Aligner,
    mission: str,
    chunks: Iterable[Sequence[Row]],
    survey: InputSurvey,
    focus_areas: Sequence[str] = (),
    exclusions: Sequence[str] = (),
    progress: ProgressFn | None = None,
    examples: Sequence[LabelledExample] = (),
) -> Iterator[list[dict]]:
    """`triage` over an input read in chunks: each chunk's `{id, text, score, tier, theme, why}`
    rows, in input order (not sorted: `best_first` sorts them all in bounded memory). `survey` is
    the first pass over the same texts (`survey_texts`); see the notes above on what it fixes.
    When the survey counts no more texts than the first chunk holds, that chunk is scored as
    `triage` scores it."""
    model = aligner.mission_model(mission, focus_areas, exclusions)
    context: BatchContext | None = None
    reference: tuple[float, float] | None = None
    done = 0
    for chunk in chunks:
        if context is None and len(chunk) < survey.count:
            context, reference = _sampled_context(aligner, model, survey, examples)
        texts = [r["text"] for r in chunk]

        def chunk_progress(finished: int, offset: int = done) -> None:
            if progress is not None:
                progress(offset + finished)

        if examples:
            batch = aligner.score_batch(
                model, texts + [e.text for e in examples], progress=chunk_progress, context=context
            )
            verdicts = judge_by_examples(aligner, batch, texts, examples, reference=reference)
        else:
            verdicts = aligner.score_batch(model, texts, progress=chunk_progress, context=context).verdicts
        done += len(texts)
        yield [{"id": r["id"], "text": r["text"], **v.as_dict()} for r, v in zip(chunk, verdicts)]


def _sampled_context(
    aligner: Aligner, model: MissionModel, survey: InputSurvey, examples: Sequence[LabelledExample]
) -> tuple[BatchContext, tuple[float, float] | None]:
    """The context a large input's chunks are scored with: the whole input's boilerplate words
    and the feedback centre of the sample; with examples, the mean and spread of the sample's and
    the examples' z (what the learner compares each idea with)."""
    example_texts = [e.text for e in examples]
    counts = survey.word_counts + word_document_counts([*example_texts, model.text])
    drop = boilerplate_from_counts(counts, survey.count + len(example_texts) + 1)
    prepared = aligner.prepare(model, drop)
    lines = survey.sample + example_texts
    vectors = aligner.embed_scored([strip_words(t, drop) for t in lines])
    result = align(
        vectors,
        prepared,
        aligner.background,
        aligner.params,
        use_feedback=True,
        background_hub=aligner.background_hub,
    )
    reference = None
    if examples:
        z = np.asarray(result.z, dtype=np.float64)
        reference = (float(z.mean()), float(z.std()))
    return BatchContext(drop, prepared, result.centre), reference


#: Sorted runs merged at once; more are merged in rounds (each run holds one open file).
_MERGE_WIDTH = 64


def best_first(chunks: Iterable[list[dict]], folder: str | None = None) -> Iterator[dict]:
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


def _chain(first: list[dict], second: list[dict], rest: Iterator[list[dict]]) -> Iterator[list[dict]]:
    yield first
    yield second
    yield from rest


def _write_run(path: str, keyed: Iterable[tuple[float, int, dict]], replaces: Sequence[str] = ()) -> str:
    """Write one sorted run (`replaces`: the runs merged into it, removed once it is written)."""
    with open(path, "wb") as handle:
        for item in keyed:
            marshal.dump(item, handle)
    for old in replaces:
        os.unlink(old)
    return path


def _read_run(path: str) -> Iterator[tuple[float, int, dict]]:
    with open(path, "rb") as handle:
        yield from _loads(handle)


def _loads(handle: IO[bytes]) -> Iterator[tuple[float, int, dict]]:
    while True:
        try:
            yield marshal.load(handle)
        except EOFError:
            return


def _area_text(row: Row) -> str:
    name, description = row.get("name", ""), row.get("description", "")
    return f"{name}: {description}" if description else name


def rank_knowledge(
    aligner: Aligner, mission: str, rows: Sequence[Row], progress: ProgressFn | None = None
) -> list[dict]:
    """`{id, name, score, why}` for every knowledge area, the ones the mission needs most first.

    An area ranks by its closeness to the whole statement, less half its closeness to everything
    (its hubness against the background corpus), calibrated against how the statement rates that
    background. Nothing else: a breadth prior and a concreteness penalty used to sit on top, and
    they fit one development list (generic skills, nDCG@5 0.81) while falling below plain cosine on
    knowledge concepts of another source (0.73 against 0.82); without them the rank beats plain
    cosine on both (eval/README.md).
    """
    texts = [_area_text(r) for r in rows]
    vectors = aligner.embed(texts, progress=progress)
    statement = without_exceptions(mission)
    mission_vectors = MissionVectors(
        names=("mission",),
        texts=(statement,),
        vectors=aligner.embed([statement]),
        penalties=np.zeros(1, dtype=np.float32),
        exclusion_names=(),
        exclusion_vectors=np.zeros((0, vectors.shape[1] if len(vectors) else 0), dtype=np.float32),
    )
    result = align(
        vectors,
        mission_vectors,
        aligner.background,
        aligner.params,
        use_feedback=False,
        background_hub=aligner.background_hub,
    )
    # Words most of the areas share ("knowledge", "principles") are how the list is written, not
    # evidence of a need.
    drop = boilerplate_words(texts + [mission])
    themes = aligner.mission_model(mission).themes or ()
    nearest = (vectors @ aligner.embed([t.text for t in themes]).T).argmax(axis=1) if themes else None
    out = []
    for i, row in enumerate(rows):
        z = float(result.z[i])
        theme = themes[int(nearest[i])] if nearest is not None else None
        serves = f"the theme '{theme.name}'" if theme else "the mission"
        words = shared_words(strip_words(texts[i], drop), statement)
        strength = f"{z:.1f} sd above generic activities"
        if words:
            why = f"Needed for {serves}: shares {_quoted(words)} with the mission ({strength})."
        else:
            why = f"Needed for {serves}: close in meaning, no shared words ({strength})."
        score = score_from_z(z, aligner.thresholds)
        out.append({"id": row["id"], "name": row.get("name", ""), "score": round(score, 4), "why": why})
    out.sort(key=lambda r: -r["score"])
    return out


def _quoted(words: list[str]) -> str:
    return ", ".join(repr(w) for w in words)


def link_goals(
    aligner: Aligner, rows: Sequence[Row], source: str = "input", explain: int | None = None
) -> list[dict]:
    """For every goal of level > 1: `{id, suggestions: [{id, score, why}]}` over all goals one level up.

    `explain` limits the written reasons to each goal's best few suggestions (the rest get an empty
    `why`). A parent of the goal's own unit (when the rows name units) gets a small bonus.
    """
    levels = _levels(rows, source)
    texts = [r["text"] for r in rows]
    found: dict[int, list[dict]] = {}
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
                    suggestion["why"] = link_reason(texts[i], texts[table.parents[j]])
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
