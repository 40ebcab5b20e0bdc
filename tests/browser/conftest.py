"""Browser tests: the real app served over HTTP, driven by Debian's headless Chromium.

Fixtures:
- `live_server`: base URL of the app (uvicorn in a background thread, a free port) over a fresh
  SQLite database holding the demo organisation, scored with the hashing embedder so start-up
  takes seconds. One server per test module; the environment it needs is restored afterwards.
- `browser`: a headless Chromium (Selenium + chromedriver); cookies are cleared between tests.
- `login(browser, live_server, username, password)`: signs in through the login form.
- `screenshot_dir`: where tests save screenshots (tests/browser/screenshots, git-ignored).

Chromium and chromedriver come from Debian (`apt-get install chromium chromium-driver`; `make test`
installs them). Without them the browser tests are skipped on a user's machine and fail in CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A real browser on a loaded 2-core CI machine can lose a race with a page still loading;
    # one retry tells such a hiccup from a real failure (a real failure fails every time).
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from hoshin.app import create_app
    from hoshin.service.demo import load_demo
    from hoshin.service.verdict_reasons import open_store

    home = tmp_path_factory.mktemp("browser-home")
    saved = {key: os.environ.get(key) for key in ("HOSHIN_HOME", "HOSHIN_EMBEDDER")}
    os.environ["HOSHIN_HOME"] = str(home)
    os.environ["HOSHIN_EMBEDDER"] = "hashing"
    url = f"sqlite:///{home / 'hoshin.sqlite3'}"
    repo = open_store(url)
    load_demo(repo, None, "tests", score=True)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def _chromium() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install chromium and chromium-driver")
        pytest.skip("Chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    # Keep the page's console messages, so a test can read them with driver.get_log("browser").
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture()
def browser(_chromium: object, live_server: str) -> Iterator[object]:
    driver = _chromium
    driver.get(live_server + "/login")  # type: ignore[attr-defined]
    driver.delete_all_cookies()  # type: ignore[attr-defined]
    yield driver


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture()
def login() -> Callable[[object, str, str, str], None]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    def sign_in(driver: object, base: str, username: str, password: str) -> None:
        driver.get(base + "/login")  # type: ignore[attr-defined]
        driver.find_element(By.NAME, "username").send_keys(username)  # type: ignore[attr-defined]
        driver.find_element(By.NAME, "password").send_keys(password)  # type: ignore[attr-defined]
        button = driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]")  # type: ignore[attr-defined]
        button.click()
        # Wait for the answer page (redirect or error): the old form goes stale when it arrives.
        WebDriverWait(driver, 20).until(expected_conditions.staleness_of(button))
        WebDriverWait(driver, 20).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    return sign_in
