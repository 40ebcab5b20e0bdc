"""The corridor views in a real browser: chart drawn with its data table, twins shown while typing a
new idea, a duplicate group merged and the merge undone (so the shared demo database ends as it began)."""

from __future__ import annotations

import json

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

DEMO_IDEA = "Build a line of dishwashers that reuses the motor and drive"  # start of demo idea I098


def test_corridor_chart_is_drawn_with_bands_and_a_data_table(
    browser, live_server, login, screenshot_dir
) -> None:
    login(browser, live_server, "viewer", "demo-viewer")
    browser.get(live_server + "/ideas/chart")
    wait = WebDriverWait(browser, 10)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "canvas[data-drawn=true]"))
    canvases = browser.find_elements(By.CSS_SELECTOR, "canvas[data-chart]")
    assert {c.get_attribute("data-chart") for c in canvases} == {"corridor-spec", "theme-counts-spec"}
    assert all(c.get_attribute("data-drawn") == "true" for c in canvases)
    spec = json.loads(browser.find_element(By.ID, "corridor-spec").get_attribute("textContent"))
    labels = [d["label"] for d in spec["data"]["datasets"]]
    assert labels[:3] == [
        "band: off (below 0.40)",
        "band: adjacent (0.40 to 0.70)",
        "band: core (0.70 and above)",
    ]
    figure = browser.find_element(By.CSS_SELECTOR, "figure[aria-labelledby=corridor-title]")
    figure.find_element(By.TAG_NAME, "summary").click()
    rows = figure.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) > 100 and rows[0].is_displayed()
    browser.save_screenshot(str(screenshot_dir / "corridor-chart.png"))
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "ideas CSV").get_attribute("href")
    assert "/api/v1/ideas/export?view=inbox&format=csv" in link


def test_typing_a_new_idea_shows_its_stored_twin(browser, live_server, login, screenshot_dir) -> None:
    login(browser, live_server, "contributor", "demo-contributor")
    browser.get(live_server + "/ideas")
    box = browser.find_element(By.ID, "f-text")
    box.send_keys(DEMO_IDEA)
    items = WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#similar-ideas li"))
    assert items[0].text.startswith("I098") and "likely the same idea" in items[0].text
    browser.save_screenshot(str(screenshot_dir / "corridor-similar-ideas.png"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".error")


def test_a_strategist_merges_a_group_and_undoes_it(browser, live_server, login) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    browser.get(live_server + "/ideas/duplicates?threshold=0.5")
    form = browser.find_element(By.CSS_SELECTOR, "form[action='/ideas/duplicates/merge']")
    ids = [i.get_attribute("value") for i in form.find_elements(By.CSS_SELECTOR, "input[name=ids]")]
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # Wait for the answer page: on a busy machine the click can return before it has loaded, and a
    # retry would find the group already merged.
    notice = WebDriverWait(browser, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))[0].text
    assert f"Merged into idea {ids[0]}" in notice
    merged = browser.find_element(By.CSS_SELECTOR, "table[aria-labelledby=merged]").text
    assert all(i in merged for i in ids)
    browser.find_element(By.XPATH, f"//button[contains(., 'Undo merge') and contains(., '{ids[0]}')]").click()
    # The merge page's notice goes stale while the undo page loads: a notice found just before the
    # page is replaced is read again on the next poll instead of failing the test.
    wait = WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: any("is undone" in p.text for p in d.find_elements(By.CSS_SELECTOR, "p.notice")))
    assert f"merge into idea {ids[0]} is undone" in browser.find_element(By.CSS_SELECTOR, "p.notice").text


def test_the_inbox_pages_through_the_demo_ideas(browser, live_server, login, screenshot_dir) -> None:
    login(browser, live_server, "viewer", "demo-viewer")
    browser.get(live_server + "/ideas")
    assert browser.find_element(By.CSS_SELECTOR, ".inbox-count").text.startswith("Ideas 1–100 of 151")
    first_ids = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")]
    assert len(first_ids) == 100
    browser.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    WebDriverWait(browser, 10).until(lambda d: "page=2" in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, ".inbox-count").text.startswith("Ideas 101–151 of 151")
    second_ids = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")]
    assert len(second_ids) == 51 and not set(second_ids) & set(first_ids)
    assert not browser.find_elements(By.CSS_SELECTOR, "nav.pager a[rel=next]")  # the last page
    browser.save_screenshot(str(screenshot_dir / "inbox-page-2.png"))


def test_a_strategist_teaches_the_corridor_with_one_click_and_undoes_it(browser, live_server, login) -> None:
    login(browser, live_server, "strategist", "demo-strategist")
    browser.get(live_server + "/ideas")
    browser.find_element(By.LINK_TEXT, "Teach the corridor").click()
    wait = WebDriverWait(browser, 30)
    form = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "form[action='/ideas/teach/label']"))[0]
    idea = form.find_element(By.CSS_SELECTOR, "input[name=idea]").get_attribute("value")
    form.find_element(By.CSS_SELECTOR, "button[value=core]").click()
    notice = wait.until(lambda d: d.find_elements(By.ID, "teach-result"))[0].text
    assert notice.startswith(f"Idea {idea} is labelled core:") and "changed tier" in notice
    # Undo, so the shared demo database ends as it began.
    browser.find_element(By.CSS_SELECTOR, f"form[action='/ideas/teach/undo'] input[value='{idea}']")
    undo = browser.find_element(By.CSS_SELECTOR, "form[action='/ideas/teach/undo'] button[type=submit]")
    undo.click()
    WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: "undone" in d.find_element(By.ID, "teach-result").text
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".error")


def test_a_viewer_sees_no_teach_link(browser, live_server, login) -> None:
    login(browser, live_server, "viewer", "demo-viewer")
    browser.get(live_server + "/ideas")
    assert not browser.find_elements(By.LINK_TEXT, "Teach the corridor")
