"""The board report reads well (issue 24, item 10): no pages of zeros, a key that covers no bar,
and no two series in one colour."""

from __future__ import annotations

import re
from typing import Any

import matplotlib

matplotlib.use("Agg")

from hoshin.features.dashboard import _charts as page_charts  # noqa: E402
from hoshin.service.dashboard import build_dashboard, table  # noqa: E402
from hoshin.service.palette import SERIES_COLOURS  # noqa: E402
from hoshin.service.report import corridor_figure, render_html  # noqa: E402

ORG = "frostline"


def _table_rows(html: str, caption_start: str) -> list[list[str]]:
    found = re.search(rf"<caption>{caption_start}.*?</caption>.*?<tbody>(.*?)</tbody>", html, re.S)
    assert found, caption_start
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", found.group(1))]


def test_the_units_and_themes_table_leaves_out_rows_of_zeros_and_says_how_many(demo: Any) -> None:
    data = build_dashboard(demo, ORG, None)
    html = render_html(data)
    rows = _table_rows(html, "On-mission goals, ideas and people")
    assert rows and all(any(cell != "0" for cell in row[3:]) for row in rows)
    every = table(data, "heatmap")[1]
    left_out = len(every) - len(rows)
    assert left_out > len(rows)  # the demo's table was mostly zeros
    assert f"{left_out} unit and theme pairs with no on-mission goals" in html
    assert len(every) == len(data["heatmap"]["rows"]) * len(data["heatmap"]["themes"])  # CSV: all


def test_a_section_without_data_says_so_in_a_sentence(demo: Any) -> None:
    data = build_dashboard(demo, ORG, None)
    html = render_html({**data, "corridor": [], "issues": []})
    assert "No ideas arrived in this period." in html and "Nothing to act on" in html
    assert "<caption>Ideas by tier" not in html and "No data." not in html


def test_the_corridor_key_covers_no_bar(demo: Any) -> None:
    figure = corridor_figure(build_dashboard(demo, ORG, None)["corridor"])
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    key = ax.get_legend().get_window_extent(renderer)
    bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_height() > 0]
    assert bars and not [b for b in bars if key.overlaps(b)]


def test_every_series_has_a_colour_of_its_own_on_the_page_and_in_the_report(demo: Any) -> None:
    assert len(set(SERIES_COLOURS.values())) == len(SERIES_COLOURS)
    specs = page_charts(build_dashboard(demo, ORG, None))
    colours = [d["backgroundColor"] for spec in specs.values() for d in spec["data"]["datasets"]]
    assert len(colours) == 5 and len(set(colours)) == 5
    html = render_html(build_dashboard(demo, ORG, None))
    assert html.count("data:image/png") == 4
