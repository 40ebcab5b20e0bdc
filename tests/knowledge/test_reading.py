"""How the knowledge ranking reads a mission: sentence by sentence beside the whole, and the pull
of the best areas on their neighbours (pure arithmetic, no embedding)."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.knowledge_reading import best_centre, mission_parts, with_parts


def test_a_role_description_splits_into_its_title_and_one_part_per_sentence() -> None:
    text = "Lieutenant: Lieutenants command troops. They also perform administrative duties."
    assert mission_parts(text) == [
        "Lieutenant",
        "Lieutenants command troops.",
        "They also perform administrative duties.",
    ]


def test_a_long_lead_in_before_a_colon_is_not_taken_for_a_title() -> None:
    text = "What we do every day for our customers across the region: we repair boilers."
    assert mission_parts(text) == [text]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "Lieutenant:", ":"])
def test_empty_or_bare_titles_give_no_empty_parts(text: str) -> None:
    assert all(part.strip() for part in mission_parts(text))


def test_one_sentence_a_duty_names_lifts_an_area_the_whole_statement_dilutes() -> None:
    whole = np.array([1.0, 1.2])
    # One row per area: area 0 is what the second sentence asks for; area 1 is lukewarm throughout.
    parts = np.array([[0.5, 4.0], [1.2, 1.2]])
    blended = with_parts(whole, parts)
    assert blended[0] > blended[1]
    assert whole[0] < whole[1]


def test_an_area_every_sentence_needs_outranks_one_a_single_sentence_needs() -> None:
    parts = np.array([[3.0, 0.0, 0.0], [3.0, 3.0, 3.0]])
    soft = with_parts(np.zeros(2), parts)
    assert soft[0] < soft[1]


def test_fewer_than_two_parts_leave_the_whole_statement_as_it_was() -> None:
    whole = np.array([0.3, -1.0])
    assert with_parts(whole, np.zeros((2, 0))).tolist() == whole.tolist()
    assert with_parts(whole, np.array([[5.0], [-5.0]])).tolist() == whole.tolist()


def test_the_centre_leans_towards_the_best_area_and_is_a_unit_vector() -> None:
    vectors = np.eye(4)
    centre = best_centre(vectors, np.array([3.0, 2.0, 1.0, -5.0]), top=3)
    assert centre is not None
    assert np.isclose(np.linalg.norm(centre), 1.0)
    assert centre[0] > centre[1] > centre[2] > 0.0
    assert centre[3] == 0.0  # outside the best three


def test_no_areas_or_vectors_that_cancel_give_no_centre() -> None:
    assert best_centre(np.zeros((0, 4)), np.zeros(0)) is None
    assert best_centre(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([0.0, 0.0])) is None
