"""The dashboard in a real browser on the demo organisation: scoring the missing records, the
heatmap and the issues checked against the data, charts drawn, narrow screens, screenshots."""

from __future__ import annotations

import json
from collections import defaultdict

from selenium.webdriver.common.by import By

from hoshin.service.demo import demo_path


def _json(browser, url: str):  # noqa: ANN001, ANN202
    browser.get(url)
    return json.loads(browser.find_element(By.TAG_NAME, "body").text)


def _score_missing(browser, live_server: str) -> None:  # noqa: ANN001
    browser.get(live_server + "/")
    buttons = browser.find_elements(By.CSS_SELECTOR, "form[action='/dashboard/refresh'] button")
    if buttons:  # the shared server may have been scored by an earlier test
        buttons[0].click()
        assert "Missing verdicts are scored." in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.ID, "missing")


def test_dashboard_heatmap_and_issues_match_the_data(browser, live_server, login, screenshot_dir) -> None:  # noqa: ANN001
    login(browser, live_server, "admin", "demo-admin")
    _score_missing(browser, live_server)
    demo = json.loads(demo_path().read_text(encoding="utf-8"))

    # Heatmap: one row per demo unit; per unit, the on-mission ideas the ideas API lists.
    browser.get(live_server + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr")
    assert {r.get_attribute("data-unit") for r in rows} == {u["id"] for u in demo["units"]}
    themes = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#heatmap thead th")][1:]
    shown = {
        r.get_attribute("data-unit"): sum(
            int(c.get_attribute("data-ideas")) for c in r.find_elements(By.TAG_NAME, "td")
        )
        for r in rows
    }
    ideas = _json(browser, live_server + "/api/v1/ideas?limit=100") + _json(
        browser, live_server + "/api/v1/ideas?limit=100&offset=100"
    )
    assert len(ideas) == len(demo["ideas"])
    expected: dict[str, int] = defaultdict(int)
    for idea in ideas:
        if idea["effective_tier"] != "off" and idea["theme"] in themes and idea["unit_id"]:
            expected[idea["unit_id"]] += 1
    assert shown == {u: expected.get(u, 0) for u in shown}

    # Issues: knowledge single points of failure are exactly the areas one person holds.
    holders: dict[str, set[str]] = defaultdict(set)
    for skill in demo["skills"]:
        holders[skill["area_id"]].add(skill["person_id"])
    browser.get(live_server + "/")
    items = browser.find_elements(By.CSS_SELECTOR, "#issues li")
    spof = {
        i.get_attribute("data-record")
        for i in items
        if i.get_attribute("data-kind") == "knowledge single point of failure"
    }
    assert spof == {area for area, people in holders.items() if len(people) == 1}
    assert {"K-MOTOR", "K-REFSAFE"} <= spof

    # Charts are drawn by Chart.js, and each has its table one click away.
    drawn = browser.find_elements(By.CSS_SELECTOR, "canvas[data-drawn='true']")
    assert len(drawn) == 3
    browser.save_screenshot(str(screenshot_dir / "dashboard-demo.png"))
    summary = browser.find_element(By.CSS_SELECTOR, "#units-chart-title ~ details summary")
    summary.click()
    assert browser.find_element(By.ID, "units-chart-table").is_displayed()

    # An off-mission goal in the list links to that goal's page.
    goal_links = [i for i in items if i.get_attribute("data-kind") == "off-mission goal"]
    if goal_links:
        record = goal_links[0].get_attribute("data-record")
        goal_links[0].find_element(By.TAG_NAME, "a").click()
        assert browser.current_url.endswith(f"/goals/{record}/edit")
        assert record in browser.find_element(By.TAG_NAME, "main").text


def test_dashboard_fits_a_narrow_screen_and_works_by_keyboard(
    browser, live_server, login, screenshot_dir
) -> None:  # noqa: ANN001
    from selenium.webdriver.common.keys import Keys

    login(browser, live_server, "viewer", "demo-viewer")
    browser.set_window_size(390, 844)
    try:
        browser.get(live_server + "/")
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1  # the wide heatmap scrolls inside its own region, not the page
        region = browser.find_element(By.CSS_SELECTOR, "div.scroll[tabindex='0']")
        assert region.get_attribute("role") == "region"
        browser.save_screenshot(str(screenshot_dir / "dashboard-narrow.png"))
        # Tab from the top reaches the unit filter and then the report links.
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        reached = []
        for _ in range(40):
            active = browser.switch_to.active_element
            reached.append(active.get_attribute("id") or active.get_attribute("href") or "")
            if (active.get_attribute("href") or "").endswith("/dashboard/report.pdf"):
                break
            active.send_keys(Keys.TAB)
        assert "f-unit" in reached and reached[-1].endswith("/dashboard/report.pdf")
    finally:
        browser.set_window_size(1280, 900)
