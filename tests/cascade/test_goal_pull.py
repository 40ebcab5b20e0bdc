"""Which way a goal pulls on what, and the rival pairs of goals that pull opposite ways."""

from __future__ import annotations

import numpy as np
import pytest

from hoshin.domain.cascade_checks import CheckLimits
from hoshin.domain.goal_pull import opposed_subjects, pulls
from hoshin.service.cascade_rivals import RIVALS_PER_GOAL, rival_pairs


def _ways(text: str) -> set[tuple[str, str]]:
    return {(p.way, s) for p in pulls(text) for s in p.shown}


def _goal(id_: str, text: str, level: int, parent: str, unit: str) -> dict[str, str]:
    return {"id": id_, "text": text, "level": str(level), "parent_id": parent, "unit": unit}


def _checked(mission: str, rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """(goal id, issue kind) -> the issue's detail, as `cascade check` reports the rows with MiniLM."""
    from hoshin.embedding import create_embedder
    from hoshin.service.alignment import Aligner
    from hoshin.service.cascade import check_goals

    result = check_goals(Aligner(create_embedder("minilm")), mission, rows)
    return {(row["id"], i["kind"]): i["detail"] for row in result[:-1] for i in row["issues"]}


def test_a_direction_word_acts_on_the_thing_after_it() -> None:
    assert ("down", "nurses") in _ways("Cut spending on agency nurses by 25%")  # the spending measures nurses
    assert ("up", "nurses") in _ways("Bring in more agency nurses so every shift is staffed")
    assert ("down", "review") in _ways("Discharge patients faster by dropping the second senior review")


def test_a_direction_word_that_ends_its_clause_acts_on_the_words_before_it() -> None:
    assert ("up", "branch") in _ways("Keep every neighbourhood branch open and add a reading room")


def test_scope_after_the_object_is_not_its_subject() -> None:
    # Cutting the fee per member does not pull against having more members.
    cut_fee, grow = pulls("Cut the fee per member by 10%"), pulls("Grow members in the north")
    assert opposed_subjects(cut_fee, grow) is None


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("Cut spending on agency nurses by 25%", "Bring in more agency nurses at night", ("cut", "more")),
        ("Close the two smallest shops to save rent", "Keep every shop open on Sundays", ("close", "open")),
        ("Buy all paint centrally", "Let each depot choose its own paint", ("centrally", "own")),
    ],
)
def test_opposite_ways_on_one_subject_are_opposed(a: str, b: str, expected: tuple[str, str]) -> None:
    found = opposed_subjects(pulls(a), pulls(b))
    assert found is not None and found[:2] == expected


@pytest.mark.parametrize(
    "a, b",
    [
        ("Cut yearly customer churn to 3%", "Raise the yearly renewal rate to 97%"),  # one intent
        ("Halve patient falls", "Reduce patient falls at night"),  # same way
        ("Sell more fridges in Central Europe", "Test every fridge in our own laboratory"),  # no control axis
        ("Cut the energy use of the offices", "Grow research on renewable energy"),  # energy is no subject
    ],
)
def test_compatible_goals_are_not_opposed(a: str, b: str) -> None:
    assert opposed_subjects(pulls(a), pulls(b)) is None


@pytest.mark.parametrize("text", ["", "2027", "Cut", "Raise the"])
def test_goals_without_a_subject_pull_on_nothing(text: str) -> None:
    assert opposed_subjects(pulls(text), pulls("Cut spending on agency nurses")) is None


def _blocks(sim: np.ndarray):  # noqa: ANN202
    return lambda rows, cols: sim[np.ix_(rows, cols)]


def test_rivals_need_closeness_and_no_ancestry() -> None:
    texts = ["Cut spending on agency nurses", "Bring in more agency nurses", "Hire more agency nurses"]
    sim = np.array([[1.0, 0.6, 0.2], [0.6, 1.0, 0.8], [0.2, 0.8, 1.0]], dtype=np.float32)
    found = rival_pairs(texts, _blocks(sim), [set(), set(), set()], CheckLimits(conflict_cosine=0.35))
    assert [(r.first, r.second, r.first_word, r.second_word) for r in found] == [(0, 1, "cut", "more")]
    assert rival_pairs(texts, _blocks(sim), [set(), {0}, set()], CheckLimits()) == []


def test_each_goal_keeps_only_its_closest_rivals() -> None:
    texts = ["Cut spending on agency nurses"]
    texts += [f"Bring in more agency nurses in ward {n}" for n in range(10)]
    sim = np.full((11, 11), 0.5, dtype=np.float32)
    np.fill_diagonal(sim, 1.0)
    found = rival_pairs(texts, _blocks(sim), [set()] * 11, CheckLimits())
    # Each of the ten keeps the cutting goal; the cutting goal's own list is capped, but the
    # pair is found from either side.
    assert {(r.first, r.second) for r in found} == {(0, n) for n in range(1, 11)}
    assert RIVALS_PER_GOAL < 10


@pytest.mark.model
def test_check_reports_a_rivalry_with_its_words_and_not_as_a_duplicate() -> None:
    rows = [
        _goal("B1", "Keep the clinic safe and affordable", 1, "", "Board"),
        _goal("F1", "Cut spending on agency nurses by 25%", 2, "B1", "Finance"),
        _goal("N1", "Bring in more agency nurses so every night shift is fully staffed", 2, "B1", "Nursing"),
        _goal("N2", "Discharge patients faster by dropping the second senior review", 2, "B1", "Nursing"),
        _goal("Q1", "Require a second senior review before every discharge", 2, "B1", "Quality"),
    ]
    issues = _checked("Safe care for our town.", rows)
    assert "N1" in issues[("F1", "conflict")] and "'cut'" in issues[("F1", "conflict")]
    assert "'nurses'" in issues[("N1", "conflict")]
    assert "Q1" in issues[("N2", "conflict")] and "'dropping'" in issues[("N2", "conflict")]
    # The two discharge goals read alike (cosine above the duplicate cut-off) but pull apart.
    assert ("N2", "duplicate") not in issues and ("Q1", "duplicate") not in issues


# ------------------------------------------------------------------ readings beyond direction words
@pytest.mark.parametrize(
    "a, b, expected",
    [
        # One quantity in other words: no word in common.
        (
            "Raise ticket prices by 8% to close the funding gap",
            "Cut fares on all local lines by 10%",
            ("raise", "cut"),
        ),
        # An opening count wants more of what it counts.
        (
            "Stop drilling new wells until every pump is repaired",
            "Drill 150 new wells this year",
            ("stop", "drill 150"),
        ),
        # Keeping every one of a thing against ending it.
        (
            "Answer every live support chat within two minutes",
            "Replace live support chat with a chatbot",
            ("answer every", "replace"),
        ),
        # Buying against frozen purchases.
        (
            "Freeze all truck purchases for two years",
            "Replace 40 diesel trucks with electric ones",
            ("freeze", "replace"),
        ),
        # Head office against local choice, "purchasing" and "buy" as one subject.
        (
            "Run all purchasing from the head office",
            "Let country teams buy spare parts locally",
            ("office", "locally"),
        ),
        # Phrasal verbs: the way is in the particle.
        (
            "Put up the price of a check-up by 15%",
            "Bring the typical fare down by a fifth",
            ("put up", "bring down"),
        ),
        # A wait before each release longer than the cycle between releases.
        (
            "Ship a new release every week",
            "Hold every release for a two-week security review",
            ("every week", "two-week"),
        ),
        # A cycle counted in units ("every two weeks") acts on the release, not on the weeks.
        (
            "Ship a release every two weeks",
            "Hold every release for a three-week security review",
            ("every two weeks", "three-week"),
        ),
        # "Buy" and "purchase" spend as "replace" does, when they are the goal's verb.
        ("Freeze all truck purchases", "Buy 40 new electric trucks", ("freeze", "buy")),
        (
            "Freeze all laptop purchases",
            "We will purchase new laptops for every teacher",
            ("freeze", "purchase"),
        ),
    ],
)
def test_conflicts_read_beyond_direction_words(a: str, b: str, expected: tuple[str, str]) -> None:
    found = opposed_subjects(pulls(a), pulls(b))
    assert found is not None and found[:2] == expected


def test_a_subject_matched_by_meaning_is_shown_in_each_goals_words() -> None:
    found = opposed_subjects(pulls("Raise ticket prices by 8%"), pulls("Cut fares on all local lines by 10%"))
    assert found is not None and found[2:] == (("prices",), ("fares",))


@pytest.mark.parametrize(
    "a, b",
    [
        ("Cut fares on all local lines by 10%", "Lower ticket prices for students"),  # same direction
        (
            "Cut fuel burn per flight by 5%",
            "Lower the share of flights that leave late",
        ),  # same way, other things
        (
            "Answer every live support chat within two minutes",
            "Cut the cost of each support chat",
        ),  # trims, ends nothing
        (
            "Ship a new release every month",
            "Hold every release for a two-week security review",
        ),  # the wait fits
        (
            "Roll back a bad release within five minutes",
            "Hold every release for a two-week review",
        ),  # a deadline, no cycle
        (
            "Pilot online check-in at two airports",
            "Extend online check-in to every airport",
        ),  # one step, then the next
        ("Bring the typical fare down by a fifth", "Keep ticket prices down for students"),  # same way
        ("Check every boiler once a year", "Service the boilers every month"),  # two cycles, no wait
        ("Freeze all truck purchases", "Review truck purchases every quarter"),  # "purchases" names them
        (
            "Get 3,000 customers to sign up to the loyalty scheme",
            "Cut customer churn",
        ),  # "sign up" is no direction
    ],
)
def test_compatible_goals_read_beyond_direction_words_are_not_opposed(a: str, b: str) -> None:
    assert opposed_subjects(pulls(a), pulls(b)) is None


@pytest.mark.parametrize(
    "text", ["150", "Every week", "every", "Hold for a two-week review", "Drill 150", "-- 3 --"]
)
def test_odd_openings_pull_on_nothing(text: str) -> None:
    assert opposed_subjects(pulls(text), pulls("Cut fares and stop every release")) is None


def test_a_rivalry_without_shared_words_names_both_goals_and_their_words() -> None:
    from types import SimpleNamespace

    from hoshin.service.cascade_rivals import add_rivalries

    texts = ["Raise ticket prices by 8% to close the funding gap", "Cut fares on all local lines by 10%"]
    sim = np.array([[1.0, 0.3], [0.3, 1.0]], dtype=np.float32)
    rivals = rival_pairs(texts, _blocks(sim), [set(), set()], CheckLimits())
    assert [(r.first, r.second) for r in rivals] == [(0, 1)]
    goals = [
        SimpleNamespace(id="FI1", text=texts[0], unit="Finance"),
        SimpleNamespace(id="CO1", text=texts[1], unit=""),
    ]
    details: dict[int, str] = {}
    add_rivalries(goals, rivals, set(), lambda n, found: details.setdefault(n, found[0]["detail"]))
    assert "CO1" in details[0] and "'prices', which it calls 'fares'" in details[0]
    assert "'raise'" in details[0] and "'cut'" in details[0] and texts[1] in details[0]
    assert "FI1 (Finance)" in details[1] and "'fares', which it calls 'prices'" in details[1]
    # Too far apart in meaning, they are not looked at, whatever the words say.
    far = np.array([[1.0, 0.1], [0.1, 1.0]], dtype=np.float32)
    assert rival_pairs(texts, _blocks(far), [set(), set()], CheckLimits()) == []


@pytest.mark.model
def test_check_finds_a_conflict_without_shared_words_and_leaves_same_direction_goals_alone() -> None:
    rows = [
        _goal("B1", "Keep the railway running and paid for", 1, "", "Board"),
        _goal("FI1", "Raise ticket prices by 8% to close the funding gap", 2, "B1", "Finance"),
        _goal("CO1", "Cut fares on all local lines by 10%", 2, "B1", "Commercial"),
        _goal("EN1", "Cut diesel use by a quarter", 2, "B1", "Energy"),
        _goal("DE1", "Lower the share of trains that leave late to 5%", 2, "B1", "Depots"),
    ]
    issues = _checked("Trains people can afford.", rows)
    detail = issues[("FI1", "conflict")]
    assert "CO1" in detail and "'raise'" in detail and "'cut'" in detail and "'fares'" in detail
    assert "FI1" in issues[("CO1", "conflict")]
    # Two goals that both cut, each its own thing, are no conflict.
    assert ("EN1", "conflict") not in issues and ("DE1", "conflict") not in issues


@pytest.mark.parametrize("text", ["Visit 3 times a year", "Answer each day", "Test 20 percent of batches"])
def test_an_opening_count_of_how_often_wants_no_more_of_a_thing(text: str) -> None:
    assert not [p for p in pulls(text) if p.way == "up"]
