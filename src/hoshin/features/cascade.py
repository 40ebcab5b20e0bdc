"""Routes and pages of the cascade feature (to be filled in)."""

from __future__ import annotations

api = None
pages = None
