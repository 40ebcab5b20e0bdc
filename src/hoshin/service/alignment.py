"""The alignment use case: embed texts and a mission model, and return verdicts with reasons.

Everything that scores text against the mission — corridor triage, goal checks, knowledge needs,
brand checks — goes through one `Aligner`, so one calibration serves every capability.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from hoshin.domain.alignment import AlignmentResult, EngineParams, MissionVectors, align
from hoshin.domain.calibration import Thresholds, hubness
from hoshin.domain.explain import verdict_for
from hoshin.domain.mission import MissionModel, Theme, ThemeKind, build_mission_model, theme_label
from hoshin.domain.part_of import PartEvidence, PartOfEntry, expansion, lift_parts
from hoshin.domain.quantised import through_int8
from hoshin.domain.siblings import (
    SiblingGroups,
    SiblingReading,
    cap_siblings,
    mission_siblings,
    parse_siblings,
)
from hoshin.domain.text import boilerplate_words, scored_text, strip_words, without_exceptions
from hoshin.domain.tier_bounds import batch_thresholds, best_values
from hoshin.domain.verdict import Verdict
from hoshin.embedding import Embedder, ProgressFn

__all__ = [
    "Aligner",
    "BatchContext",
    "ScoredBatch",
    "default_embedder",
    "default_thresholds",
    "facet_texts",
]

# What an organisation makes is served by the parts, materials and technology inside it: a door
# seal serves "reliable refrigerators" though the two texts share no words. Each *what* theme is
# therefore also embedded in these phrasings, and an item may match any of them.
FACET_TEMPLATES = ("parts and components of {}", "materials and technology for {}")


def facet_texts(theme: Theme) -> list[str]:
    """A what-theme phrased as the parts, materials and technology of what it names.

    Phrased on the theme's first content words, not its text or shown phrase: a what-theme can be a
    whole clause (an occupation's description), and "parts and components of" a clause reads as
    nothing (phrasing on the text cost knowledge ranking nDCG@5 0.81 -> 0.80)."""
    label = theme_label(theme.text)
    return [template.format(label) for template in FACET_TEMPLATES]


# Penalty (in sd) a theme row pays before it can beat the whole statement; focus areas are
# written by people on purpose and pay nothing.
_PENALTY = {ThemeKind.FOCUS: 0.0}


def default_thresholds() -> Thresholds:
    """Tier thresholds shipped with Hoshin (data/thresholds.json; see docs/calibration.md)."""
    raw = json.loads(resources.files("hoshin.data").joinpath("thresholds.json").read_text("utf-8"))
    margin = raw.get("core_margin")
    return Thresholds(
        core=float(raw["core"]),
        adjacent=float(raw["adjacent"]),
        note=raw.get("note", ""),
        core_margin=float(margin) if margin is not None else None,
    )


def default_embedder(backend: str | None = None) -> Embedder:
    """The configured backend (or `backend`), wrapped in the on-disk vector cache unless
    HOSHIN_CACHE=off."""
    from hoshin.config import cache_dir, settings
    from hoshin.embedding import CachedEmbedder, SqliteVectorCache, create_embedder

    inner = create_embedder(backend)
    if not settings.cache:
        return inner
    return CachedEmbedder(inner, SqliteVectorCache(cache_dir() / "vectors.sqlite3"))


@dataclass(frozen=True)
class BatchContext:
    """What a batch contributed to its own verdicts: the words dropped as boilerplate, the mission
    embedded without them, and the feedback centre of its best texts (None for a small batch).

    Scoring more texts with `score_batch(..., context=...)` gives each the verdict it would have
    had as one more line of that batch (as long as it would not have changed the batch's
    boilerplate or best texts), without scoring the batch again.
    """

    drop: frozenset[str]
    mission: MissionVectors
    centre: np.ndarray | None
    # The tier bounds the batch's verdicts used (its core bound may sit above the shipped one,
    # domain/tier_bounds.py); None: the aligner's own.
    thresholds: Thresholds | None = None


@dataclass(frozen=True)
class ScoredBatch:
    verdicts: list[Verdict]
    result: AlignmentResult
    mission: MissionVectors
    drop: frozenset[str] = frozenset()
    # The lines' vectors as they were scored (boilerplate words out, through int8), for callers that
    # compare the lines with one another (the example learner) without embedding them again.
    vectors: np.ndarray | None = None
    thresholds: Thresholds | None = None  # the bounds the verdicts used
    # Positions whose verdict word evidence moved: part-of evidence made them core
    # (domain/part_of.py), or a sibling product held them below core (domain/siblings.py). Their z
    # in `result` is the engine's own, not the tier they show, so a caller re-telling a verdict
    # leaves them.
    lifted: frozenset[int] = frozenset()

    @property
    def context(self) -> BatchContext:
        return BatchContext(self.drop, self.mission, self.result.centre, self.thresholds)


class Aligner:
    """Scores texts against mission models. Reuse one instance: it keeps background vectors."""

    def __init__(
        self,
        embedder: Embedder | None = None,
        thresholds: Thresholds | None = None,
        params: EngineParams | None = None,
        background: Sequence[str] | None = None,
        part_of: Sequence[PartOfEntry] | None = None,
        siblings: SiblingGroups | None | bool = True,
    ) -> None:
        self.embedder = embedder if embedder is not None else default_embedder()
        self.thresholds = thresholds or default_thresholds()
        self.params = params or EngineParams()
        self._background_texts = list(background) if background is not None else None
        self._background: np.ndarray | None = None
        self._background_hub: np.ndarray | None = None
        # The shipped HS 2022 extract unless given (an empty list turns part-of evidence off).
        self.part_of = tuple(part_of) if part_of is not None else shipped_part_of()
        # WordNet's groups of sibling products (True: the shipped file; False or None: no cap). The
        # shipped file is read when a mission is first prepared, not here: it takes a tenth of a
        # second, which a command that never scores against a mission need not pay.
        self._siblings = siblings

    @cached_property
    def sibling_groups(self) -> SiblingGroups | None:
        return shipped_siblings() if self._siblings is True else (self._siblings or None)

    # ------------------------------------------------------------------ building blocks
    def mission_model(
        self,
        text: str,
        focus_areas: Sequence[str] = (),
        exclusions: Sequence[str] = (),
        themes: Sequence[Theme] | None = None,
    ) -> MissionModel:
        return build_mission_model(
            text, tuple(focus_areas), tuple(exclusions), tuple(themes) if themes is not None else None
        )

    def embed(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        return self.embedder.embed(list(texts), progress=progress)

    def embed_scored(self, texts: Sequence[str], progress: ProgressFn | None = None) -> np.ndarray:
        """Vectors of texts to be scored, as their int8 codes give them back (domain/quantised.py):
        the form a re-score keeps for a million ideas, so every path scores the same vectors."""
        vectors = self.embed(texts, progress)
        # Rounded in place only where the array is this call's own (an embedder could hand out an
        # array it keeps); dtype float32 as every embedder returns.
        if not (vectors.flags.owndata and vectors.flags.writeable and vectors.dtype == np.float32):
            vectors = np.array(vectors, dtype=np.float32)
        if not len(vectors):
            return vectors
        return through_int8(vectors.reshape(len(vectors), -1))

    @property
    def background(self) -> np.ndarray:
        if self._background is None:
            self._background = _background_vectors(self.embedder, self._background_texts)
        return self._background

    @property
    def background_hub(self) -> np.ndarray:
        """Each background text's closeness to the rest of the background (computed once)."""
        if self._background_hub is None:
            self._background_hub = hubness(
                self.background, self.background, self.params.hub_k, exclude_self=True
            )
        return self._background_hub

    def prepare(self, model: MissionModel, drop: frozenset[str] = frozenset()) -> MissionVectors:
        """Embed the mission model (statement, themes, focus areas, exclusions)."""
        rows: list[tuple[str, str, float]] = [("mission", without_exceptions(model.text), 0.0)]
        for theme in model.all_themes:
            penalty = _PENALTY.get(theme.kind, self.params.theme_penalty)
            rows.append((theme.name, theme.text, penalty))
            if theme.kind == ThemeKind.WHAT:
                rows.extend((theme.name, facet, penalty) for facet in facet_texts(theme))
        texts = [strip_words(t, drop) for _, t, _ in rows]
        exclusion_texts = [strip_words(e, drop) for e in model.exclusions]
        vectors = self.embed(texts + exclusion_texts)
        parts = self.part_evidence(model)
        return MissionVectors(
            names=tuple(name for name, _, _ in rows),
            texts=tuple(t for _, t, _ in rows),
            vectors=vectors[: len(texts)],
            penalties=np.array([p for _, _, p in rows], dtype=np.float32),
            exclusion_names=tuple(model.exclusions),
            exclusion_vectors=vectors[len(texts) :],
            parts=parts,
            siblings=self.siblings(model, parts),
        )

    def part_evidence(self, model: MissionModel, with_removed: bool = False) -> tuple[PartEvidence, ...]:
        """The nomenclature entries tied to a product the mission names (domain/part_of.py), less
        those a strategist removed unless `with_removed`."""
        return expansion(model, self.part_of, with_removed=with_removed)

    def siblings(self, model: MissionModel, parts: tuple[PartEvidence, ...] | None = None) -> SiblingReading:
        """WordNet's other kinds of the products the mission names (domain/siblings.py), less the
        parts tied to them (`parts`: the part-of expansion, found here when not given)."""
        if parts is None:
            parts = self.part_evidence(model)
        return mission_siblings(model, self.sibling_groups, parts)

    # ------------------------------------------------------------------ the use case
    def score(
        self,
        model: MissionModel,
        texts: Sequence[str],
        progress: ProgressFn | None = None,
        use_feedback: bool = True,
    ) -> list[Verdict]:
        """One verdict per text, in input order."""
        return self.score_batch(model, texts, progress, use_feedback).verdicts

    def score_batch(
        self,
        model: MissionModel,
        texts: Sequence[str],
        progress: ProgressFn | None = None,
        use_feedback: bool = True,
        context: BatchContext | None = None,
        explain: Sequence[int] | None = None,
        vectors: np.ndarray | None = None,
        batch_bounds: bool = False,
    ) -> ScoredBatch:
        """Verdicts for `texts` as one batch; with `context` (an earlier batch's), as more lines of
        that batch. `model` must be the model that batch was scored against.

        `explain` limits the verdicts (each with its reason, the costly part of a large batch) to
        the texts at those positions, in that order; the alignment still covers every text.
        `vectors` (with `context` only) are the texts' vectors as `embed_scored` gave them for the
        context's boilerplate words, when the caller kept them: nothing is embedded again.
        `batch_bounds` (triage of ideas) lets the batch set its own core bound from its best texts
        (`batch_thresholds`); with `context`, the context's bounds apply whatever it says."""
        items = list(texts)
        if context is None:
            # Words that most lines of the batch share (and the mission, too) say nothing about fit.
            drop = boilerplate_words(items + [model.text])
            prepared = self.prepare(model, drop)
            centre = None
        else:
            drop, prepared, centre = context.drop, context.mission, context.centre
        if vectors is None or context is None:
            vectors = self.embed_scored([scored_text(t, drop) for t in items], progress=progress)
        result = align(
            vectors,
            prepared,
            self.background,
            self.params,
            use_feedback=use_feedback and (context is None or centre is not None),
            background_hub=self.background_hub,
            centre=centre,
        )
        if context is not None:
            thresholds = context.thresholds or self.thresholds
        elif batch_bounds:
            thresholds = self.batch_thresholds(result.z)
        else:
            thresholds = self.thresholds
        # The verdicts read the lifted z; the batch keeps the engine's own, which the example
        # learner and the reviewers' labels compare ideas by (as the chunked and stored paths do).
        told, lifted = _lift_parts(items, result, prepared, thresholds)
        positions = range(len(items)) if explain is None else explain
        verdicts = [self._verdict(items[i], i, told, prepared, thresholds) for i in positions]
        for n, i in enumerate(positions):
            if i in lifted:
                verdicts[n] = replace(verdicts[n], why=lifted[i])
        return ScoredBatch(verdicts, result, prepared, drop, vectors, thresholds, frozenset(lifted))

    def batch_thresholds(self, z: np.ndarray) -> Thresholds:
        """The tier bounds for a batch of ideas whose calibrated scores are `z` (all of them):
        core within the shipped margin of its best texts, as many as the feedback step uses."""
        return self.batch_thresholds_from(best_values(z, self.params.feedback_k), len(z))

    def batch_thresholds_from(self, best: np.ndarray, count: int) -> Thresholds:
        """`batch_thresholds` from the batch's highest z (`best`) and its size, for a batch read
        in chunks."""
        return batch_thresholds(best, count, self.thresholds, self.params.feedback_min_batch)

    def _verdict(
        self, text: str, i: int, result: AlignmentResult, mission: MissionVectors, thresholds: Thresholds
    ) -> Verdict:
        return self.verdict_in_row(text, i, result, mission, int(result.best[i]), thresholds)

    def verdict_in_row(
        self,
        text: str,
        i: int,
        result: AlignmentResult,
        mission: MissionVectors,
        best: int,
        thresholds: Thresholds | None = None,
    ) -> Verdict:
        """Text `i`'s verdict (its score and tier as `result` and `thresholds` give them; None: the
        shipped bounds) told through mission row `best`: the row that served it best, or another
        the caller picked (a goal's theme lane)."""
        thresholds = thresholds or self.thresholds
        theme_name = mission.names[best]
        if theme_name == "mission":
            theme_name = _headline(mission)
        exclusion = int(result.exclusion[i])
        return verdict_for(
            text,
            float(result.z[i]),
            theme_name,
            mission.texts[best],
            thresholds,
            exclusion_name=mission.exclusion_names[exclusion] if exclusion >= 0 else None,
            exclusion_z=float(result.exclusion_z[i]),
        )


def _lift_parts(
    items: Sequence[str], result: AlignmentResult, mission: MissionVectors, thresholds: Thresholds
) -> tuple[AlignmentResult, dict[int, str]]:
    """`result` with the ideas that name a part tied to the mission's product raised to core, and
    those about a sibling product held below it (`told_apart`), with each one's reason."""
    z, whys = told_apart(items, result.z, result.exclusion_z, mission, thresholds)
    return (replace(result, z=z) if whys else result), whys


def told_apart(
    items: Sequence[str],
    z: np.ndarray,
    exclusion_z: np.ndarray,
    mission: MissionVectors,
    thresholds: Thresholds,
) -> tuple[np.ndarray, dict[int, str]]:
    """`z` after the mission's word evidence (a copy when anything moved), and the reason of each
    text it moved, by position: a text below core naming a part tied to the product is raised to
    core (domain/part_of.py); a core text about a sibling product held just below core
    (domain/siblings.py). The two touch different texts: the cap reads only texts already core,
    and leaves one that names a tied part. The stored-corridor pass calls this too."""
    capped_z, capped = cap_siblings(items, z, mission.siblings, mission.parts, thresholds)
    lifted_z, lifted = lift_parts(items, capped_z, exclusion_z, mission.parts, thresholds)
    whys = {i: evidence.reason() for i, evidence in lifted.items()}
    whys.update(capped)
    return lifted_z, whys


def shipped_siblings() -> SiblingGroups | None:
    """WordNet's groups of sibling products (data/siblings_wordnet.json); missing or unreadable
    data gives none, and no idea is capped."""
    return _shipped_siblings()


@lru_cache(maxsize=1)
def _shipped_siblings() -> SiblingGroups | None:
    path = resources.files("hoshin.data").joinpath("siblings_wordnet.json")
    try:
        return parse_siblings(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return None


def shipped_part_of() -> tuple[PartOfEntry, ...]:
    """The shipped extract (data/part_of.json); missing or unreadable data gives none."""
    return _shipped_part_of()


@lru_cache(maxsize=1)
def _shipped_part_of() -> tuple[PartOfEntry, ...]:
    """HS 2022 first, then WordNet 3.0's parts and housings, then CAPEC's attack patterns
    (scripts/build_part_of.py, scripts/build_grounding.py); a file missing or unreadable gives none
    of its entries and leaves the others."""
    from hoshin.domain.part_of import parse_entries, parse_grounding

    found: list[PartOfEntry] = []
    for name, parse in (
        ("part_of.json", parse_entries),
        ("part_of_wordnet.json", parse_grounding),
        ("threats_capec.json", parse_grounding),
    ):
        path = resources.files("hoshin.data").joinpath(name)
        try:
            found.extend(parse(json.loads(path.read_text("utf-8"))))
        except (OSError, ValueError):
            continue
    return tuple(found)


def _headline(mission: MissionVectors) -> str:
    """The name to show when the whole statement (not one theme) served best: its first theme."""
    return mission.names[1] if len(mission.names) > 1 else "mission"


def _background_vectors(embedder: Embedder, texts: list[str] | None) -> np.ndarray:
    if texts is not None:
        return embedder.embed(texts)
    return _packaged_background(embedder)


def _packaged_background(embedder: Embedder) -> np.ndarray:
    """Vectors of the shipped background corpus; precomputed for the default model when available."""
    from hoshin.data.corpora import background_texts

    texts = background_texts()
    digest = _digest(tuple(texts))
    stored = _stored_background(embedder.model_id, digest)
    if stored is None:
        # The int8 build keeps its own (made on this machine, beside the model file).
        from hoshin.embedding.onnx_int8 import stored_background

        stored = stored_background(embedder.model_id, digest)
    if stored is not None:
        return stored
    return embedder.embed(texts)


def _digest(texts: tuple[str, ...]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=4)
def _stored_background(model_id: str, digest: str) -> np.ndarray | None:
    """background-vectors.npz holds vectors for one model and one version of background.txt."""
    path = resources.files("hoshin.data").joinpath("background-vectors.npz")
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        data = np.load(handle)
        if str(data["model_id"]) != model_id or str(data["digest"]) != digest:
            return None
        return np.asarray(data["vectors"], dtype=np.float32)
