"""Routes and pages of the jobs feature (to be filled in)."""

from __future__ import annotations

api = None
pages = None
