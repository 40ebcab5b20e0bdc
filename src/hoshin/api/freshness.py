"""Keeps the dashboard's kept numbers honest: a request that may have written drops them.

Idea submissions are the exception (`ARRIVALS`): the one write that comes dozens of times a second at
scale. They reach the dashboard within HOSHIN_DASHBOARD_MAX_AGE_S instead of making every viewer's
next view rebuild it.
"""

from __future__ import annotations

from typing import Any

from hoshin.service.dashboard_snapshots import DashboardSnapshots

__all__ = ["ARRIVALS", "DashboardFreshness"]

ARRIVALS = frozenset({("POST", "/api/v1/ideas"), ("POST", "/ideas")})
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class DashboardFreshness:
    """Drops the kept dashboard numbers once a request that may have written anything but a new
    idea has been answered (service/dashboard_snapshots.py), so the next view reads the store."""

    def __init__(self, app: Any, snapshots: DashboardSnapshots) -> None:
        self.app = app
        self.snapshots = snapshots

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in _READS
            or (scope["method"], scope["path"]) in ARRIVALS
        ):
            await self.app(scope, receive, send)
            return

        async def answer(message: Any) -> None:
            if message["type"] == "http.response.start":
                # Before the client can see the answer: a view it asks for next reads the write.
                self.snapshots.changed()
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            # Again at the end: a build that began while the request wrote is not kept. A refused
            # request wrote nothing, and one more build is cheap.
            self.snapshots.changed()
