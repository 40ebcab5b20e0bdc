"""The twin score's pure parts: shared words by root, the rests, candidate pairs, groups, reasons."""

from __future__ import annotations

import numpy as np

from hoshin.domain.twin_frame import FRAME_FROM, frame_penalty, frame_share
from hoshin.domain.twins import (
    candidate_pairs,
    close_words,
    difference,
    linked_groups,
    same_root,
    twin_reason,
    twin_score,
)


def test_words_of_one_root_are_shared_and_the_rests_are_the_own_content_words() -> None:
    assert same_root("compressors", "compressed") and same_root("invoice", "invoices")
    assert not same_root("pay", "payment") and not same_root("cabinet", "case")
    diff = difference(
        "Use recycled steel for the outer cabinet", "Build the fridge case from recycled sheet metal"
    )
    assert diff.shared == ("recycled",) and diff.comparable
    assert diff.rest_a == "steel outer cabinet"
    assert diff.rest_b == "build fridge case sheet metal"


def test_without_shared_words_or_with_one_text_inside_the_other_the_cosine_decides() -> None:
    assert not difference("Solar panels on the roof", "Photovoltaic modules on top").comparable
    assert not difference("Solar panels on the roof", "Solar panels on the roof of the hall").comparable
    assert twin_score(0.7, None) == 0.7
    assert twin_score(0.8, 0.2) < 0.8 and twin_score(0.5, 0.5) == 0.5


def test_close_words_pair_each_word_once_closest_first() -> None:
    vectors = {
        w: np.array(v, dtype=np.float32)
        for w, v in {"steel": [1, 0], "metal": [0.9, 0.436], "sheet": [0.7, 0.714]}.items()
    }
    assert close_words(["steel"], ["sheet", "metal"], vectors) == [("steel", "metal")]
    assert close_words(["steel"], ["sheet"], vectors, floor=0.8) == []


def test_reasons_name_shared_and_close_words_and_how_the_rest_compares() -> None:
    diff = difference(
        "Let customers pay invoices by card online", "Let customers download their invoices online"
    )
    reason = twin_reason(diff, [], 0.16, twin=False)
    assert reason.startswith("shares 'customers', 'invoices', 'online'")
    assert "the rest differs ('pay', 'card' / 'download': 0.16)" in reason
    apart = difference("Start a school choir", "Renovate the laboratories")
    assert twin_reason(apart, [], None, twin=False) == "no shared words; not close enough"


def test_candidate_pairs_keep_few_partners_per_row_and_groups_are_transitive() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(3, 16))
    vectors = np.concatenate([base + 0.05 * rng.normal(size=(3, 16)) for _ in range(4)])  # 4 copies each
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = list(candidate_pairs(vectors, 0.9, per_row=1, chunk=5))
    assert all(i < j for i, j, _ in pairs) and len(pairs) <= len(vectors)
    assert all(i % 3 == j % 3 for i, j, _ in pairs)
    ids = [f"I-{n}" for n in range(6)]
    assert linked_groups(ids, [(4, 1), (1, 0), (2, 5)]) == [["I-0", "I-1", "I-4"], ["I-2", "I-5"]]


def test_one_sentence_with_its_object_swapped_shares_a_frame_and_a_rewording_does_not() -> None:
    steel = "Use recycled steel for the outer cabinet"
    swapped = "Use recycled plastic for the door shelves"
    reworded = "Build the fridge case from recycled sheet metal"
    assert frame_share(steel, steel) == 1.0
    assert frame_share(steel, swapped) > 0.5 > FRAME_FROM > frame_share(steel, reworded)
    # Texts without words (bad input reaching the score) share no frame rather than failing.
    assert frame_share("", steel) == 0.0 and frame_share("42 / 7", "") == 0.0


def test_the_frame_costs_a_pair_only_above_its_floor_and_the_less_the_closer_the_sentences() -> None:
    assert frame_penalty(FRAME_FROM, 0.3) == 0.0  # a frame at the floor is no evidence yet
    assert frame_penalty(0.8, 1.0) == 0.0  # one sentence said twice: nothing swapped
    assert frame_penalty(0.8, 0.5) > frame_penalty(0.6, 0.5) > frame_penalty(0.6, 0.9) > 0.0
    # The penalty applies to pairs with rests to compare; a pair without keeps its cosine.
    assert twin_score(0.6, 0.3, frame=0.6) < twin_score(0.6, 0.3) and twin_score(0.6, None, frame=0.9) == 0.6


def test_a_reason_says_when_two_ideas_are_one_wording_around_other_words() -> None:
    diff = difference("Use recycled steel for the outer cabinet", "Use recycled plastic for the door shelves")
    reason = twin_reason(diff, [], 0.32, twin=False, frame=0.57)
    assert reason.endswith("the same wording around other words (0.57 of the words in order)")
    assert "same wording" not in twin_reason(diff, [], 0.32, twin=False, frame=0.2)
