"""Dashboard numbers shown again for a few seconds (service/dashboard_snapshots.py): when a view
reuses a build, when it reads the store again, and that edits through the app show at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from hoshin.app import create_app
from hoshin.errors import ConfigError
from hoshin.service.dashboard import Filters, build_dashboard
from hoshin.service.dashboard_snapshots import DashboardSnapshots
from hoshin.service.shared_counter import SharedCounter
from support import Org

ORG = "frostline"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingBuild:
    """The real build, counted; `pause` holds each build open, as a slow read would."""

    def __init__(self, pause: float = 0.0) -> None:
        self.calls = 0
        self.pause = pause
        self._lock = threading.Lock()

    def __call__(self, store: Any, org_id: str, filters: Filters) -> dict[str, Any]:
        with self._lock:
            self.calls += 1
        time.sleep(self.pause)
        return build_dashboard(store, org_id, filters)


def test_a_view_within_the_max_age_reuses_the_build_and_a_later_one_reads_again(demo: Any) -> None:
    clock, build = Clock(), CountingBuild()
    snapshots = DashboardSnapshots(2.0, build=build, clock=clock)
    first = snapshots.get(demo, ORG, Filters())
    clock.now += 1.9
    assert snapshots.get(demo, ORG, Filters()) is first and build.calls == 1
    clock.now += 0.2  # 2.1 s after the build began
    again = snapshots.get(demo, ORG, Filters())
    assert build.calls == 2 and again is not first
    assert {k: v for k, v in again.items() if k != "as_of"} == build_dashboard(demo, ORG)


def test_each_filter_has_its_own_numbers(demo: Any) -> None:
    build = CountingBuild()
    snapshots = DashboardSnapshots(60.0, build=build, clock=Clock())
    whole = snapshots.get(demo, ORG, Filters())
    research = snapshots.get(demo, ORG, Filters(unit="U-RD"))
    assert build.calls == 2 and research["counts"]["units"] < whole["counts"]["units"]
    assert snapshots.get(demo, ORG, Filters(unit="U-RD")) is research and build.calls == 2


def test_changed_and_fresh_read_the_store_again(demo: Any) -> None:
    build = CountingBuild()
    snapshots = DashboardSnapshots(60.0, build=build, clock=Clock())
    snapshots.get(demo, ORG, Filters())
    snapshots.changed()
    snapshots.get(demo, ORG, Filters())
    assert build.calls == 2
    snapshots.get(demo, ORG, Filters(), fresh=True)
    assert build.calls == 3
    snapshots.get(demo, ORG, Filters())  # the fresh build is kept for the next view
    assert build.calls == 3


def test_max_age_zero_builds_for_every_view(demo: Any) -> None:
    clock, build = Clock(), CountingBuild()
    snapshots = DashboardSnapshots(0.0, build=build, clock=clock)
    for _ in range(3):
        clock.now += 0.001
        snapshots.get(demo, ORG, Filters())
    assert build.calls == 3


def test_views_that_miss_together_share_one_build(demo: Any) -> None:
    build = CountingBuild(pause=0.3)
    snapshots = DashboardSnapshots(60.0, build=build)
    results: list[dict[str, Any]] = []
    threads = [
        threading.Thread(target=lambda: results.append(snapshots.get(demo, ORG, Filters()))) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert build.calls == 1 and len(results) == 6 and all(r is results[0] for r in results)


def test_a_build_that_began_before_a_change_is_not_shown_again(demo: Any) -> None:
    snapshots: DashboardSnapshots

    def build_then_change(store: Any, org_id: str, filters: Filters) -> dict[str, Any]:
        data = build_dashboard(store, org_id, filters)
        snapshots.changed()  # a write lands while the numbers are being read
        return data

    snapshots = DashboardSnapshots(60.0, build=build_then_change, clock=Clock())
    first = snapshots.get(demo, ORG, Filters())
    assert snapshots.get(demo, ORG, Filters()) is not first


def test_only_the_most_recent_filters_are_kept(demo: Any) -> None:
    build = CountingBuild()
    snapshots = DashboardSnapshots(60.0, keep=2, build=build, clock=Clock())
    for unit in ("U-RD", "U-SAL", None):
        snapshots.get(demo, ORG, Filters(unit=unit))
    snapshots.get(demo, ORG, Filters(unit="U-RD"))  # pushed out by the third
    assert build.calls == 4
    snapshots.get(demo, ORG, Filters())
    assert build.calls == 4


# ---- two worker processes, one data folder ---------------------------------------------------


def test_a_change_in_one_worker_ends_the_other_workers_snapshot(demo: Any, tmp_path: Path) -> None:
    # Two holders with one counter file stand for `hoshin serve`'s two worker processes.
    counter = tmp_path / "dashboard-changes"
    first_build, second_build = CountingBuild(), CountingBuild()
    first = DashboardSnapshots(3600.0, build=first_build, shared=SharedCounter(counter))
    second = DashboardSnapshots(3600.0, build=second_build, shared=SharedCounter(counter))
    shown = second.get(demo, ORG, Filters())
    first.get(demo, ORG, Filters())
    assert second.get(demo, ORG, Filters()) is shown and second_build.calls == 1
    first.changed()  # an edit answered by the first worker
    assert second.get(demo, ORG, Filters()) is not shown and second_build.calls == 2
    assert first.get(demo, ORG, Filters()) is not None and first_build.calls == 2
    # Nothing changed since: both answer from their new builds.
    second.get(demo, ORG, Filters())
    first.get(demo, ORG, Filters())
    assert (first_build.calls, second_build.calls) == (2, 2)


def test_without_a_shared_counter_the_other_worker_waits_for_the_max_age(demo: Any) -> None:
    build = CountingBuild()
    first, second = DashboardSnapshots(3600.0), DashboardSnapshots(3600.0, build=build)
    shown = second.get(demo, ORG, Filters())
    first.changed()
    assert second.get(demo, ORG, Filters()) is shown and build.calls == 1


def test_a_lost_counter_file_neither_fails_a_write_nor_a_view(demo: Any, tmp_path: Path) -> None:
    folder = tmp_path / "server"
    build = CountingBuild()
    snapshots = DashboardSnapshots(3600.0, build=build, shared=SharedCounter(folder / "changes"))
    snapshots.get(demo, ORG, Filters())
    shutil.rmtree(folder)  # someone cleans the data folder while the server runs
    snapshots.changed()  # after a committed write: must not raise
    shown = snapshots.get(demo, ORG, Filters())
    assert build.calls == 2
    assert snapshots.get(demo, ORG, Filters()) is shown  # kept again, as in one process alone
    snapshots.changed()
    assert snapshots.get(demo, ORG, Filters()) is not shown and build.calls == 3


def test_the_shared_counter_loses_no_step_when_processes_advance_together(tmp_path: Path) -> None:
    counter = tmp_path / "changes"
    SharedCounter(counter)
    script = (
        "import sys; from pathlib import Path; from hoshin.service.shared_counter import SharedCounter\n"
        "c = SharedCounter(Path(sys.argv[1]))\n"
        "for _ in range(300): c.advance(); c.read()\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", script, str(counter)]) for _ in range(4)]
    assert [run.wait(timeout=120) for run in runs] == [0] * 4
    assert SharedCounter(counter).read() == 1200


def test_an_unreadable_counter_file_counts_again_from_zero(tmp_path: Path) -> None:
    counter = tmp_path / "changes"
    assert SharedCounter(counter).read() == 0  # a new file
    counter.write_text("not a number")
    shared = SharedCounter(counter)
    assert shared.read() == 0
    assert shared.advance() == 1 and shared.read() == 1


# ---- through the app --------------------------------------------------------------------------


def _numbers(client: Any, fresh: bool = False) -> dict[str, Any]:
    answer = client.get("/api/v1/dashboard" + ("?fresh=true" if fresh else ""))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_new_ideas_show_within_the_max_age_and_edits_at_once(org: Org) -> None:
    org.app.state.dashboards.max_age_s = 3600.0  # long enough that only a change can end a snapshot
    viewer, contributor = org.client("viewer", how="token"), org.client("contributor", how="token")
    strategist = org.client("strategist", how="token")
    before = _numbers(viewer)
    assert before["counts"]["ideas"] == 2

    posted = contributor.post("/api/v1/ideas", json={"id": "I-NEW", "text": "Quieter compressor mounts"})
    assert posted.status_code == 201, posted.text
    shown = _numbers(viewer)
    assert shown["counts"]["ideas"] == 2 and shown["as_of"] == before["as_of"]
    assert _numbers(viewer, fresh=True)["counts"]["ideas"] == 3

    goal = {"id": "G-NEW", "text": "Ship the silent model", "unit_id": "U-RD", "level": 2}
    assert strategist.post("/api/v1/goals", json=goal).status_code == 201
    assert _numbers(viewer)["counts"]["goals"] == 4  # an edit shows on the very next view

    refused = strategist.post("/api/v1/goals", json={"id": "G-BAD", "text": "", "level": 2})
    assert refused.status_code == 422
    assert _numbers(viewer)["counts"]["goals"] == 4  # a refused write changed nothing


def test_the_page_says_when_its_numbers_were_read(org: Org) -> None:
    viewer = org.client("viewer")
    page = viewer.get("/").text
    assert "Numbers as of" in page and 'href="/?fresh=1"' in page
    assert viewer.get("/?unit=U-RD&fresh=1").status_code == 200


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "100000"])
def test_a_bad_max_age_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, value: str, tmp_path: Any) -> None:
    monkeypatch.setenv("HOSHIN_DASHBOARD_MAX_AGE_S", value)
    with pytest.raises(ConfigError, match="HOSHIN_DASHBOARD_MAX_AGE_S"):
        create_app(f"sqlite:///{tmp_path / 'x.sqlite3'}", secret="k2J9-vQx7pLm4TzR8wYc1NbH6sDf3GaE0uKo5iVe")


def test_a_change_lets_go_of_what_idle_filters_held(demo: Any) -> None:
    # Every filter asked for gets a build lock; a change empties the snapshots, and the locks of
    # filters nobody is building go with them, so a long-running server does not pile them up.
    snapshots = DashboardSnapshots(60.0, keep=100, clock=Clock())
    for start in ("2026-01-01", "2026-02-01", "2026-03-01"):
        snapshots.get(demo, ORG, Filters(start=start))
    assert len(snapshots._building) == 3
    snapshots.changed()
    assert snapshots._building == {}
