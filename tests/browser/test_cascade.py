"""The goal cascade in a real browser: parent suggestions while typing in the goal form, checks
with their reasons in the tree, the unit manager's view and its limits, the strategy map."""

from __future__ import annotations

import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait


def _wait(browser, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(browser, seconds)


def test_goal_form_suggests_parents_as_you_type_and_one_click_links_them(
    browser, live_server, login, screenshot_dir
) -> None:
    login(browser, live_server, "rd-manager", "demo-manager")
    browser.get(live_server + "/goals")
    goal_id = "G-RD-T" + uuid.uuid4().hex[:4]
    browser.find_element(By.ID, "f-id").send_keys(goal_id)
    Select(browser.find_element(By.ID, "f-unit_id")).select_by_value("U-RD")
    Select(browser.find_element(By.ID, "f-level")).select_by_value("2")
    browser.find_element(By.ID, "f-text").send_keys("Halve the energy use of our refrigerators by 2027")
    _wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#suggest-list li.suggestion")))
    suggestions = browser.find_elements(By.CSS_SELECTOR, "#suggest-list li.suggestion")
    ids = [s.get_attribute("data-id") for s in suggestions]
    assert ids and all(i.startswith("G-C") for i in ids)  # level-1 company objectives only
    assert "fit" in suggestions[0].text
    browser.save_screenshot(str(screenshot_dir / "cascade-suggestions.png"))
    suggestions[0].find_element(By.TAG_NAME, "button").click()
    assert browser.find_element(By.ID, "f-parent_ids").get_attribute("value") == ids[0]
    browser.find_element(By.CSS_SELECTOR, "form[action='/goals'] button[type=submit]").click()
    _wait(browser).until(ec.url_contains("created=" + goal_id))
    browser.get(live_server + f"/goals/{goal_id}/edit")
    assert browser.find_element(By.ID, "f-parent_ids").get_attribute("value") == ids[0]


def test_suggestions_say_so_when_a_goal_has_no_level_above(browser, live_server, login) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    browser.get(live_server + "/goals")
    browser.find_element(By.ID, "f-text").send_keys("Grow in Scandinavia")
    Select(browser.find_element(By.ID, "f-level")).select_by_value("1")
    _wait(browser).until(ec.text_to_be_present_in_element((By.ID, "suggest-status"), "no parent"))
    assert browser.find_elements(By.CSS_SELECTOR, "#suggest-list li") == []


def test_tree_shows_checks_with_their_reasons(browser, live_server, login, screenshot_dir) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    browser.get(live_server + "/goals/tree")
    issues = browser.find_elements(By.CSS_SELECTOR, ".goal-tree .issue")
    assert issues, "the demo organisation has planted problems that the checks find"
    kinds = {i.get_attribute("data-kind") for i in issues}
    assert kinds <= {"orphan", "off-mission", "duplicate", "conflict", "weak-parent"}
    assert all(len(i.text) > 40 for i in issues)  # a reason, not just a label
    assert browser.find_elements(By.CSS_SELECTOR, ".goal-tree progress")
    browser.save_screenshot(str(screenshot_dir / "cascade-tree.png"))


def test_unit_manager_sees_their_unit_in_the_light_of_the_whole_and_no_other(
    browser, live_server, login, screenshot_dir
) -> None:
    login(browser, live_server, "rd-manager", "demo-manager")
    browser.get(live_server + "/goals/manager")
    assert "Research" in browser.find_element(By.TAG_NAME, "h1").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#manager-goals tbody tr")
    assert rows
    assert all(r.get_attribute("data-goal").startswith("G-RD") for r in rows)
    assert "G-C" in browser.find_element(By.ID, "manager-goals").text  # the objectives served
    browser.save_screenshot(str(screenshot_dir / "cascade-manager.png"))
    browser.get(live_server + "/goals/manager?unit=U-SAL")
    assert "own unit" in browser.find_element(By.TAG_NAME, "main").text
    browser.get(live_server + "/goals/tree")
    shown = {n.get_attribute("data-goal") for n in browser.find_elements(By.CSS_SELECTOR, ".goal-node.mine")}
    assert shown and all(g.startswith("G-RD") for g in shown)


def test_strategy_map_and_coverage_heatmap_are_drawn(browser, live_server, login, screenshot_dir) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    browser.get(live_server + "/goals/strategy")
    assert browser.find_elements(By.CSS_SELECTOR, "#strategy-map .map-objective")
    assert browser.find_elements(By.CSS_SELECTOR, "#strategy-map .map-goal")
    cells = browser.find_elements(By.CSS_SELECTOR, "#coverage td.cell")
    assert cells and sum(int(c.text) for c in cells) >= 40  # every demo goal is counted
    _wait(browser).until(
        ec.presence_of_element_located(
            (By.CSS_SELECTOR, "canvas[data-chart='coverage-chart-spec'][data-drawn]")
        )
    )
    browser.save_screenshot(str(screenshot_dir / "cascade-strategy.png"))
