"""The main menu marks the section a page belongs to, also for pages outside its own paths."""

from __future__ import annotations

import re

import pytest

from support import Org

_CURRENT = re.compile(r'<nav aria-label="Main">.*?<a href="([^"]+)" aria-current="page">', re.S)


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/principles", "/brand"),
        ("/people/p01", "/goals"),
        ("/units/U-RD", "/goals"),
        ("/goals", "/goals"),
        ("/", "/"),
    ],
)
def test_the_menu_marks_the_pages_own_section(org: Org, path: str, section: str) -> None:
    page = org.client("admin").get(path)
    assert page.status_code == 200, page.text
    match = _CURRENT.search(page.text)
    assert match and match.group(1) == section
