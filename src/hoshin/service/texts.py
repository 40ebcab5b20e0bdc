"""Use cases over texts measured against a mission: mission analysis, brand check, principles check.

Each function takes plain rows (`{"id", "text"}` dicts, as `read_table` returns them) and an
`Embedder`, embeds everything it needs in as few batches as possible, and returns JSON-ready dicts
in the shape of the batch contract (DESIGN.md). None of them touches a database.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np

from hoshin.domain.brand import BrandAttribute, assess_brand, attribute_prototypes, derive_attributes
from hoshin.domain.component_meaning import ComponentLayer, with_components_by_meaning
from hoshin.domain.component_roles import WORD_CLASS_PROTOTYPES, classify_words, masked_idioms, role_words
from hoshin.domain.lexicon import STOPWORDS, split_sentences, split_units, tokens
from hoshin.domain.mission_analysis import PROTOTYPES, SimilarityProfile, analyze_statement
from hoshin.domain.principle_acts import with_act_broken
from hoshin.domain.principle_aim import AIM
from hoshin.domain.principle_aim import clauses as aim_clauses
from hoshin.domain.principle_attribution import ATTRIBUTION_MARGIN, CLEARLY_CLOSE, attribute_contradictions
from hoshin.domain.principle_examples import EXAMPLE_CLOSE, clean_examples, closest_example, with_example
from hoshin.domain.principle_meaning import given_up_prototype, with_meaning
from hoshin.domain.principle_reach import CLOSE_TO_BREAK, MOTIVE_NEAR, MOTIVE_PHRASES
from hoshin.domain.principle_stance import (
    GENERIC_GIVE_UP,
    GENERIC_KEEP,
    StanceModel,
    stance_features,
    stance_phrasings,
    with_learned_stance,
)
from hoshin.domain.principles import (
    CONCEPT_PROTOTYPES,
    concepts_by_meaning,
    given_up_objects,
    judge_principle,
    parse_principle,
    traded_phrase,
    value_phrase,
)
from hoshin.embedding import Embedder, ProgressFn
from hoshin.errors import InputError
from hoshin.service.alignment import default_embedder  # re-exported: the CLI imports it from here
from hoshin.service.principle_acts import acts_broken
from hoshin.service.principle_aims import aim_leanings

_log = logging.getLogger("hoshin.principles")

__all__ = [
    "analyze_missions",
    "check_brand",
    "check_principles",
    "default_embedder",
    "similarity_profile",
]

Row = dict[str, str]

# Thresholds measured for the packaged MiniLM on eval/components_set.jsonl (eval/eval_components.py).
# Other models get the cue words alone plus only very close prototype matches, until measured.
_log = logging.getLogger(__name__)

_PROFILES = {"all-MiniLM-L6-v2": SimilarityProfile(alone=0.62, with_weak_cue=0.42)}
_UNMEASURED = SimilarityProfile(alone=0.9, with_weak_cue=0.75)


def similarity_profile(embedder: Embedder) -> SimilarityProfile:
    """The prototype-similarity thresholds that were measured for this embedder's model."""
    for prefix, profile in _PROFILES.items():
        if embedder.model_id.startswith(prefix):
            return profile
    return _UNMEASURED


def _require_text(text: str, what: str) -> str:
    if not text or not text.strip():
        raise InputError(f"{what} is empty; give the text to check")
    return text


# ---------------------------------------------------------------- mission analyze


def analyze_missions(
    rows: Sequence[Row],
    embedder: Embedder,
    with_themes: bool = True,
    progress: ProgressFn | None = None,
    component_layer: ComponentLayer | None | bool = True,
) -> list[dict[str, Any]]:
    """One analysis per statement: `{id, components, themes, missing, specificity, specificity_words,
    readability, suggestions}`. Themes come from the alignment engine when it is installed.
    `component_layer`: True for the shipped learned layer (only for the model it was fitted on), None
    for the rules alone (eval/fit_component_meaning.py measures them so)."""
    layer = shipped_component_layer(embedder) if component_layer is True else component_layer or None
    units_per_row = [split_units(row["text"]) for row in rows]
    flat = [u for units in units_per_row for u in units]
    prototype_texts = [p for texts in PROTOTYPES.values() for p in texts]
    vectors = embedder.embed(prototype_texts + flat, progress=progress)
    by_name = _by_group(PROTOTYPES, vectors)
    unit_vectors = vectors[len(prototype_texts) :]
    profile = similarity_profile(embedder)
    word_classes = _word_classes(rows, embedder) if profile is not _UNMEASURED else None
    themes_of = _theme_finder(embedder) if with_themes else None
    out: list[dict[str, Any]] = []
    offset = 0
    for row, units in zip(rows, units_per_row, strict=True):
        vecs = unit_vectors[offset : offset + len(units)]
        offset += len(units)
        analysis = analyze_statement(row["text"], units, vecs, by_name, profile, word_classes)
        if layer is not None:
            analysis = with_components_by_meaning(analysis, row["text"], units, vecs, by_name, layer)
        result = analysis.as_dict()
        themes = themes_of(row["text"]) if themes_of else None
        if themes is None:
            # Without the engine, the statement's own product and customer phrases stand in as themes.
            themes = [
                f.evidence
                for key, f in analysis.components.items()
                if key in ("products", "customers") and f.present and f.evidence
            ]
        out.append({"id": row["id"], **result, "themes": themes})
    return out


def _word_classes(rows: Sequence[Row], embedder: Embedder) -> dict[str, str]:
    """Which words of the statements name a person or organisation, a thing, a place or something else.

    Read from the model (each word against a few generic category words), once per batch: only a
    model whose word vectors were measured to sort these well gets here (see _PROFILES)."""
    words = sorted({w for row in rows for w in role_words(masked_idioms(tokens(row["text"])))})
    prototypes = [p for texts in WORD_CLASS_PROTOTYPES.values() for p in texts]
    vectors = np.asarray(embedder.embed(prototypes + words), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return classify_words(words, vectors[len(prototypes) :], _by_group(WORD_CLASS_PROTOTYPES, vectors))


def _by_group(groups: Mapping[str, Sequence[str]], vectors: np.ndarray) -> dict[str, np.ndarray]:
    """The leading rows of `vectors`, embedded from the groups' texts in order, cut back into groups."""
    out, start = {}, 0
    for name, texts in groups.items():
        out[name] = vectors[start : start + len(texts)]
        start += len(texts)
    return out


def _theme_finder(embedder: Embedder) -> Any:
    """A function text -> theme names from the alignment engine, or None when the engine is absent."""
    try:
        from hoshin.service.alignment import Aligner
    except ImportError:
        return None
    aligner = Aligner(embedder)

    def themes(text: str) -> list[str]:
        return [theme.name for theme in aligner.mission_model(text).themes]

    return themes


# ---------------------------------------------------------------- brand check


def check_brand(mission: str, rows: Sequence[Row], embedder: Embedder) -> list[dict[str, Any]]:
    """For each text: `{id, score, tier, attributes: {name: {score, supports, contradicts}}, why}`."""
    _require_text(mission, "the mission")
    attributes = [BrandAttribute.from_dict(a) for a in derive_attributes(mission)]
    sentences_per_row = [split_sentences(row["text"]) or [row["text"]] for row in rows]
    flat = [s for sentences in sentences_per_row for s in sentences]
    prototypes = attribute_prototypes(attributes)
    vectors = embedder.embed([mission, *prototypes, *[row["text"] for row in rows], *flat])
    mission_vec = vectors[0]
    proto_vecs = vectors[1 : 1 + len(prototypes)]
    text_vecs = vectors[1 + len(prototypes) : 1 + len(prototypes) + len(rows)]
    sentence_vecs = vectors[1 + len(prototypes) + len(rows) :]
    topical = _topicality(mission, [row["text"] for row in rows], text_vecs, mission_vec, embedder)
    out: list[dict[str, Any]] = []
    offset = 0
    for row, sentences, topic in zip(rows, sentences_per_row, topical, strict=True):
        vecs = sentence_vecs[offset : offset + len(sentences)]
        offset += len(sentences)
        result = assess_brand(attributes, sentences, vecs, proto_vecs, topic)
        out.append({"id": row["id"], **result})
    return out


def _topicality(
    mission: str, texts: list[str], text_vecs: np.ndarray, mission_vec: np.ndarray, embedder: Embedder
) -> list[float]:
    """How on-topic each text is for the mission, 0..1: the engine's calibrated score when available,
    else cosine similarity stretched so that unrelated text sits near 0 and close paraphrase near 1."""
    try:
        from hoshin.service.alignment import Aligner
    except ImportError:
        cosines = text_vecs @ mission_vec
        return [float(np.clip((c - 0.05) / 0.45, 0.0, 1.0)) for c in cosines]
    aligner = Aligner(embedder)
    model = aligner.mission_model(mission)
    return [float(v.score) for v in aligner.score(model, texts)]


# ---------------------------------------------------------------- principles check


def check_principles(
    mission: str, principles: Sequence[dict[str, Any]], rows: Sequence[Row], embedder: Embedder
) -> list[dict[str, Any]]:
    """One result per text × principle: `{id, principle, verdict, evidence, why}`, texts in input
    order and principles in input order within each text.

    A principle row may carry `examples: [{text, stance}]` (domain/principle_examples.py): a sentence
    close to one takes its stance when the reading found nothing, and the reason names it."""
    return _check_principles(mission, principles, rows, embedder)


def _check_principles(
    mission: str,
    principles: Sequence[dict[str, Any]],
    rows: Sequence[Row],
    embedder: Embedder,
    stance_model: StanceModel | None | bool = True,
    meaning: bool = True,
    record: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """check_principles, with the learned stance layer and the meaning fallback as parameters (for
    eval/fit_principle_stance.py); `stance_model`: True for the shipped one, None for none; `record`,
    when given, receives per text and principle the verdict of the readings before either fallback,
    the text's mean sentence vector and the stance layer's features."""
    _require_text(mission, "the mission")
    if stance_model is True:
        stance_model = shipped_stance_model(embedder)
    measured = similarity_profile(embedder) is not _UNMEASURED
    examples = [clean_examples(str(p.get("id", n + 1)), p.get("examples")) for n, p in enumerate(principles)]
    example_texts = [e["text"] for kept in examples for e in kept]
    sentences_per_row = [split_sentences(row["text"]) or [row["text"]] for row in rows]
    flat = [s for sentences in sentences_per_row for s in sentences]
    # the examples are embedded once per check, in the same batch as the principles and the texts
    vectors = embedder.embed([p["text"] for p in principles] + example_texts + flat)
    principle_vecs = vectors[: len(principles)]
    example_vecs = vectors[len(principles) : len(principles) + len(example_texts)]
    sentence_vecs = vectors[len(principles) + len(example_texts) :]
    # each principle given up (principle_meaning), only for the model its margins were measured on;
    # a batch of its own, so the batch above stays what it is for every other model
    given_up_vecs = (
        embedder.embed(
            [given_up_prototype(value_phrase(p["text"]), traded_phrase(p["text"])) for p in principles]
        )
        if measured and principles
        else None
    )
    # the principle given up and kept, in its own words and in any field's (principle_stance)
    phrasings = [stance_phrasings(value_phrase(p["text"]), traded_phrase(p["text"])) for p in principles]
    stance_vecs = (
        embedder.embed(
            [t for given, kept in phrasings for t in given + kept] + list(GENERIC_GIVE_UP + GENERIC_KEEP)
        )
        if measured and principles and (isinstance(stance_model, StanceModel) or record is not None)
        else None
    )
    starts = np.cumsum([0] + [len(kept) for kept in examples])
    # other models than the measured one count only near-identical wording as the same example
    example_close = EXAMPLE_CLOSE if measured else 0.9
    parsed = _parse_principles([p["text"] for p in principles], embedder if measured else None)
    profile_scale = 1.0 if measured else 1.3
    ids = [str(p["id"]) for p in principles]
    margin, clearly_close = ATTRIBUTION_MARGIN * profile_scale, CLEARLY_CLOSE * profile_scale
    out: list[dict[str, Any]] = []
    offset = 0
    objects = _objects_near_values(principles, flat, embedder) if measured else None
    near_motives = (
        _motives_near_traded([p["text"] for p in principles], embedder)
        if measured
        else [frozenset[str]()] * len(principles)
    )
    aims = aim_leanings([p["text"] for p in principles], flat, embedder) if measured else None
    broken = acts_broken([p["text"] for p in principles], flat, embedder) if measured else None
    for row, sentences in zip(rows, sentences_per_row, strict=True):
        vecs = sentence_vecs[offset : offset + len(sentences)]
        offset += len(sentences)
        judgements, closeness = [], []
        for n, (principle, p_vec) in enumerate(zip(parsed, principle_vecs, strict=True)):
            sims = vecs @ p_vec
            closeness.append(float(sims.max()) if len(sims) else 0.0)
            judgement = judge_principle(
                principle,
                sentences,
                [float(s) for s in sims],
                profile_scale,
                objects[n] if objects else None,
                near_motives[n],
                aims[n] if aims else None,
            )
            if broken:
                judgement = with_act_broken(
                    judgement, sentences, [float(s) for s in sims], broken[n], CLOSE_TO_BREAK * profile_scale
                )
            if examples[n]:
                to_examples = vecs @ example_vecs[starts[n] : starts[n + 1]].T
                match = closest_example(sentences, examples[n], to_examples.tolist())
                judgement = with_example(judgement, match, example_close)
            whole = vecs.mean(axis=0)  # the text as a whole: one short aside must not decide
            whole = whole / (np.linalg.norm(whole) or 1.0)
            stance = (
                _stance_features(n, phrasings, stance_vecs, vecs, whole, p_vec)
                if stance_vecs is not None and len(sentences)
                else None
            )
            # sentences the word readings already weighed and found no breach in: neither fallback
            # overrules them ("so the crew can rest", a cut whose object was measured)
            settled = [_read_by_words(s, aims[n] if aims else {}) for s in sentences]
            if record is not None:
                record.append(
                    {
                        "id": row["id"],
                        "principle": ids[n],
                        "judgement": dict(judgement),
                        "vector": [float(x) for x in whole],
                        "stance": stance,
                        "settled": settled,
                    }
                )
            # The last resorts: what no reading nor example decided, read by meaning.
            if given_up_vecs is not None and meaning:
                judgement = with_meaning(
                    judgement,
                    sentences,
                    [float(s) for s in sims],
                    [float(s) for s in vecs @ given_up_vecs[n]],
                    (float(whole @ p_vec), float(whole @ given_up_vecs[n])),
                    settled,
                )
            if (
                stance is not None
                and isinstance(stance_model, StanceModel)
                and judgement.get("verdict") == "unrelated"  # the only verdict the layer may change
                and not settled[stance[1]]
            ):
                features, best = stance
                judgement = with_learned_stance(
                    judgement,
                    sentences,
                    best,
                    features[0],
                    stance_model.probability([float(x) for x in whole], features),
                    value_phrase(principle.text),
                    stance_model,
                )
            judgements.append(judgement)
        attributed = attribute_contradictions(judgements, closeness, ids, margin, clearly_close)
        for principle_id, judgement in zip(ids, attributed, strict=True):
            out.append({"id": row["id"], "principle": principle_id, **judgement})
    return out


def _stance_features(
    n: int,
    phrasings: Sequence[tuple[list[str], list[str]]],
    stance_vecs: np.ndarray,
    vecs: np.ndarray,
    whole: np.ndarray,
    p_vec: np.ndarray,
) -> tuple[list[float], int]:
    """The learned stance layer's features for one text (sentence vectors `vecs`, mean vector
    `whole`) and principle n (vector `p_vec`, phrasings at their place in `stance_vecs`)."""
    start = sum(len(g) + len(k) for g, k in phrasings[:n])
    given, kept = phrasings[n]
    given_vecs = stance_vecs[start : start + len(given)]
    kept_vecs = stance_vecs[start + len(given) : start + len(given) + len(kept)]
    generic = stance_vecs[len(stance_vecs) - len(GENERIC_GIVE_UP) - len(GENERIC_KEEP) :]
    give_generic, keep_generic = generic[: len(GENERIC_GIVE_UP)], generic[len(GENERIC_GIVE_UP) :]
    to_generic = [
        (float(g), float(k))
        for g, k in zip(
            (vecs @ give_generic.T).mean(axis=1), (vecs @ keep_generic.T).mean(axis=1), strict=True
        )
    ]
    return stance_features(
        [float(x) for x in vecs @ p_vec],
        (vecs @ given_vecs.T).tolist(),
        (vecs @ kept_vecs.T).tolist(),
        to_generic,
        (float(whole @ p_vec), float((given_vecs @ whole).mean()), float((kept_vecs @ whole).mean())),
    )


COMPONENT_LAYER_FILE = "component_meaning.json"


def shipped_component_layer(embedder: Embedder) -> ComponentLayer | None:
    """The learned component layer shipped in data/component_meaning.json, or None for an embedder
    whose model it was not fitted on, or when the file is missing or unreadable (the rules alone)."""
    layer = _component_layer()
    return layer if layer is not None and embedder.model_id.startswith(layer.model) else None


@functools.lru_cache(maxsize=1)
def _component_layer() -> ComponentLayer | None:
    path = resources.files("hoshin.data").joinpath(COMPONENT_LAYER_FILE)
    return load_component_layer(path.read_text("utf-8")) if path.is_file() else None


def load_component_layer(raw: str) -> ComponentLayer | None:
    """The layer from its JSON text; None (and a warning) when it is malformed: the analysis then runs
    on its rules, as before the layer existed, rather than failing every statement."""
    try:
        return ComponentLayer.from_dict(json.loads(raw))
    except (ValueError, InputError) as exc:
        _log.warning("component layer ignored, its weights file is unreadable: %s", exc)
        return None


STANCE_FILE = "principle_stance.json"


def shipped_stance_model(embedder: Embedder) -> StanceModel | None:
    """The learned stance layer shipped in data/principle_stance.json, or None for an embedder whose
    model it was not fitted on (its weights read that model's vectors only)."""
    model = _stance_model()
    return model if model is not None and embedder.model_id.startswith(model.model) else None


@functools.lru_cache(maxsize=1)
def _stance_model() -> StanceModel | None:
    path = resources.files("hoshin.data").joinpath(STANCE_FILE)
    if not path.is_file():
        return None
    try:
        return StanceModel.from_dict(json.loads(path.read_text("utf-8")))
    except (ValueError, InputError) as exc:  # JSONDecodeError is a ValueError
        # Damaged data means a check without the learned layer (the word readings still run), as
        # damaged part-of data means fewer entries: never a failed check.
        _log.warning(
            "%s is unreadable, principles are checked without the learned layer: %s", STANCE_FILE, exc
        )
        return None


def _read_by_words(sentence: str, leanings: Mapping[tuple[str, str], str]) -> bool:
    """True when the word readings already weighed what the sentence does and found no breach, so
    the reading by meaning must not overrule them: it names an aim that leans to the value ("so the
    crew can rest"), or it cuts or drops something, whose object the readings measured against the
    value ("Cut the electricity used to build one fridge by 30%" against "Every watt counts")."""
    aims = [clause for kind, clause in aim_clauses(sentence) if kind == AIM]
    cared = any(leanings.get((AIM, clause)) == "care" for clause in aims)
    return cared or bool(given_up_objects(sentence))


# Parsed principles, by model and principle texts: every idea the app stores is checked against the
# same few principles, and reading them again (their value phrases, the concept prototypes, a vector
# lookup each) cost about 10 ms of each submission.
_PARSED: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
_PARSED_AT_MOST = 64
_parsed_guard = threading.Lock()


def _parse_principles(texts: Sequence[str], embedder: Embedder | None) -> list[Any]:
    """Each principle read, its value placed among the known concepts by meaning when `embedder` is
    given (a model whose similarities were measured); by its words alone otherwise."""
    if embedder is None or not texts:
        return [parse_principle(text) for text in texts]
    key = (embedder.model_id, tuple(texts))
    with _parsed_guard:
        kept = _PARSED.get(key)
    if kept is not None:
        return kept
    parsed = _parse_by_meaning(texts, embedder)
    with _parsed_guard:
        if len(_PARSED) >= _PARSED_AT_MOST:
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


def _parse_by_meaning(texts: Sequence[str], embedder: Embedder) -> list[Any]:
    names = list(CONCEPT_PROTOTYPES)
    values = [value_phrase(text) for text in texts]
    vectors = embedder.embed([CONCEPT_PROTOTYPES[n] for n in names] + values)
    concept_vecs, value_vecs = vectors[: len(names)], vectors[len(names) :]
    out = []
    for text, vec in zip(texts, value_vecs, strict=True):
        sims = {name: float(s) for name, s in zip(names, concept_vecs @ vec, strict=True)}
        out.append(parse_principle(text, concepts_by_meaning(sims)))
    return out


# A phrase a sentence cuts counts as something the principle protects from this cosine to the
# principle's value phrase on (MiniLM; measured on eval/principles_*.jsonl: cut objects such as "the
# edge protection" or "the fact-check" sit at 0.3-0.55 from their values, unrelated ones below 0.3).
_OBJECT_CLOSE = 0.3


def _objects_near_values(
    principles: Sequence[dict[str, Any]], sentences: Sequence[str], embedder: Embedder
) -> list[dict[str, bool]]:
    """Per principle, for every phrase the sentences cut or drop: is it close to what it protects?"""
    phrases = list(dict.fromkeys(p for s in sentences for p in given_up_objects(s)))
    if not phrases:
        return [{} for _ in principles]
    values = [value_phrase(p["text"]) for p in principles]
    vectors = embedder.embed(values + phrases)
    value_vecs, phrase_vecs = vectors[: len(values)], vectors[len(values) :]
    sims = value_vecs @ phrase_vecs.T
    return [
        {phrase: bool(sim >= _OBJECT_CLOSE) for phrase, sim in zip(phrases, row, strict=True)} for row in sims
    ]


# Per model and principle texts: which motive phrases mean what each principle ranks lower.
_NEAR_MOTIVES: dict[tuple[str, tuple[str, ...]], list[frozenset[str]]] = {}


def _motives_near_traded(texts: Sequence[str], embedder: Embedder) -> list[frozenset[str]]:
    """Per principle, the motive phrases (principle_reach.MOTIVE_PHRASES) close in meaning to a word it
    ranks lower, or to all of them ("easier" to "convenience"); none where it ranks nothing lower."""
    key = (embedder.model_id, tuple(texts))
    with _parsed_guard:
        kept = _NEAR_MOTIVES.get(key)
    if kept is not None:
        return kept
    motives = sorted(MOTIVE_PHRASES)
    traded = [traded_phrase(text) for text in texts]
    words = [
        [traded[n]] + [t.text for t in tokens(traded[n]) if t.lower not in STOPWORDS]
        for n in range(len(texts))
    ]
    flat = [w for ws in words for w in ws if w]
    vectors = embedder.embed(motives + flat)
    motive_vecs, word_vecs = vectors[: len(motives)], vectors[len(motives) :]
    out, at = [], 0
    for ws in words:
        count = len([w for w in ws if w])
        if not count:
            out.append(frozenset[str]())
            continue
        best = (motive_vecs @ word_vecs[at : at + count].T).max(axis=1)
        at += count
        out.append(frozenset(m for m, sim in zip(motives, best, strict=True) if sim >= MOTIVE_NEAR))
    with _parsed_guard:
        if len(_NEAR_MOTIVES) >= _PARSED_AT_MOST:
            _NEAR_MOTIVES.clear()
        _NEAR_MOTIVES[key] = out
    return out
