"""First and second view of every main page on a freshly loaded demo (target: first view < 1 s).

Usage:  python bench/bench_first_view.py [--pages /knowledge /principles ...]

`hoshin demo` loads the demo organisation into a fresh SQLite store in a temporary HOSHIN_HOME (a
new database: nothing embedded yet but what the demo load itself embeds). The app is then built as
`hoshin serve` builds it, with the model and calibration loaded before the first request, and each
page is requested twice by the signed-in admin through the real app. A first view that embeds texts
the demo load did not is what this catches (the knowledge and principles pages once took 8-14 s).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.0
PAGES = [
    "/",
    "/mission",
    "/mission/analysis",
    "/goals",
    "/goals/tree",
    "/goals/strategy",
    "/ideas",
    "/ideas/chart",
    "/ideas/duplicates",
    "/knowledge",
    "/knowledge/coverage",
    "/knowledge/skills",
    "/knowledge/documents",
    "/brand",
    "/brand/image",
    "/principles",
    "/jobs",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", nargs="+", default=PAGES, help="paths to request (default: every main page)"
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="hoshin-bench-"))
    try:
        os.environ["HOSHIN_HOME"] = str(home)
        os.environ.pop("HOSHIN_DATABASE_URL", None)
        hoshin = Path(sys.executable).with_name("hoshin")
        started = time.perf_counter()
        subprocess.run([str(hoshin), "demo"], check=True, capture_output=True)
        load_s = time.perf_counter() - started
        views = time_pages(args.pages)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"hoshin demo: {load_s:.1f} s")
    print(f"{'page':<24}{'first':>9}{'second':>9}")
    for page, (first, second) in views.items():
        print(f"{page:<24}{first:>8.2f}s{second:>8.2f}s")
    slowest = max(views.items(), key=lambda kv: kv[1][0])
    met = slowest[1][0] < TARGET_S
    verdict = "met" if met else "NOT met"
    print(f"slowest first view: {slowest[0]} {slowest[1][0]:.2f} s (target < {TARGET_S} s): {verdict}")
    result = {
        "demo_load_s": round(load_s, 2),
        "slowest_page": slowest[0],
        "slowest_first_s": round(slowest[1][0], 3),
        "views": {page: [round(a, 3), round(b, 3)] for page, (a, b) in views.items()},
        "met": met,
    }
    print("RESULT " + json.dumps(result))
    return 0


def time_pages(pages: list[str]) -> dict[str, tuple[float, float]]:
    from fastapi.testclient import TestClient

    from hoshin.app import create_app

    app = create_app(secret=secrets.token_urlsafe(48), warm=True)
    views: dict[str, tuple[float, float]] = {}
    with TestClient(app) as client:
        login = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token, "no sign-in form"
        signed = client.post(
            "/login",
            data={"username": "admin", "password": "demo-admin", "csrf_token": token.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text
        for page in pages:
            times = []
            for _ in range(2):
                started = time.perf_counter()
                response = client.get(page)
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{page}: HTTP {response.status_code}")
            views[page] = (times[0], times[1])
    return views


if __name__ == "__main__":
    sys.exit(main())
