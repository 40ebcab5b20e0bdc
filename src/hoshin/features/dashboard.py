"""Routes and pages of the dashboard feature (to be filled in)."""

from __future__ import annotations

api = None
pages = None
