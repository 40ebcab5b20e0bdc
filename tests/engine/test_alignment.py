"""Scoring and calibration, on the fast hashing embedder (it matches words, which is all these
tests need: they check the arithmetic and the reasons, not the model's sense of meaning)."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.alignment import EngineParams, MissionVectors, align
from hoshin.domain.calibration import Thresholds, hubness, score_from_z, zscore_against
from hoshin.domain.mission import build_mission_model, extract_themes
from hoshin.domain.verdict import Tier
from hoshin.embedding import HashingEmbedder
from hoshin.service.alignment import Aligner

BACKGROUND = [
    "Baking bread for local cafes",
    "Repairing bicycle gears",
    "Selling used cars",
    "Teaching piano to children",
    "Accounting services for small firms",
    "Growing tomatoes in greenhouses",
    "Printing wedding invitations",
    "Cleaning office buildings at night",
    "Brewing craft beer",
    "Designing websites for hotels",
    "Insurance for delivery vans",
    "Cutting hair in a salon",
    "Mining gravel for roads",
    "Catering for weddings",
    "Translating legal contracts",
    "Building garden sheds",
    "Running a summer camp",
    "Selling garden furniture",
]


@pytest.fixture()
def aligner() -> Aligner:
    return Aligner(HashingEmbedder(), thresholds=Thresholds(core=3.0, adjacent=1.5), background=BACKGROUND)


def test_zscore_of_the_null_itself_has_mean_zero_and_unit_spread() -> None:
    null = np.random.default_rng(1).normal(3.0, 2.0, 500)
    z = zscore_against(null, null)
    assert abs(z.mean()) < 1e-6 and abs(z.std() - 1.0) < 1e-6


def test_score_map_places_thresholds_at_04_and_07() -> None:
    t = Thresholds(core=3.0, adjacent=1.5)
    assert score_from_z(1.5, t) == pytest.approx(0.4)
    assert score_from_z(3.0, t) == pytest.approx(0.7)
    assert score_from_z(-5, t) < score_from_z(0, t) < score_from_z(6, t) < 1.0


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="must be above"):
        Thresholds(core=1.0, adjacent=2.0)


def test_hubness_is_mean_of_nearest_background() -> None:
    background = np.eye(4, dtype=np.float32)
    vector = np.array([[0.6, 0.8, 0.0, 0.0]], dtype=np.float32)
    assert hubness(vector, background, k=2)[0] == pytest.approx(0.7)


def test_on_topic_text_outranks_unrelated_text(aligner: Aligner) -> None:
    model = aligner.mission_model("We build reliable refrigerators and freezers")
    verdicts = aligner.score(model, ["reliable refrigerators with freezers", "piano lessons for children"])
    assert verdicts[0].score > verdicts[1].score
    assert verdicts[0].tier is Tier.CORE and verdicts[1].tier is Tier.OFF


def test_why_names_theme_and_shared_words(aligner: Aligner) -> None:
    model = aligner.mission_model("We build reliable refrigerators")
    verdict = aligner.score(model, ["refrigerators that stay reliable"])[0]
    assert verdict.theme in verdict.why
    assert "'refrigerators'" in verdict.why


def test_exclusion_turns_a_matching_text_off_and_says_so(aligner: Aligner) -> None:
    model = aligner.mission_model("Kitchen appliances for families", exclusions=["television sets"])
    verdict = aligner.score(model, ["television sets for families"])[0]
    assert verdict.tier is Tier.OFF
    assert "exclusion 'television sets'" in verdict.why


def test_focus_area_pulls_matching_texts_up(aligner: Aligner) -> None:
    plain = aligner.mission_model("We build reliable refrigerators")
    focused = aligner.mission_model("We build reliable refrigerators", focus_areas=["door gasket rubber"])
    text = ["door gasket rubber compound"]
    assert aligner.score(focused, text)[0].score > aligner.score(plain, text)[0].score


def test_scores_are_independent_of_input_order_for_small_batches(aligner: Aligner) -> None:
    model = aligner.mission_model("We build reliable refrigerators")
    texts = ["refrigerator shelves", "piano lessons", "freezer doors"]
    forward = aligner.score(model, texts)
    backward = aligner.score(model, texts[::-1])[::-1]
    assert [v.score for v in forward] == pytest.approx([v.score for v in backward])


def test_empty_batch_gives_no_verdicts(aligner: Aligner) -> None:
    assert aligner.score(aligner.mission_model("Anything at all"), []) == []


def test_align_without_background_never_divides_by_zero() -> None:
    vectors = HashingEmbedder().embed(["a b c", "d e f"])
    mission = MissionVectors(("mission",), ("a b",), vectors[:1], np.zeros(1, np.float32), (), vectors[:0])
    result = align(vectors, mission, vectors[:0], EngineParams())
    assert np.all(np.isfinite(result.z))


def test_themes_are_extracted_by_role() -> None:
    themes = extract_themes(
        "We serve families across Europe with reliable, energy-saving refrigerators, "
        "built by skilled people who care for the planet."
    )
    kinds = {t.name: t.kind for t in themes}
    assert kinds["families across Europe"] == "whom"
    assert kinds["reliable, energy-saving refrigerators"] == "what"
    assert kinds["skilled people"] == "how"
    assert kinds["care for the planet"] == "principle"


@pytest.mark.parametrize(
    "text", ["Innovation", "  \n\n- bullet one\n- bullet two", "«Qualité» — toujours!", "🙂 ok"]
)
def test_theme_extraction_survives_odd_shapes(text: str) -> None:
    model = build_mission_model(text)
    assert model.themes, "a non-empty mission always has at least one theme"


def test_background_hubness_passed_in_gives_the_same_scores(aligner: Aligner) -> None:
    model = aligner.mission_model("We build reliable refrigerators")
    texts = ["refrigerator shelves", "piano lessons", "freezer doors"]
    cached = aligner.score_batch(model, texts).result.z
    vectors = aligner.embed_scored(texts)  # the vectors as the engine scores them (int8-rounded)
    fresh = align(vectors, aligner.prepare(model), aligner.background, aligner.params).z
    assert cached == pytest.approx(fresh)


def _unit_rows(rng: np.random.Generator, n: int, d: int = 24) -> np.ndarray:
    rows = rng.normal(size=(n, d))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _mission(rng: np.random.Generator, rows: int, exclusions: int) -> MissionVectors:
    return MissionVectors(
        names=tuple(f"t{i}" for i in range(rows)),
        texts=tuple(f"t{i}" for i in range(rows)),
        vectors=_unit_rows(rng, rows),
        penalties=np.array([0.0] + [0.5] * (rows - 1)),
        exclusion_names=tuple(f"x{i}" for i in range(exclusions)),
        exclusion_vectors=_unit_rows(rng, exclusions) if exclusions else np.zeros((0, 24)),
    )


def _same(a: object, b: object) -> None:
    for name in ("z", "best", "best_z", "exclusion_z", "exclusion"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def test_scoring_with_a_kept_background_gives_the_same_bits_as_working_it_out() -> None:
    # Arrivals pass the background's hubness in, and the background's side of the calibration is
    # kept between calls: one text scored alone, again and again, must get exactly what a
    # calculation from scratch gives, whatever mission comes next.
    rng = np.random.default_rng(7)
    background = _unit_rows(rng, 300)
    bg_hub = hubness(background, background, 10, exclude_self=True)
    for mission in (_mission(rng, 6, 2), _mission(rng, 4, 0), _mission(rng, 6, 2)):
        batch = _unit_rows(rng, 30)
        fresh = align(batch, mission, background)  # nothing kept: the background worked out here
        kept = align(batch, mission, background, background_hub=bg_hub)
        _same(kept, fresh)
        for row in range(3):  # one text at a time with the batch's centre, as arrivals are scored
            alone = align(
                batch[row : row + 1], mission, background, background_hub=bg_hub, centre=kept.centre
            )
            again = align(batch[row : row + 1], mission, background, centre=fresh.centre)
            _same(alone, again)
