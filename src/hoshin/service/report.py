"""The board report: the dashboard's charts and tables as one self-contained HTML file or a PDF.

Charts are drawn with matplotlib (one Okabe-Ito colour per series, service/palette.py) into PNG
images embedded as data URIs, so the HTML file needs nothing beside it and weasyprint puts real
images into the PDF. Each chart is followed by the table of its numbers; a table lists only the rows
that hold a number other than zero and says how many it leaves out, and a section with no data at
all says so in a sentence instead of an empty table.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from hoshin.errors import InputError
from hoshin.service.dashboard import Filters, build_dashboard, table
from hoshin.service.palette import SERIES_COLOURS

if TYPE_CHECKING:
    from hoshin.store.repository import Repository

__all__ = ["FORMATS", "SECTIONS", "render_html", "render_pdf", "write_report"]

FORMATS = (".html", ".pdf")
# Section headings, in order; a test checks that the PDF carries every one.
SECTIONS = ("Mission", "Alignment by unit", "Units and themes", "Innovation corridor", "Issues to act on")
_TEMPLATES = Path(__file__).resolve().parent.parent / "report"
_env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), autoescape=select_autoescape(["html"]))


def _png(figure: Any) -> str:
    """The figure as a data URI (PNG at print resolution); closes it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _charts(data: dict[str, Any]) -> dict[str, str | None]:
    import matplotlib

    matplotlib.use("Agg")  # no display: the report is rendered on servers and in tests
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            # Labels are users' texts (unit names, themes): a '$' in one is a dollar, not the start
            # of matplotlib's math notation, which failed the whole report for a name like 'R$D $x^$'.
            "text.parse_math": False,
        }
    )
    charts: dict[str, str | None] = {"units": None, "trend": None, "heatmap": None, "corridor": None}

    scored = [u for u in data["units"] if u["score"] is not None]
    if scored:
        fig, ax = plt.subplots(figsize=(7, 0.3 * len(scored) + 1))
        ax.barh([u["name"] for u in scored], [u["score"] for u in scored], color=SERIES_COLOURS["units"])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_xlabel("alignment score (0 = off mission, 1 = core)")
        charts["units"] = _png(fig)

    series = data["overall"]["series"]
    if len(series) >= 2:
        fig, ax = plt.subplots(figsize=(7, 2.6))
        ax.plot([m for m, _ in series], [s for _, s in series], color=SERIES_COLOURS["trend"], marker="o")
        ax.set_ylim(0, 1)
        ax.set_ylabel("mean idea score")
        ax.tick_params(axis="x", rotation=60)
        charts["trend"] = _png(fig)

    themes, rows = data["heatmap"]["themes"], data["heatmap"]["rows"]
    if themes and rows:
        import numpy as np

        values = np.array([[c["goals"] + c["ideas"] for c in r["cells"]] for r in rows], dtype=float)
        fig, ax = plt.subplots(figsize=(max(6, 0.5 * len(themes) + 2), 0.35 * len(rows) + 2))
        ax.imshow(values, cmap="cividis", aspect="auto")  # cividis: designed for colour-blind readers
        ax.set_xticks(range(len(themes)), themes, rotation=60, ha="right")
        ax.set_yticks(range(len(rows)), [r["name"] for r in rows])
        if values.size <= 600:  # numbers in the cells, so the chart reads without colour at all
            top = values.max() or 1
            for (y, x), v in np.ndenumerate(values):
                ax.text(
                    x, y, str(int(v)), ha="center", va="center", color="black" if v > top / 2 else "white"
                )
        charts["heatmap"] = _png(fig)

    if data["corridor"]:
        charts["corridor"] = _png(corridor_figure(data["corridor"]))
    return charts


def corridor_figure(corridor: list[list[Any]]) -> Any:
    """Ideas per month stacked by tier, its key above the plot (inside, it covered the bars)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.8))
    months = [r[0] for r in corridor]
    bottom = [0] * len(corridor)
    for n, tier in enumerate(("core", "adjacent", "off"), start=1):
        counts = [r[n] for r in corridor]
        ax.bar(months, counts, bottom=bottom, label=tier, color=SERIES_COLOURS[tier], edgecolor="white")
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_ylabel("ideas")
    ax.legend(frameon=False, ncols=3, loc="lower left", bbox_to_anchor=(0.0, 1.0), borderaxespad=0.2)
    ax.tick_params(axis="x", rotation=60)
    return fig


def _without_zero_rows(
    columns: list[str], rows: list[list[Any]], counts: int
) -> tuple[tuple[list[str], list[list[Any]]], int]:
    """The rows whose last `counts` cells are not all zero, and how many were left out. The
    units x themes table of the demo ran to three PDF pages, most of its 112 rows all zeros."""
    kept = [r for r in rows if any(v not in (0, "0", None, "") for v in r[-counts:])]
    return (columns, kept), len(rows) - len(kept)


def report_tables(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """The tables the report prints, and per table how many rows of zeros it leaves out."""
    tables = {name: table(data, name) for name in ("units", "heatmap", "corridor", "issues")}
    columns, rows = tables["heatmap"]
    tables["heatmap"], left_out = _without_zero_rows(columns, rows, counts=3)
    return tables, {"heatmap": left_out}


def render_html(data: dict[str, Any]) -> str:
    """The report for `data` (from build_dashboard) as one self-contained HTML document."""
    tables, left_out = report_tables(data)
    css = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    return _env.get_template("report.html").render(
        data=data, charts=_charts(data), tables=tables, left_out=left_out, css=css, sections=SECTIONS
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def write_report(repo: Repository, org_id: str, output: Path, filters: Filters | None = None) -> Path:
    """Build the report from the stored verdicts and write it to `output` (.html or .pdf)."""
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"{output}: name the report file .html or .pdf")
    html = render_html(build_dashboard(repo, org_id, filters))
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        output.write_text(html, encoding="utf-8")
    else:
        output.write_bytes(render_pdf(html))
    return output
