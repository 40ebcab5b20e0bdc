"""The web pages' templates and static files. No Python beyond where they are found.

The pages themselves live with their feature (`hoshin.features`); they render through
`hoshin.api.rendering.render`, which adds the layout's user, CSRF token and navigation.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR", "TEMPLATE_DIR"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
