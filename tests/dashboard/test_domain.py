"""The pure dashboard arithmetic: scores, trend, heatmap, corridor, uncovered themes, single holders."""

from __future__ import annotations

from hoshin.domain.dashboard import (
    Scored,
    alignment,
    corridor_by_month,
    heatmap,
    knowledge_by_unit_theme,
    single_points_of_failure,
    trend,
    uncovered_themes,
    unit_scores,
)


def _item(
    kind: str, unit: str | None, score: float, tier: str, theme: str | None, month: str | None = None
) -> Scored:
    return Scored(kind, f"{kind}-{unit}-{score}", unit, score, tier, theme, month)


def test_alignment_is_the_mean_and_none_without_items() -> None:
    assert alignment([]) is None
    assert alignment([_item("goal", "U", 0.2, "off", None), _item("idea", "U", 0.6, "core", "a")]) == 0.4


def test_trend_is_last_month_minus_the_month_before_and_ignores_undated() -> None:
    items = [
        _item("idea", "U", 0.2, "off", None, "2026-01"),
        _item("idea", "U", 0.4, "core", "a", "2026-01"),
        _item("idea", "U", 0.9, "core", "a", "2026-03"),
        _item("goal", "U", 0.0, "off", None, None),
    ]
    series, delta = trend(items)
    assert series == (("2026-01", 0.3), ("2026-03", 0.9))
    assert delta == 0.6
    assert trend(items[:2]) == ((("2026-01", 0.3),), None)  # one month: no trend to show


def test_unit_scores_keep_unit_order_and_give_none_to_units_without_items() -> None:
    items = [_item("goal", "B", 0.5, "core", "a"), _item("goal", "B", 0.7, "core", "a")]
    a, b = unit_scores(items, ["A", "B"])
    assert (a.unit_id, a.score, a.items) == ("A", None, 0)
    assert (b.unit_id, b.score, b.items) == ("B", 0.6, 2)


def test_heatmap_counts_on_mission_items_per_unit_and_theme() -> None:
    items = [
        _item("goal", "A", 0.9, "core", "cooling"),
        _item("goal", "A", 0.5, "adjacent", "cooling"),
        _item("idea", "A", 0.8, "core", "seals"),
        _item("goal", "A", 0.1, "off", "cooling"),  # off serves no theme
        _item("idea", "Z", 0.9, "core", "cooling"),  # unit not shown
        _item("idea", "B", 0.9, "core", "unknown theme"),
    ]
    cells = heatmap(items, ["A", "B"], ["cooling", "seals"], {("B", "seals"): 3, ("Q", "seals"): 9})
    assert cells[0][0] == {"goals": 2, "ideas": 0, "knowledge": 0}
    assert cells[0][1] == {"goals": 0, "ideas": 1, "knowledge": 0}
    assert cells[1][0] == {"goals": 0, "ideas": 0, "knowledge": 0}
    assert cells[1][1] == {"goals": 0, "ideas": 0, "knowledge": 3}


def test_corridor_by_month_counts_tiers_oldest_first() -> None:
    ideas = [
        _item("idea", "A", 0.9, "core", "a", "2026-02"),
        _item("idea", "A", 0.1, "off", None, "2026-01"),
        _item("idea", "A", 0.5, "adjacent", "a", "2026-02"),
        _item("idea", "A", 0.5, "adjacent", "a", None),
    ]
    assert corridor_by_month(ideas) == [("2026-01", 0, 0, 1), ("2026-02", 1, 1, 0)]


def test_uncovered_themes_are_those_no_on_mission_goal_serves() -> None:
    goals = [_item("goal", "A", 0.9, "core", "cooling"), _item("goal", "A", 0.1, "off", "seals")]
    assert uncovered_themes(goals, ["cooling", "seals", "repair"]) == ["seals", "repair"]


def test_single_points_of_failure_are_areas_held_by_exactly_one_person() -> None:
    skills = [("p1", "K-A"), ("p2", "K-A"), ("p1", "K-B"), ("p3", "K-C"), ("p3", "K-C")]
    assert single_points_of_failure(skills) == {"K-B": "p1", "K-C": "p3"}
    assert single_points_of_failure([]) == {}


def test_knowledge_by_unit_theme_counts_distinct_people() -> None:
    skills = [("p1", "K-A"), ("p1", "K-B"), ("p2", "K-A"), ("p3", "K-A"), ("p4", "K-OFF")]
    units = {"p1": "U1", "p2": "U1", "p3": None, "p4": "U1"}
    themes = {"K-A": "cooling", "K-B": "cooling", "K-OFF": None}
    assert knowledge_by_unit_theme(skills, units, themes) == {("U1", "cooling"): 2}
