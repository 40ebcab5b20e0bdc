"""The board report: a self-contained HTML file and a PDF whose pages render and carry every section."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import hoshin.cli.report  # noqa: F401  (registers `hoshin report` on the root command)
from hoshin.cli.groups import root
from hoshin.errors import InputError
from hoshin.service.dashboard import Filters
from hoshin.service.report import SECTIONS, write_report

ORG = "frostline"
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils not installed (apt-get install poppler-utils)"
)


def test_html_report_is_self_contained_with_charts_and_tables(demo: Any, tmp_path: Path) -> None:
    html = write_report(demo, ORG, tmp_path / "board.html").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f"<h2>{section}</h2>" in html
    assert len(re.findall(r'<img src="data:image/png;base64,', html)) == 4  # units, trend, heatmap, corridor
    # Nothing is fetched from elsewhere: no external scripts, stylesheets or images.
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<script" not in html
    assert "K-MOTOR" in html and "Frostline Appliances: board report" in html


def test_report_for_a_unit_and_a_date_range_says_so(demo: Any, tmp_path: Path) -> None:
    html = write_report(
        demo, ORG, tmp_path / "rd.html", Filters(unit="U-RD", start="2026-01-01", end="2026-06-30")
    ).read_text(encoding="utf-8")
    assert "Research &amp; Development and the units below it" in html
    assert "from 2026-01-01 to 2026-06-30" in html
    assert "<td>U-MFG</td>" not in html and "<td>2025-12</td>" not in html


@needs_poppler
def test_pdf_pages_render_and_carry_every_section(demo: Any, tmp_path: Path) -> None:
    pdf = write_report(demo, ORG, tmp_path / "board.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for section in SECTIONS:
        assert section in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    if images.returncode == 0:  # pdfimages ships with poppler too: the charts are real images
        assert len(images.stdout.strip().splitlines()) - 2 >= 4


def test_other_file_types_are_refused(demo: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.html or \.pdf"):
        write_report(demo, ORG, tmp_path / "board.docx")
    assert not (tmp_path / "board.docx").exists()


def test_cli_writes_the_report_and_exits_2_on_bad_input(demo_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "cli.html"
    done = runner.invoke(root, ["report", "--output", str(out), "--unit", "U-SAL", "--db", demo_url])
    assert done.exit_code == 0, done.output
    assert "Sales and the units below it" in out.read_text(encoding="utf-8")
    bad_date = runner.invoke(
        root, ["report", "-o", str(tmp_path / "x.html"), "--from", "May", "--db", demo_url]
    )
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    bad_type = runner.invoke(root, ["report", "-o", str(tmp_path / "x.txt"), "--db", demo_url])
    assert bad_type.exit_code == 2 and ".html or .pdf" in bad_type.output
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.txt").exists()
